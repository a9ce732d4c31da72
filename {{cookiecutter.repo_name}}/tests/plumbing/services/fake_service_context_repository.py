"""An in-memory service context store for service tests."""

from datetime import UTC, datetime

from src.plumbing.domain.service_context import ServiceContext
from src.plumbing.services.service_context_service import AbstractServiceContextRepository
from tests.services.fake_repository import FakeUnitOfWork


class FakeServiceContextRepository(AbstractServiceContextRepository):
    def __init__(self) -> None:
        self.stored: ServiceContext | None = None
        self.transactions = FakeUnitOfWork(self, "stored")

    def unit_of_work(self) -> FakeUnitOfWork:
        return self.transactions

    def get_current(self) -> ServiceContext:
        return self.stored or ServiceContext()

    def save(self, maintenance: bool, message: str | None) -> ServiceContext:
        self.stored = ServiceContext(maintenance=maintenance, message=message, updated_at=datetime.now(UTC))
        return self.stored
