"""The repository port that services depend on; infrastructure provides the implementations."""

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, Generic, TypeVar, overload

from src.plumbing.services.filters import Filters
from src.plumbing.services.pagination import Page, PageRequest, page_asked_for
from src.plumbing.services.unit_of_work import AbstractUnitOfWork

E = TypeVar("E")

QueryParams = Mapping[str, Any]
"""A dictionary of filters, as the reference's `_apply_query_params` reads it; new code declares `Filters`."""

Selection = Filters | QueryParams
"""Which entities an operation touches: typed `Filters`, or a `QueryParams` dictionary."""


def narrows(filters: Selection) -> bool:
    """Whether `filters` leave out any entity: bulk writes refuse to run without that."""
    return bool(filters.conditions() if isinstance(filters, Filters) else filters)


def requested_page(filters: Selection | None, page: PageRequest | None) -> PageRequest | None:
    """The page `get_all` returns: `page`, or the one a `QueryParams` dictionary asks for itself."""
    if page is None and not isinstance(filters, Filters):
        return page_asked_for(filters)
    return page


class AbstractRepository(ABC, Generic[E]):
    """Storage of one kind of entity, `E`. It never commits: the services' units of work do."""

    entity_class: type[E]
    """The dataclass this repository hands out."""

    @abstractmethod
    def unit_of_work(self) -> AbstractUnitOfWork:
        """A unit of work on the storage this repository reads and writes."""

    @abstractmethod
    def create(self, data: Mapping[str, Any]) -> E: ...

    @abstractmethod
    def get(self, entity_id: Any) -> E:
        """The entity, or `NotFoundError`."""

    @abstractmethod
    def update(self, entity_id: Any, data: Mapping[str, Any], expected_version: int | None = None) -> E:
        """Apply `data` and return the entity; `NotFoundError` if it is gone.

        With `expected_version`, `VersionMismatchError` unless the stored entity is still at that version.
        """

    @abstractmethod
    def delete(self, entity_id: Any, expected_version: int | None = None) -> E:
        """Remove the entity and return it; `expected_version` works as in `update`."""

    @abstractmethod
    def find(self, filters: Selection) -> E:
        """The first entity that matches, or `NotFoundError`."""

    @abstractmethod
    def exists(self, filters: Selection) -> bool: ...

    @abstractmethod
    def count(self, filters: Selection | None = None) -> int: ...

    @overload
    def get_all(self, filters: Filters | None = None) -> list[E]: ...

    @overload
    def get_all(self, filters: Selection | None, page: PageRequest) -> Page[E]: ...

    @overload
    def get_all(self, filters: Selection | None = None, page: PageRequest | None = None) -> list[E] | Page[E]: ...

    @abstractmethod
    def get_all(self, filters: Selection | None = None, page: PageRequest | None = None) -> list[E] | Page[E]:
        """Every match in order of id, or the `page` of them.

        A `QueryParams` dictionary may ask for a page itself (`page`, `per_page`, without `itemized`).
        """

    @abstractmethod
    def update_all(self, filters: Selection, data: Mapping[str, Any]) -> int:
        """Apply `data` to every match, adding one to the version of each, and return how many.

        It checks no rule of the entities: a use case calls it for changes it has checked. Refuses to run
        without filters.
        """

    @abstractmethod
    def delete_all(self, filters: Selection) -> int:
        """Remove every match and return how many; refuses to run without filters."""
