"""SQL storage of the service context in its one-row table."""

from src.plumbing.domain.errors import NotFoundError
from src.plumbing.domain.service_context import ServiceContext
from src.plumbing.infrastructure.models.service_context_model import SINGLETON_ID, ServiceContextModel
from src.plumbing.infrastructure.repositories.repository import Repository
from src.plumbing.services.service_context_service import AbstractServiceContextRepository


class SQLServiceContextRepository(Repository[ServiceContext], AbstractServiceContextRepository):
    base_class = ServiceContextModel
    entity_class = ServiceContext

    def get_current(self) -> ServiceContext:
        try:
            return self.get(SINGLETON_ID)
        except NotFoundError:
            return ServiceContext()

    def save(self, maintenance: bool, message: str | None) -> ServiceContext:
        values = {"maintenance": maintenance, "message": message}
        try:
            return self.update(SINGLETON_ID, values)
        except NotFoundError:
            return self.create({"id": SINGLETON_ID, **values})
