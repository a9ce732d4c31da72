"""The SQL statements of a repository, built once per model and entity so that SQLAlchemy reuses them."""

from collections.abc import Callable
from dataclasses import dataclass, field, fields, make_dataclass
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.sql.dml import ReturningDelete, ReturningInsert, ReturningUpdate

from src.plumbing.domain.entity import Entity
from src.plumbing.infrastructure.models.model_extension import ModelExtension

# Parameters of the WHERE clauses; named apart from every column, whose names carry the values to write.
WHERE_ID = "where_id"
WHERE_VERSION = "where_version"
# The field and column that count an entity's changes.
VERSION = "version"

# Statements of any columns: each repository selects and returns the columns of its own entity.
Query = Select[*tuple[Any, ...]]
Column = ColumnElement[Any]


@dataclass(frozen=True, eq=False)
class Statements:
    table: Table
    key: Column
    version: Column | None
    select: Query
    by_id: Query
    insert: ReturningInsert[*tuple[Any, ...]]
    update: ReturningUpdate[*tuple[Any, ...]]
    update_at_version: ReturningUpdate[*tuple[Any, ...]] | None
    delete: ReturningDelete[*tuple[Any, ...]]
    delete_at_version: ReturningDelete[*tuple[Any, ...]] | None


@cache
def record_class(model_class: type[ModelExtension]) -> type[Entity]:
    """A frozen dataclass with one field per column: what a repository without `entity_class` hands out."""
    columns = [(column.key, Any, field(default=None)) for column in model_class.__table__.columns]
    return make_dataclass(f"{model_class.__name__}Record", columns, bases=(Entity,), frozen=True)


@cache
def statements_for(model_class: type[ModelExtension], entity_class: type[Entity]) -> Statements:
    table = model_class.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model_class.__name__} needs a table of its own for a Repository.")
    keys = list(table.primary_key.columns)
    if len(keys) != 1:
        raise TypeError(f"{model_class.__name__} needs a primary key of exactly one column for a Repository.")
    (key,) = keys
    names = [field.name for field in fields(entity_class)]
    missing = [name for name in names if name not in table.columns]
    if missing:
        raise TypeError(f"{entity_class.__name__}.{missing[0]} is not a column of {model_class.__name__}.")
    # The entity's fields in order, so that each row goes straight into the entity's constructor.
    columns = [table.columns[name] for name in names]
    by_key = key == bindparam(WHERE_ID)
    changed = update(table).where(by_key).returning(*columns)
    removed = delete(table).where(by_key).returning(*columns)
    version = table.columns[VERSION] if VERSION in names else None
    if version is not None:
        changed = changed.values({version.key: version + 1})
    at_version = None if version is None else version == bindparam(WHERE_VERSION)
    return Statements(
        table=table,
        key=key,
        version=version,
        select=select(*columns),
        by_id=select(*columns).where(by_key),
        insert=insert(table).returning(*columns),
        update=changed,
        update_at_version=None if at_version is None else changed.where(at_version),
        delete=removed,
        delete_at_version=None if at_version is None else removed.where(at_version),
    )


def ordered(query: Query, key: Column) -> Query:
    """Every row, in primary-key order after any order the query already has."""
    return query.order_by(key)


def paged(query: Query, key: Column) -> Query:
    """One page of `ordered`; `offset` and `limit` are parameters."""
    return ordered(query, key).offset(bindparam("offset")).limit(bindparam("limit"))


def first(query: Query, key: Column) -> Query:
    return ordered(query, key).limit(1)


def counted(query: Query, key: Column) -> Query:
    """How many rows; any order the query has is dropped, as PostgreSQL refuses it there."""
    return query.with_only_columns(func.count(), maintain_column_froms=True).order_by(None)


Shape = Callable[[Query, Column], Query]


@lru_cache(maxsize=1024)
def prepared(shape: Shape, statements: Statements) -> Query:
    """`shape` of the unfiltered select, built once: SQLAlchemy keeps its cache key with the statement."""
    return shape(statements.select, statements.key)
