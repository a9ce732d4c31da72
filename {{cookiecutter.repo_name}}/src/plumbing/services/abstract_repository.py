"""The repository port that services depend on; infrastructure provides the implementations."""

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any

from src.plumbing.services.pagination import Page
from src.plumbing.services.unit_of_work import AbstractUnitOfWork

QueryParams = Mapping[str, Any]


class AbstractRepository(ABC):
    """Storage of one kind of entity. It never commits: the services' units of work do."""

    entity_class: type
    """The dataclass this repository hands out."""

    @abstractmethod
    def unit_of_work(self) -> AbstractUnitOfWork:
        """A unit of work on the storage this repository reads and writes."""

    @abstractmethod
    def create(self, data: Mapping[str, Any]) -> Any: ...

    @abstractmethod
    def get(self, entity_id: Any) -> Any:
        """The entity, or `NotFoundError`."""

    @abstractmethod
    def update(self, entity_id: Any, data: Mapping[str, Any], expected_version: int | None = None) -> Any:
        """Apply `data` and return the entity; `NotFoundError` if it is gone.

        With `expected_version`, `VersionMismatchError` unless the stored entity is still at that version.
        """

    @abstractmethod
    def delete(self, entity_id: Any, expected_version: int | None = None) -> Any:
        """Remove the entity and return it; `expected_version` works as in `update`."""

    @abstractmethod
    def find(self, query_params: QueryParams) -> Any:
        """The first entity that matches, or `NotFoundError`."""

    @abstractmethod
    def exists(self, query_params: QueryParams) -> bool: ...

    @abstractmethod
    def count(self, query_params: QueryParams | None = None) -> int: ...

    @abstractmethod
    def get_all(self, query_params: QueryParams | None = None) -> list[Any] | Page:
        """Every match, or one `Page` when `query_params` ask for one (`page`, `per_page`) without `itemized`."""

    @abstractmethod
    def delete_all(self, query_params: QueryParams) -> int:
        """Remove every match and return how many; refuses to run without query parameters."""
