"""`Repository`: a generic SQLAlchemy implementation of the services' repository port."""

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import fields
from functools import cache, lru_cache
from typing import Any, ClassVar

from sqlalchemy import Insert, Select, bindparam, func, insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from src.domain.errors import ConflictError, NotFoundError, UnavailableError, ValidationError, VersionMismatchError
from src.infrastructure.databases import sqlalchemy_db
from src.infrastructure.models.model_extension import ModelExtension
from src.services.abstract_repository import AbstractRepository
from src.services.pagination import PageRequest


class Repository(AbstractRepository):
    """Set `base_class` to a model; set `entity_class` to a dataclass to hand services plain entities.

    When every field of `entity_class` is a column, `create`, `get` and `find` run their statements through
    the session without building ORM instances, and rows go straight into entities: a GET of one todo costs
    a quarter fewer instructions that way (docs/performance.md). ORM instance events and `@validates` do not
    run for them; rules belong in the domain entity and the services. `update` and `delete` load the model.
    Listings filtered only by `filter_columns` reuse statements built once (see `_listing`).
    """

    base_class: ClassVar[type[ModelExtension]]
    entity_class: ClassVar[type | None] = None
    filter_columns: ClassVar[tuple[str, ...]] = ()
    """Query parameters that keep only the rows whose column of the same name equals their value."""
    DEFAULT_NOT_FOUND_MESSAGE: ClassVar[str] = "The requested object was not found."
    VERSION_MISMATCH_MESSAGE: ClassVar[str] = "The object was changed by someone else; read it again and retry."
    UNAVAILABLE_MESSAGE: ClassVar[str] = "The database cannot be reached right now; retry shortly."

    def __init__(self, session: Session | None = None) -> None:
        self._session = session

    @property
    def session(self) -> Session:
        return self._session if self._session is not None else sqlalchemy_db.session

    @staticmethod
    def get_query_param(name: str, query_params: Mapping[str, Any] | None, default: Any = None) -> Any:
        if not query_params:
            return default
        return query_params.get(name, default)

    def _apply_query_params(self, query: Select, query_params: Mapping[str, Any]) -> Select:
        """Override for filters beyond `filter_columns`, with `where()` or `filter_by()`.

        `query` selects the entity's columns, or the model when the entity needs the ORM, and already holds
        the `filter_columns` conditions. Return it unchanged when no parameter applies.
        """
        return query

    def create(self, data: Mapping[str, Any]) -> Any:
        insert_returning = _insert_returning(self.base_class, self.entity_class)
        if insert_returning is None:
            model = self.base_class()
            self._assign(model, data)
            with self._transaction():
                self.session.add(model)
            return self._to_entity(model)
        self._check_fields(data)
        columns = self.base_class.__mapper__.columns
        # The statement takes column keys, which may differ from the model's attribute names.
        values = {**_first_version(self.base_class), **{columns[name].key: value for name, value in data.items()}}
        with self._transaction():
            row = self.session.execute(insert_returning, values).one()
        return self.entity_class(*row)

    def get(self, entity_id: Any) -> Any:
        by_id = _select_by_id(self.base_class, self.entity_class)
        with self._storage_errors():
            if by_id is None:
                return self._to_entity(self._get_model(entity_id))
            # A read needs no ORM instance: the row goes straight into the entity (see docs/performance.md).
            row = self.session.execute(by_id, {"entity_id": entity_id}).one_or_none()
        if row is None:
            raise NotFoundError(self.DEFAULT_NOT_FOUND_MESSAGE)
        return self.entity_class(*row)

    def find(self, query_params: Mapping[str, Any], page: PageRequest | None = None) -> list[Any]:
        if page is None:
            query, values = self._listing(query_params, _ordered)
        else:
            query, values = self._listing(query_params, _paged)
            values.update(offset=page.offset, limit=page.per_page)
        with self._storage_errors():
            if _entity_columns(self.base_class, self.entity_class) is None:
                return [self._to_entity(model) for model in self.session.scalars(query, values)]
            return [self.entity_class(*row) for row in self.session.execute(query, values).all()]

    def count(self, query_params: Mapping[str, Any]) -> int:
        query, values = self._listing(query_params, _counted)
        with self._storage_errors():
            return self.session.scalar(query, values)

    def update(
        self,
        entity_id: Any,
        data: Mapping[str, Any],
        expected_version: int | None = None,
        precondition: Callable[[Any], None] | None = None,
    ) -> Any:
        with self._transaction():
            model = self._get_model(entity_id, expected_version, precondition)
            self._assign(model, data)
        return self._to_entity(model)

    def delete(
        self, entity_id: Any, expected_version: int | None = None, precondition: Callable[[Any], None] | None = None
    ) -> None:
        with self._transaction():
            self.session.delete(self._get_model(entity_id, expected_version, precondition))

    def _listing(self, query_params: Mapping[str, Any], shape: "_ListingShape") -> tuple[Select, dict[str, Any]]:
        """A listing statement in `shape`, and the values of its parameters.

        Equality filters named in `filter_columns` become bound parameters of statements built once per
        combination; `_apply_query_params` can add any other condition, at the cost of building the
        statement for each call.
        """
        query_params = query_params or {}
        names = tuple(name for name in self.filter_columns if query_params.get(name) is not None)
        filtered = _filtered(self.base_class, self.entity_class, names)
        query = self._apply_query_params(filtered, query_params)
        if query is filtered:
            statement = _prepared_listing(shape, self.base_class, self.entity_class, names)
        else:
            statement = shape(query, self.base_class)
        return statement, {_filter_parameter(name): query_params[name] for name in names}

    def _get_model(
        self,
        entity_id: Any,
        expected_version: int | None = None,
        precondition: Callable[[Any], None] | None = None,
    ) -> ModelExtension:
        model = self.session.get(self.base_class, entity_id)
        if model is None:
            raise NotFoundError(self.DEFAULT_NOT_FOUND_MESSAGE)
        if expected_version is not None and _version_of(model) != expected_version:
            raise VersionMismatchError(self.VERSION_MISMATCH_MESSAGE)
        if precondition is not None:
            precondition(self._to_entity(model))
        return model

    def _assign(self, model: ModelExtension, data: Mapping[str, Any]) -> None:
        self._check_fields(data)
        for name, value in data.items():
            setattr(model, name, value)

    def _check_fields(self, data: Mapping[str, Any]) -> None:
        columns = self.base_class.__mapper__.columns
        for name in data:
            if name not in columns:
                raise ValidationError(f"{self.base_class.__name__} has no field {name!r}.")

    def _to_entity(self, model: ModelExtension) -> Any:
        if self.entity_class is None:
            return model
        return self.entity_class(**{name: getattr(model, name) for name in _field_names(self.entity_class)})

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """Commit what the block did, or roll all of it back; storage errors are translated."""
        with self._storage_errors():
            try:
                yield
                self.session.commit()
            except BaseException:
                self.session.rollback()
                raise

    @contextmanager
    def _storage_errors(self) -> Iterator[None]:
        """Turn the storage errors a caller can act on into domain errors; others stay as they are."""
        try:
            yield
        except IntegrityError as error:
            raise ConflictError("The change conflicts with data that already exists.") from error
        except StaleDataError as error:
            # The version column made the UPDATE or DELETE match no row: another writer committed first.
            raise VersionMismatchError(self.VERSION_MISMATCH_MESSAGE) from error
        except (DBAPIError, PoolTimeoutError) as error:
            if not _is_unavailable(error):
                raise
            raise UnavailableError(self.UNAVAILABLE_MESSAGE) from error


def _is_unavailable(error: DBAPIError | PoolTimeoutError) -> bool:
    """Connection failures, lost connections, timeouts and a full pool: a retry may succeed."""
    return isinstance(error, (OperationalError, PoolTimeoutError)) or error.connection_invalidated


def _version_of(model: ModelExtension) -> Any:
    mapper = model.__mapper__
    if mapper.version_id_col is None:
        raise TypeError(f"{type(model).__name__} has no version column to compare an expected version with.")
    return getattr(model, mapper.get_property_by_column(mapper.version_id_col).key)


@cache
def _field_names(entity_class: type) -> tuple[str, ...]:
    return tuple(field.name for field in fields(entity_class))


@cache
def _insert_returning(model_class: type[ModelExtension], entity_class: type | None) -> Insert | None:
    """An INSERT that returns the entity's columns; None when that needs the ORM (see `_entity_columns`)."""
    columns = _entity_columns(model_class, entity_class)
    return None if columns is None else insert(model_class.__table__).returning(*columns)


@cache
def _first_version(model_class: type[ModelExtension]) -> dict[str, Any]:
    """The version column's first value, which the ORM would set on insert; empty without one."""
    mapper = model_class.__mapper__
    if mapper.version_id_col is None or not callable(mapper.version_id_generator):
        return {}
    return {mapper.version_id_col.key: mapper.version_id_generator(None)}


_ListingShape = Callable[[Select, type[ModelExtension]], Select]


def _ordered(filtered: Select, model_class: type[ModelExtension]) -> Select:
    """Every row, in primary-key order after any order the filters gave."""
    return filtered.order_by(*model_class.__mapper__.primary_key)


def _paged(filtered: Select, model_class: type[ModelExtension]) -> Select:
    """One page of `_ordered`; `offset` and `limit` are parameters."""
    return _ordered(filtered, model_class).offset(bindparam("offset")).limit(bindparam("limit"))


def _counted(filtered: Select, model_class: type[ModelExtension]) -> Select:
    """The count of the rows; any order the filters gave is dropped, as PostgreSQL refuses it there."""
    return filtered.with_only_columns(func.count(), maintain_column_froms=True).order_by(None)


@lru_cache(maxsize=256)
def _filtered(model_class: type[ModelExtension], entity_class: type | None, filter_names: tuple[str, ...]) -> Select:
    """The entity's columns (or the model), with an equality condition on each named filter column."""
    columns = _entity_columns(model_class, entity_class)
    query = select(model_class) if columns is None else select(*columns)
    model_columns = model_class.__mapper__.columns
    for name in filter_names:
        if name not in model_columns:
            raise TypeError(f"filter_columns names {name!r}, which is not a column of {model_class.__name__}.")
        query = query.where(model_columns[name] == bindparam(_filter_parameter(name)))
    return query


@lru_cache(maxsize=1024)
def _prepared_listing(
    shape: _ListingShape, model_class: type[ModelExtension], entity_class: type | None, filter_names: tuple[str, ...]
) -> Select:
    """A listing statement built once: SQLAlchemy then skips building it and computing its cache key."""
    return shape(_filtered(model_class, entity_class, filter_names), model_class)


def _filter_parameter(name: str) -> str:
    return f"filter_{name}"


@cache
def _select_by_id(model_class: type[ModelExtension], entity_class: type | None) -> Select | None:
    """The entity's columns of one row by primary key; None when that needs the ORM (see `_entity_columns`)."""
    columns = _entity_columns(model_class, entity_class)
    primary_key = model_class.__table__.primary_key.columns
    if columns is None or len(primary_key) != 1:
        return None
    (key,) = primary_key
    return select(*columns).where(key == bindparam("entity_id"))


@cache
def _entity_columns(model_class: type[ModelExtension], entity_class: type | None) -> tuple[Any, ...] | None:
    """The model's columns in the order of the entity's fields; None when a field is not a column."""
    if entity_class is None:
        return None
    columns = model_class.__mapper__.columns
    names = _field_names(entity_class)
    if not all(name in columns for name in names):
        return None
    # The table's columns, not the model's attributes: the same rows, and the statement compiles faster.
    return tuple(columns[name] for name in names)
