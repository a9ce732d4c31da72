"""`RepositoryService`: the reference use cases over one repository, each in one unit of work."""

from collections.abc import Collection, Mapping
from dataclasses import MISSING, fields, replace
from functools import cache
from typing import Any, Generic, TypeVar, overload

from src.plumbing.domain.entity import VERSION_MISMATCH_MESSAGE, Entity
from src.plumbing.domain.errors import ValidationError, VersionMismatchError
from src.plumbing.services.abstract_repository import AbstractRepository, Selection
from src.plumbing.services.filters import Filters
from src.plumbing.services.pagination import Page, PageRequest
from src.plumbing.services.unit_of_work import AbstractUnitOfWork

E = TypeVar("E", bound=Entity)

ExpectedVersion = int | Collection[int] | None
# How often a write that takes any version (`If-Match: *`) reads the entity again after another writer changed it:
# each new attempt means that another write was committed, so only a row under a storm of writes runs out of them.
ANY_VERSION_ATTEMPTS = 100


class RepositoryService(Generic[E]):
    """Subclass it (`TodoService(RepositoryService[Todo])`) and add use cases. Writes check the entity's rules
    (`Entity.validate`), then the use case's (`check`), before storing it.

    Without a `unit_of_work`, the service uses one on its repository's storage. A use case over several
    aggregates is given a `UnitOfWork` that holds their repositories.
    """

    def __init__(self, repository: AbstractRepository[E], unit_of_work: AbstractUnitOfWork | None = None) -> None:
        self.repository = repository
        self.unit_of_work = unit_of_work or repository.unit_of_work()

    def check(self, entity: E, previous: E | None) -> None:
        """The rules of the use case that the entity alone cannot check; override it. The base has none.

        `create` and `update` call it inside the write's unit of work, after `entity.validate()`, with the entity
        the write would store and the stored one it replaces (None on create). Raise a `DomainError` to refuse the
        write (`ValidationError` is a 422); what the check reads, through this service's repository or another
        on the same unit of work, is read in the transaction that writes.
        """

    def create(self, data: Mapping[str, Any]) -> E:
        entity = _build(self.repository.entity_class, data)
        entity.validate()
        with self.unit_of_work:
            self.check(entity, None)
            return self.repository.create(data)

    def get(self, entity_id: Any) -> E:
        with self.unit_of_work:
            return self.repository.get(entity_id)

    def update(self, entity_id: Any, data: Mapping[str, Any], expected_version: ExpectedVersion = None) -> E:
        """Apply `data`; with `expected_version`, only to the entity at that version (or one of those versions).

        Without one (`If-Match: *`), to whichever version is current: the change is checked against the version
        it is written over, read again when another writer changed the entity in between.
        """
        with self.unit_of_work:
            for _ in range(ANY_VERSION_ATTEMPTS):
                current = self.repository.get(entity_id)
                current.check_version(expected_version)
                if not data:
                    return current
                changed = replace(current, **_known(type(current), data))
                changed.validate()
                self.check(changed, current)
                try:
                    return self.repository.update(entity_id, data, getattr(current, "version", None))
                except VersionMismatchError:
                    if expected_version is not None:
                        raise
            raise VersionMismatchError(VERSION_MISMATCH_MESSAGE)

    def delete(self, entity_id: Any, expected_version: ExpectedVersion = None) -> E:
        """Remove the entity and return it; `expected_version` works as in `update`."""
        with self.unit_of_work:
            for _ in range(ANY_VERSION_ATTEMPTS):
                current = self.repository.get(entity_id)
                current.check_version(expected_version)
                try:
                    return self.repository.delete(entity_id, getattr(current, "version", None))
                except VersionMismatchError:
                    if expected_version is not None:
                        raise
            raise VersionMismatchError(VERSION_MISMATCH_MESSAGE)

    def find(self, filters: Selection) -> E:
        with self.unit_of_work:
            return self.repository.find(filters)

    def exists(self, filters: Selection) -> bool:
        with self.unit_of_work:
            return self.repository.exists(filters)

    def count(self, filters: Selection | None = None) -> int:
        with self.unit_of_work:
            return self.repository.count(filters)

    @overload
    def get_all(self, filters: Filters | None = None) -> list[E]: ...

    @overload
    def get_all(self, filters: Selection | None, page: PageRequest) -> Page[E]: ...

    @overload
    def get_all(self, filters: Selection | None = None, page: PageRequest | None = None) -> list[E] | Page[E]: ...

    def get_all(self, filters: Selection | None = None, page: PageRequest | None = None) -> list[E] | Page[E]:
        """Every match, or the `page` of them (see `AbstractRepository.get_all`)."""
        with self.unit_of_work:
            return self.repository.get_all(filters, page)

    def delete_all(self, filters: Selection) -> int:
        with self.unit_of_work:
            return self.repository.delete_all(filters)


def _build(entity_class: type[E], data: Mapping[str, Any]) -> E:
    """The entity `data` describes, with the defaults of the fields it leaves out."""
    known = _known(entity_class, data)
    # mypy takes a class's own `__hash__` for that of the class object, which the cache needs.
    required = _required_fields(entity_class)  # type: ignore[arg-type]
    missing = [name for name in required if name not in known]
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
