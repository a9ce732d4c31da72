"""The port through which the service context is read and stored."""

from abc import ABC, abstractmethod

from src.domain.service_context import ServiceContext


class AbstractServiceContextRepository(ABC):
    @abstractmethod
    def get_current(self) -> ServiceContext:
        """The stored context, or the default (not in maintenance) when none was ever stored."""

    @abstractmethod
    def save(self, maintenance: bool, message: str | None) -> ServiceContext: ...
