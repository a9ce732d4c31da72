"""`RepositoryService`: the reference use cases over one repository, each in one unit of work."""

from collections.abc import Collection, Mapping
from dataclasses import MISSING, fields, replace
from functools import cache
from typing import Any

from src.plumbing.domain.entity import Entity
from src.plumbing.domain.errors import ValidationError
from src.plumbing.services.abstract_repository import AbstractRepository, QueryParams
from src.plumbing.services.pagination import Page
from src.plumbing.services.unit_of_work import AbstractUnitOfWork

ExpectedVersion = int | Collection[int] | None


class RepositoryService:
    """Subclass it and add use cases. Writes check the entity's rules (`Entity.validate`) before storing it.

    Without a `unit_of_work`, the service uses one on its repository's storage.
    """

    def __init__(self, repository: AbstractRepository, unit_of_work: AbstractUnitOfWork | None = None) -> None:
        self.repository = repository
        self.unit_of_work = unit_of_work or repository.unit_of_work()

    def create(self, data: Mapping[str, Any]) -> Any:
        _build(self.repository.entity_class, data).validate()
        with self.unit_of_work:
            return self.repository.create(data)

    def get(self, entity_id: Any) -> Any:
        with self.unit_of_work:
            return self.repository.get(entity_id)

    def update(self, entity_id: Any, data: Mapping[str, Any], expected_version: ExpectedVersion = None) -> Any:
        """Apply `data`; with `expected_version`, only to the entity at that version (or one of those versions)."""
        with self.unit_of_work:
            current = self.repository.get(entity_id)
            current.check_version(expected_version)
            if not data:
                return current
            replace(current, **_known(type(current), data)).validate()
            return self.repository.update(entity_id, data, getattr(current, "version", None))

    def delete(self, entity_id: Any, expected_version: ExpectedVersion = None) -> Any:
        """Remove the entity and return it; `expected_version` works as in `update`."""
        with self.unit_of_work:
            current = self.repository.get(entity_id)
            current.check_version(expected_version)
            return self.repository.delete(entity_id, getattr(current, "version", None))

    def find(self, query_params: QueryParams) -> Any:
        with self.unit_of_work:
            return self.repository.find(query_params)

    def exists(self, query_params: QueryParams) -> bool:
        with self.unit_of_work:
            return self.repository.exists(query_params)

    def count(self, query_params: QueryParams | None = None) -> int:
        with self.unit_of_work:
            return self.repository.count(query_params)

    def get_all(self, query_params: QueryParams | None = None) -> list[Any] | Page:
        with self.unit_of_work:
            return self.repository.get_all(query_params)

    def delete_all(self, query_params: QueryParams) -> int:
        with self.unit_of_work:
            return self.repository.delete_all(query_params)


def _build(entity_class: type[Entity], data: Mapping[str, Any]) -> Entity:
    """The entity `data` describes, with the defaults of the fields it leaves out."""
    known = _known(entity_class, data)
    missing = [name for name in _required_fields(entity_class) if name not in known]
    if missing:
        raise ValidationError(f"{missing[0]} is required.", field=missing[0])
    return entity_class(**known)


def _known(entity_class: type, data: Mapping[str, Any]) -> dict[str, Any]:
    """The values of `data` that are fields of the entity; the repository refuses the rest."""
    names = _field_names(entity_class)
    return {name: value for name, value in data.items() if name in names}


@cache
def _field_names(entity_class: type) -> frozenset[str]:
    return frozenset(field.name for field in fields(entity_class))


@cache
def _required_fields(entity_class: type) -> tuple[str, ...]:
    return tuple(
        field.name for field in fields(entity_class) if field.default is MISSING and field.default_factory is MISSING
    )
