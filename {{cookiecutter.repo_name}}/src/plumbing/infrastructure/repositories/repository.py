"""`Repository`: the reference operations on one table, in SQL statements; rows go straight into entities."""

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypeVar

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.engine import Row

from src.plumbing.domain.entity import VERSION_MISMATCH_MESSAGE, Entity
from src.plumbing.domain.errors import NotFoundError, ValidationError, VersionMismatchError
from src.plumbing.infrastructure.databases.sqlalchemy_db import sqlalchemy_db
from src.plumbing.infrastructure.databases.storage_errors import storage_errors
from src.plumbing.infrastructure.databases.unit_of_work import AnySession, SQLAlchemyUnitOfWork
from src.plumbing.infrastructure.models.model_extension import ModelExtension
from src.plumbing.infrastructure.repositories import statements
from src.plumbing.infrastructure.repositories.statements import Query
from src.plumbing.services.abstract_repository import (
    AbstractRepository,
    QueryParams,
    Selection,
    narrows,
    requested_page,
)
from src.plumbing.services.filters import Condition, Filters
from src.plumbing.services.pagination import Page, PageRequest

E = TypeVar("E", bound=Entity)

# The SQL of each of the filters' `OPERATORS`: the column compared with the filter's value.
COMPARISONS: dict[str, Callable[[ColumnElement[Any], Any], ColumnElement[bool]]] = {
    "eq": lambda column, value: column == value,
    "ge": lambda column, value: column >= value,
    "le": lambda column, value: column <= value,
    "lt": lambda column, value: column < value,
    "gt": lambda column, value: column > value,
    "in": lambda column, value: column.in_(list(value)),
}


class Repository(AbstractRepository[E]):
    """Set `base_class` to a model and `entity_class` to the `Entity` dataclass services receive.

    Every field of the entity must be a column; without `entity_class`, services receive a dataclass of
    all the columns. An entity with a `version` field is versioned: each write adds one to it, and a write
    given an `expected_version` happens only at that version (optimistic concurrency). The repository
    never commits: the unit of work of the service that calls it does. Built without a `session`, it uses
    the app's (`sqlalchemy_db.session`, that of the current app context), as the container gives it.
    """

    base_class: ClassVar[type[ModelExtension]]
    entity_class: type[E] | None = None  # type: ignore[assignment]  # None: a dataclass of the columns
    filter_columns: ClassVar[tuple[str, ...]] = ()  # keys of a `QueryParams` dictionary that keep equal rows
    DEFAULT_NOT_FOUND_MESSAGE: ClassVar[str] = "The requested object was not found."

    def __init__(self, session: AnySession | None = None) -> None:
        self.session: AnySession = sqlalchemy_db.session if session is None else session
        # Without `entity_class`, the repository hands out dataclasses of the columns in place of `E`.
        entity_type = self.entity_class or statements.record_class(self.base_class)
        self.entity_type: type[E] = entity_type  # type: ignore[assignment]
        self.entity_class = self.entity_type
        # mypy takes a class's own `__hash__` for that of the class object, which the cache needs.
        self.statements = statements.statements_for(self.base_class, self.entity_type)  # type: ignore[arg-type]

    @staticmethod
    def get_query_param(name: str, query_params: QueryParams | None, default: Any = None) -> Any:
        return query_params.get(name, default) if query_params else default

    def _apply_query_params(self, query: Query, query_params: QueryParams) -> Query:
        """Narrow `query` by a `QueryParams` dictionary; by default, by equality on `filter_columns`.

        The reference's extension point for dictionaries; typed `Filters` need no code in the repository.
        """
        for name in self.filter_columns:
            value = self.get_query_param(name, query_params)
            if value is not None:
                query = query.filter_by(**{name: value})
        return query

    def unit_of_work(self) -> SQLAlchemyUnitOfWork:
        return SQLAlchemyUnitOfWork(self.session)

    def create(self, data: Mapping[str, Any]) -> E:
        self._check_columns(data)
        return self._found(self._one(self.statements.insert, data))

    def get(self, entity_id: Any) -> E:
        return self._found(self._one(self.statements.by_id, {statements.WHERE_ID: entity_id}))

    def update(self, entity_id: Any, data: Mapping[str, Any], expected_version: int | None = None) -> E:
        if not data:
            entity = self.get(entity_id)
            entity.check_version(expected_version)
            return entity
        self._check_columns(data)
        return self._write(self.statements.update, self.statements.update_at_version, entity_id, expected_version, data)

    def delete(self, entity_id: Any, expected_version: int | None = None) -> E:
        return self._write(self.statements.delete, self.statements.delete_at_version, entity_id, expected_version, {})

    def find(self, filters: Selection) -> E:
        return self._found(self._one(self._shaped(statements.first, self._filtered(filters))))

    def exists(self, filters: Selection) -> bool:
        with storage_errors():
            return bool(self.session.scalar(select(self._filtered(filters).exists())))

    def count(self, filters: Selection | None = None) -> int:
        return self._count(self._filtered(filters))

    def get_all(self, filters: Selection | None = None, page: PageRequest | None = None) -> Any:
        query = self._filtered(filters)
        page = requested_page(filters, page)
        if page is None:
            return self._entities(self._shaped(statements.ordered, query))
        parameters = {"offset": page.offset, "limit": page.per_page}
        items = self._entities(self._shaped(statements.paged, query), parameters)
        return Page.of(items, page, lambda: self._count(query))

    def update_all(self, filters: Selection, data: Mapping[str, Any]) -> int:
        self._check_columns(data)
        values = dict(data)
        if self.statements.version is not None:
            values[statements.VERSION] = self.statements.version + 1
        changed = update(self.statements.table).where(self._matching_keys(filters)).values(values)
        with storage_errors():
            return self.session.connection().execute(changed).rowcount

    def delete_all(self, filters: Selection) -> int:
        removed = delete(self.statements.table).where(self._matching_keys(filters))
        with storage_errors():
            return self.session.connection().execute(removed).rowcount

    def _matching_keys(self, filters: Selection) -> ColumnElement[bool]:
        """The rows a bulk write touches; refuses filters that would touch every row."""
        if not narrows(filters):
            raise ValueError("A bulk write needs filters that say which rows it changes.")
        key = self.statements.key
        return key.in_(self._filtered(filters).with_only_columns(key))

    def _filtered(self, filters: Selection | None) -> Query:
        if isinstance(filters, Filters):
            conditions = filters.conditions()
            # The unfiltered select itself, not a copy, so that its shaped statements are built once.
            return (
                self.statements.select.where(*map(self._clause, conditions)) if conditions else self.statements.select
            )
        return self._apply_query_params(self.statements.select, filters or {})

    def _clause(self, condition: Condition) -> ColumnElement[bool]:
        columns = self.base_class.__table__.columns
        if condition.target not in columns:
            raise TypeError(f"{self.base_class.__name__} has no column {condition.target!r} to filter on.")
        column = columns[condition.target]
        return COMPARISONS[condition.operator](column, condition.value)

    def _count(self, query: Query) -> int:
        with storage_errors():
            return int(self.session.scalar(self._shaped(statements.counted, query)) or 0)

    def _shaped(self, shape: statements.Shape, query: Query) -> Query:
        """`query` in `shape`: built once when no parameter narrowed it, otherwise for this call."""
        if query is self.statements.select:
            return statements.prepared(shape, self.statements)
        return shape(query, self.statements.key)

    def _write(
        self, statement: Any, at_version: Any, entity_id: Any, expected_version: int | None, data: Mapping[str, Any]
    ) -> E:
        """Run an UPDATE or a DELETE; no row back means the row is gone or, at a version, was changed."""
        if expected_version is not None:
            if at_version is None:
                raise TypeError(f"{self.entity_type.__name__} has no `version` to check an expected version against.")
            statement = at_version
        where = {statements.WHERE_ID: entity_id, statements.WHERE_VERSION: expected_version}
        row = self._one(statement, {**data, **where})
        if row is None:
            self.get(entity_id)
            raise VersionMismatchError(VERSION_MISMATCH_MESSAGE)
        return self.entity_type(*row)

    def _check_columns(self, data: Mapping[str, Any]) -> None:
        columns = self.base_class.__table__.columns
        for name in data:
            if name not in columns:
                raise ValidationError(f"{self.base_class.__name__} has no field {name!r}.", field=name)

    def _found(self, row: Row[*tuple[Any, ...]] | None) -> E:
        if row is None:
            raise NotFoundError(self.DEFAULT_NOT_FOUND_MESSAGE)
        return self.entity_type(*row)

    def _one(self, statement: Any, parameters: Mapping[str, Any] | None = None) -> Row[*tuple[Any, ...]] | None:
        with storage_errors():
            return self.session.execute(statement, parameters).one_or_none()

    def _entities(self, statement: Any, parameters: Mapping[str, Any] | None = None) -> list[E]:
        with storage_errors():
            rows = self.session.execute(statement, parameters).all()
        return [self.entity_type(*row) for row in rows]
