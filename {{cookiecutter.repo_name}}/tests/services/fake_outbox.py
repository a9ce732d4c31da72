"""An outbox in a `FakeDatabase`: its events roll back with the fake unit of work, as the SQL ones do."""

from src.plumbing.domain import DomainEvent
from src.plumbing.services import AbstractOutbox
from tests.services.fake_repository import FakeDatabase

TABLE = "outbox"


class FakeOutbox(AbstractOutbox):
    def __init__(self, database: FakeDatabase) -> None:
        self.database = database
        self.database.tables.setdefault(TABLE, {})

    def add(self, event: DomainEvent) -> None:
        rows = self.database.tables[TABLE]
        rows[len(rows) + 1] = event

    @property
    def events(self) -> list[DomainEvent]:
        return list(self.database.tables[TABLE].values())
