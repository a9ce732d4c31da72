"""Use cases of the service context: read it, switch maintenance mode on and off."""

from src.domain.service_context import ServiceContext
from src.services.abstract_service_context_repository import AbstractServiceContextRepository


class ServiceContextService:
    def __init__(self, repository: AbstractServiceContextRepository) -> None:
        self.repository = repository

    def get(self) -> ServiceContext:
        return self.repository.get_current()

    def update(self, maintenance: bool, message: str | None = None) -> ServiceContext:
        """Set the maintenance flag; a message only makes sense while maintenance is on."""
        return self.repository.save(maintenance, message if maintenance else None)

    def activate_maintenance(self, message: str | None = None) -> ServiceContext:
        return self.update(True, message)

    def deactivate_maintenance(self) -> ServiceContext:
        return self.update(False)
