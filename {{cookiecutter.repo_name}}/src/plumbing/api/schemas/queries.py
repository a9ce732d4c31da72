"""Query strings of list operations: paging, and filters derived from a resource's `Filters` and schema."""

import copy
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from marshmallow import Schema, fields, missing, post_load, validate

from src.plumbing.api.schemas.fields import QueryBoolean, QueryInteger, StrictBoolean, StrictInteger, Text
from src.plumbing.services.filters import Filters, declarations
from src.plumbing.services.pagination import DEFAULT_PER_PAGE, PageRequest

MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000


class ListQuerySchema(Schema):
    """One page of a list (`page`, `per_page`), or every match at once with `itemized=true`."""

    page = QueryInteger(
        load_default=1,
        validate=validate.Range(min=1, max=MAX_PAGE),
        metadata={"description": f"Page number, from 1 to {MAX_PAGE}; outside that range the answer is 422."},
    )
    per_page = QueryInteger(
        load_default=DEFAULT_PER_PAGE,
        validate=validate.Range(min=1, max=MAX_PER_PAGE),
        metadata={"description": f"Items per page, from 1 to {MAX_PER_PAGE}; outside that range the answer is 422."},
    )
    itemized = QueryBoolean(
        load_default=False, metadata={"description": "`true` returns every match in one list, without paging."}
    )


F = TypeVar("F", bound=Filters)
S = TypeVar("S", bound=Schema)

# How the documentation of a filter reads, by operator.
MEANINGS = {
    "eq": "is exactly this",
    "ge": "is this or greater (later)",
    "le": "is this or less (earlier)",
    "gt": "is greater (later) than this",
    "lt": "is less than (earlier than) this",
    "in": "is one of these; repeat the parameter for each",
}


@dataclass(frozen=True)
class ListQuery(Generic[F]):
    """A list's query string, loaded: the resource's filters, and the page asked for (None with `itemized=true`)."""

    filters: F
    page: PageRequest | None


class FilteredListQuerySchema(ListQuerySchema):
    """`ListQuerySchema` plus the fields of a `Filters` class; loads into a `ListQuery`."""

    filters_class: type[Filters]

    @post_load
    def loaded(self, data: dict[str, Any], **kwargs: Any) -> ListQuery[Filters]:
        page, per_page, itemized = data.pop("page"), data.pop("per_page"), data.pop("itemized")
        return ListQuery(self.filters_class(**data), None if itemized else PageRequest(page, per_page))


def list_query(
    schema: type[Schema], *filters: type[Filters] | str, exclude: Collection[str] = ()
) -> type[ListQuerySchema]:
    """The query string of a list of `schema`'s resources: paging, and the filters of a `Filters` class.

    `list_query(TodoSchema, TodoFilters)` reads each filter with the type and limits of the schema's field it
    compares, and loads into a `ListQuery`. `exclude` leaves filters out, for a list whose path gives their
    value (`/v1/project/<id>/tasks`). Names instead of a class (`list_query(TodoSchema, "title")`) keep the form
    of earlier releases: equality filters, loaded into a dictionary.
    """
    source = schema().fields
    name = schema.__name__.removesuffix("Schema") + "QuerySchema"
    if len(filters) == 1 and isinstance(filters[0], type):
        filters_class = filters[0]
        derived: dict[str, fields.Field[Any]] = {}
        for field_name, target, declared in declarations(filters_class):
            if field_name in exclude:
                continue
            if target not in source:
                raise TypeError(
                    f"{filters_class.__name__}.{field_name} filters on {target!r}, not a field of {schema.__name__}."
                )
            derived[field_name] = filter_field(declared.operator, target, source[target])
        query_schema = _derived(FilteredListQuerySchema, derived, name)
        query_schema.filters_class = filters_class
        return query_schema
    names = [each for each in filters if isinstance(each, str)]
    return _derived(ListQuerySchema, {each: query_field(each, source[each]) for each in names}, name)


def _derived(base: type[S], declared: dict[str, fields.Field[Any]], name: str) -> type[S]:
    """A subclass of `base` with the `declared` fields; marshmallow's `from_dict` types it as any schema."""
    return cast(type[S], base.from_dict(declared, name=name))


def filter_field(operator: str, target: str, field: fields.Field[Any]) -> fields.Field[Any]:
    """The query-string field of one filter on `target`, whose schema field is `field`."""
    description = f"Only those whose `{target}` {MEANINGS[operator]}."
    if operator == "in":
        return fields.List(query_field(target, field), metadata={"description": description})
    return query_field(target, field, description)


def query_field(name: str, field: fields.Field[Any], description: str | None = None) -> fields.Field[Any]:
    """The same type and limits, read from a query string, optional; business rules stay out of filters."""
    metadata = {"description": description or f"Only those whose `{name}` {MEANINGS['eq']}."}
    if isinstance(field, StrictBoolean):
        return QueryBoolean(metadata=metadata)
    if isinstance(field, StrictInteger):
        return QueryInteger(validate=field.validators, metadata=metadata)
    if isinstance(field, Text):
        return Text(validate=field.validators, metadata=metadata)
    query = copy.copy(field)
    # A read-only field of the entity (`dump_only`) is still a filter of the list.
    query.required, query.load_default, query.metadata, query.dump_only = False, missing, metadata, False
    return query
