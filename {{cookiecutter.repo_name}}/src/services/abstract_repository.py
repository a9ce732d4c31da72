"""The repository port that services depend on; infrastructure provides the implementations."""

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from typing import Any

from src.services.pagination import PageRequest


class AbstractRepository(ABC):
    """Storage of one kind of entity. Every write is its own transaction."""

    @abstractmethod
    def create(self, data: Mapping[str, Any]) -> Any: ...

    @abstractmethod
    def get(self, entity_id: Any) -> Any:
        """Return the entity or raise `NotFoundError`."""

    @abstractmethod
    def find(self, query_params: Mapping[str, Any], page: PageRequest | None = None) -> list[Any]:
        """Return the entities matching `query_params`, one page of them when `page` is given."""

    @abstractmethod
    def count(self, query_params: Mapping[str, Any]) -> int: ...

    @abstractmethod
    def update(
        self,
        entity_id: Any,
        data: Mapping[str, Any],
        expected_version: int | None = None,
        precondition: Callable[[Any], None] | None = None,
    ) -> Any:
        """Apply `data` to the entity and return it, or raise `NotFoundError`.

        With `expected_version`, raise `VersionMismatchError` unless the stored entity is still at that version
        when the change is written. `precondition` is called with the stored entity, in the same transaction,
        before the change: whatever it raises refuses the change.
        """

    @abstractmethod
    def delete(
        self, entity_id: Any, expected_version: int | None = None, precondition: Callable[[Any], None] | None = None
    ) -> None:
        """Remove the entity or raise `NotFoundError`; `expected_version` and `precondition` work as in `update`."""
