"""Use cases of the service context: read it, switch maintenance mode on and off."""

from abc import ABC, abstractmethod

from src.plumbing.domain.errors import ConflictError
from src.plumbing.domain.service_context import ServiceContext
from src.plumbing.services.unit_of_work import AbstractUnitOfWork


class AbstractServiceContextRepository(ABC):
    """The port through which the one service context is read and stored."""

    @abstractmethod
    def unit_of_work(self) -> AbstractUnitOfWork: ...

    @abstractmethod
    def get_current(self) -> ServiceContext:
        """The stored context, or the default (not in maintenance) when none was ever stored."""

    @abstractmethod
    def save(self, maintenance: bool, message: str | None) -> ServiceContext: ...


class ServiceContextService:
    def __init__(self, repository: AbstractServiceContextRepository) -> None:
        self.repository = repository
        self.unit_of_work = repository.unit_of_work()

    def get(self) -> ServiceContext:
        with self.unit_of_work:
            return self.repository.get_current()

    def update(self, maintenance: bool, message: str | None = None) -> ServiceContext:
        """Set the maintenance flag; a message only makes sense while maintenance is on."""
        message = message if maintenance else None
        try:
            with self.unit_of_work:
                return self.repository.save(maintenance, message)
        except ConflictError:
            # Another instance stored the very first context at the same moment: store over it.
            with self.unit_of_work:
                return self.repository.save(maintenance, message)

    def activate_maintenance(self, message: str | None = None) -> ServiceContext:
        return self.update(True, message)

    def deactivate_maintenance(self) -> ServiceContext:
        return self.update(False)
