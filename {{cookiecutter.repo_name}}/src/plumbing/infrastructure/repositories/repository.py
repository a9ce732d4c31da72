"""`Repository`: the reference operations on one table, in SQL statements; rows go straight into entities."""

from collections.abc import Mapping
from typing import Any, ClassVar

from sqlalchemy import Select, delete, select
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session, scoped_session

from src.plumbing.domain.entity import VERSION_MISMATCH_MESSAGE
from src.plumbing.domain.errors import NotFoundError, ValidationError, VersionMismatchError
from src.plumbing.infrastructure.databases.sqlalchemy_db import sqlalchemy_db
from src.plumbing.infrastructure.databases.storage_errors import storage_errors
from src.plumbing.infrastructure.databases.unit_of_work import SQLAlchemyUnitOfWork
from src.plumbing.infrastructure.models.model_extension import ModelExtension
from src.plumbing.infrastructure.repositories import statements
from src.plumbing.services.abstract_repository import AbstractRepository, QueryParams
from src.plumbing.services.pagination import Page, page_asked_for


class Repository(AbstractRepository):
    """Set `base_class` to a model and `entity_class` to the `Entity` dataclass services receive.

    Every field of the entity must be a column; without `entity_class`, services receive a dataclass of
    all the columns. An entity with a `version` field is versioned: each write adds one to it, and a write
    given an `expected_version` happens only at that version (optimistic concurrency). The repository
    never commits: the unit of work of the service that calls it does. Built without a `session`, it uses
    the app's (`sqlalchemy_db.session`, that of the current app context), as the container gives it.
    """

    base_class: ClassVar[type[ModelExtension]]
    entity_class: type | None = None
    filter_columns: ClassVar[tuple[str, ...]] = ()  # query parameters that keep the rows their column equals
    DEFAULT_NOT_FOUND_MESSAGE: ClassVar[str] = "The requested object was not found."

    def __init__(self, session: Session | scoped_session | None = None) -> None:
        self.session = sqlalchemy_db.session if session is None else session
        if self.entity_class is None:
            self.entity_class = statements.record_class(self.base_class)
        self.statements = statements.statements_for(self.base_class, self.entity_class)

    @staticmethod
    def get_query_param(name: str, query_params: QueryParams | None, default: Any = None) -> Any:
        return query_params.get(name, default) if query_params else default

    def _apply_query_params(self, query: Select, query_params: QueryParams) -> Select:
        """Narrow `query`, a select of the entity's columns; by default, by equality on `filter_columns`."""
        for name in self.filter_columns:
            value = self.get_query_param(name, query_params)
            if value is not None:
                query = query.filter_by(**{name: value})
        return query

    def unit_of_work(self) -> SQLAlchemyUnitOfWork:
        return SQLAlchemyUnitOfWork(self.session)

    def create(self, data: Mapping[str, Any]) -> Any:
        self._check_columns(data)
        return self.entity_class(*self._one(self.statements.insert, data))

    def get(self, entity_id: Any) -> Any:
        return self._found(self._one(self.statements.by_id, {statements.WHERE_ID: entity_id}))

    def update(self, entity_id: Any, data: Mapping[str, Any], expected_version: int | None = None) -> Any:
        if not data:
            entity = self.get(entity_id)
            entity.check_version(expected_version)
            return entity
        self._check_columns(data)
        return self._write(self.statements.update, self.statements.update_at_version, entity_id, expected_version, data)

    def delete(self, entity_id: Any, expected_version: int | None = None) -> Any:
        return self._write(self.statements.delete, self.statements.delete_at_version, entity_id, expected_version, {})

    def find(self, query_params: QueryParams) -> Any:
        return self._found(self._one(self._shaped(statements.first, self._filtered(query_params))))

    def exists(self, query_params: QueryParams) -> bool:
        with storage_errors():
            return self.session.scalar(select(self._filtered(query_params).exists()))

    def count(self, query_params: QueryParams | None = None) -> int:
        return self._count(self._filtered(query_params))

    def get_all(self, query_params: QueryParams | None = None) -> list[Any] | Page:
        query = self._filtered(query_params)
        asked = page_asked_for(query_params)
        if asked is None:
            return self._entities(self._shaped(statements.ordered, query))
        page, per_page = asked
        offset = (page - 1) * per_page
        items = self._entities(self._shaped(statements.paged, query), {"offset": offset, "limit": per_page})
        # A short page that is not empty is the last one, so its total needs no count.
        total = offset + len(items) if 0 < len(items) < per_page else self._count(query)
        return Page(items=items, total=total, page=page, per_page=per_page)

    def delete_all(self, query_params: QueryParams) -> int:
        if not query_params:
            raise ValueError("delete_all needs query parameters that say which rows to delete.")
        key = self.statements.key
        matching = delete(self.base_class.__table__).where(key.in_(self._filtered(query_params).with_only_columns(key)))
        with storage_errors():
            return self.session.execute(matching).rowcount

    def _filtered(self, query_params: QueryParams | None) -> Select:
        return self._apply_query_params(self.statements.select, query_params or {})

    def _count(self, query: Select) -> int:
        with storage_errors():
            return self.session.scalar(self._shaped(statements.counted, query))

    def _shaped(self, shape: statements.Shape, query: Select) -> Select:
        """`query` in `shape`: built once when no parameter narrowed it, otherwise for this call."""
        if query is self.statements.select:
            return statements.prepared(shape, self.statements)
        return shape(query, self.statements.key)

    def _write(
        self, statement: Any, at_version: Any, entity_id: Any, expected_version: int | None, data: Mapping[str, Any]
    ) -> Any:
        """Run an UPDATE or a DELETE; no row back means the row is gone or, at a version, was changed."""
        if expected_version is not None:
            if at_version is None:
                raise TypeError(f"{self.entity_class.__name__} has no `version` to check an expected version against.")
            statement = at_version
        where = {statements.WHERE_ID: entity_id, statements.WHERE_VERSION: expected_version}
        row = self._one(statement, {**data, **where})
        if row is None:
            self.get(entity_id)
            raise VersionMismatchError(VERSION_MISMATCH_MESSAGE)
        return self.entity_class(*row)

    def _check_columns(self, data: Mapping[str, Any]) -> None:
        columns = self.base_class.__table__.columns
        for name in data:
            if name not in columns:
                raise ValidationError(f"{self.base_class.__name__} has no field {name!r}.", field=name)

    def _found(self, row: Row | None) -> Any:
        if row is None:
            raise NotFoundError(self.DEFAULT_NOT_FOUND_MESSAGE)
        return self.entity_class(*row)

    def _one(self, statement: Any, parameters: Mapping[str, Any] | None = None) -> Row | None:
        with storage_errors():
            return self.session.execute(statement, parameters).one_or_none()

    def _entities(self, statement: Any, parameters: Mapping[str, Any] | None = None) -> list[Any]:
        with storage_errors():
            rows = self.session.execute(statement, parameters).all()
        return [self.entity_class(*row) for row in rows]
