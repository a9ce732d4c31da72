"""An in-memory service context store for service tests."""

from datetime import UTC, datetime

from src.plumbing.domain.service_context import ServiceContext
from src.plumbing.services.service_context_service import AbstractServiceContextRepository
from tests.services.fake_repository import FakeDatabase, FakeUnitOfWork


class FakeServiceContextRepository(AbstractServiceContextRepository):
    """One row, kept in a table of a `FakeDatabase` so that its unit of work rolls it back."""

    def __init__(self) -> None:
        self.database = FakeDatabase()
        self.database.tables["service_context"] = {}

    @property
    def stored(self) -> ServiceContext | None:
        return self.database.tables["service_context"].get(1)

    @property
    def transactions(self) -> FakeUnitOfWork:
        return self.database.transaction

    def unit_of_work(self) -> FakeUnitOfWork:
        return self.database.transaction

    def get_current(self) -> ServiceContext:
        return self.stored or ServiceContext()

    def save(self, maintenance: bool, message: str | None) -> ServiceContext:
        saved = ServiceContext(maintenance=maintenance, message=message, updated_at=datetime.now(UTC))
        self.database.tables["service_context"][1] = saved
        return saved
