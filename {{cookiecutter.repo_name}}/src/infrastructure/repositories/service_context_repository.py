"""SQL storage of the service context in its one-row table."""

from sqlalchemy.exc import IntegrityError

from src.domain.errors import ConflictError
from src.domain.service_context import ServiceContext
from src.infrastructure.models.service_context_model import SINGLETON_ID, ServiceContextModel
from src.infrastructure.models.types import utc_now
from src.infrastructure.repositories.repository import Repository
from src.services.abstract_service_context_repository import AbstractServiceContextRepository


class SQLServiceContextRepository(Repository, AbstractServiceContextRepository):
    base_class = ServiceContextModel
    entity_class = ServiceContext

    def get_current(self) -> ServiceContext:
        try:
            with self._storage_errors():
                model = self.session.get(ServiceContextModel, SINGLETON_ID, populate_existing=True)
        except Exception:
            self.session.rollback()
            raise
        return ServiceContext() if model is None else self._to_entity(model)

    def save(self, maintenance: bool, message: str | None) -> ServiceContext:
        try:
            return self._save(maintenance, message)
        except ConflictError as error:
            if not isinstance(error.__cause__, IntegrityError):
                raise
            # Another instance inserted the first row at the same moment: update that row instead.
            return self._save(maintenance, message)

    def _save(self, maintenance: bool, message: str | None) -> ServiceContext:
        with self._transaction():
            model = self.session.get(ServiceContextModel, SINGLETON_ID, with_for_update=True)
            if model is None:
                model = ServiceContextModel(id=SINGLETON_ID)
                self.session.add(model)
            model.maintenance = maintenance
            model.message = message
            model.updated_at = utc_now()
        return self._to_entity(model)
