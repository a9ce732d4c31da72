"""The SQL statements of a repository, built once per model and entity so that SQLAlchemy reuses them."""

from collections.abc import Callable
from dataclasses import dataclass, field, fields, make_dataclass
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import Column, Delete, Insert, Select, Update, bindparam, delete, func, insert, select, update

from src.plumbing.domain.entity import Entity
from src.plumbing.infrastructure.models.model_extension import ModelExtension

# Parameters of the WHERE clauses; named apart from every column, whose names carry the values to write.
WHERE_ID = "where_id"
WHERE_VERSION = "where_version"
# The field and column that count an entity's changes.
VERSION = "version"


@dataclass(frozen=True, eq=False)
class Statements:
    key: Column
    version: Column | None
    select: Select
    by_id: Select
    insert: Insert
    update: Update
    update_at_version: Update | None
    delete: Delete
    delete_at_version: Delete | None


@cache
def record_class(model_class: type[ModelExtension]) -> type:
    """A frozen dataclass with one field per column: what a repository without `entity_class` hands out."""
    columns = [(column.key, Any, field(default=None)) for column in model_class.__table__.columns]
    return make_dataclass(f"{model_class.__name__}Record", columns, bases=(Entity,), frozen=True)


@cache
def statements_for(model_class: type[ModelExtension], entity_class: type) -> Statements:
    table = model_class.__table__
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
    version = at_version = None
    if VERSION in names:
        version = table.columns[VERSION]
        at_version = version == bindparam(WHERE_VERSION)
        changed = changed.values({version.key: version + 1})
    return Statements(
        key=key,
        version=version,
        select=select(*columns),
        by_id=select(*columns).where(by_key),
        insert=insert(table).returning(*columns),
        update=changed,
        update_at_version=None if version is None else changed.where(at_version),
        delete=removed,
        delete_at_version=None if version is None else removed.where(at_version),
    )


def ordered(query: Select, key: Column) -> Select:
    """Every row, in primary-key order after any order the query already has."""
    return query.order_by(key)


def paged(query: Select, key: Column) -> Select:
    """One page of `ordered`; `offset` and `limit` are parameters."""
    return ordered(query, key).offset(bindparam("offset")).limit(bindparam("limit"))


def first(query: Select, key: Column) -> Select:
    return ordered(query, key).limit(1)


def counted(query: Select, key: Column) -> Select:
    """How many rows; any order the query has is dropped, as PostgreSQL refuses it there."""
    return query.with_only_columns(func.count(), maintain_column_froms=True).order_by(None)


Shape = Callable[[Select, Column], Select]


@lru_cache(maxsize=1024)
def prepared(shape: Shape, statements: Statements) -> Select:
    """`shape` of the unfiltered select, built once: SQLAlchemy keeps its cache key with the statement."""
    return shape(statements.select, statements.key)
