"""Query strings of list operations: paging, and filters derived from a resource's schema."""

import copy

from marshmallow import Schema, fields, missing, validate

from src.plumbing.api.schemas.fields import QueryBoolean, QueryInteger, StrictBoolean, StrictInteger, Text
from src.plumbing.services.pagination import DEFAULT_PER_PAGE

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


def list_query(schema: type[Schema], *filters: str) -> type[ListQuerySchema]:
    """`ListQuerySchema` plus the named fields of `schema` as optional filters: `?title=...` keeps equal ones."""
    source = schema().fields
    derived = {name: query_field(name, source[name]) for name in filters}
    return ListQuerySchema.from_dict(derived, name=schema.__name__.removesuffix("Schema") + "QuerySchema")


def query_field(name: str, field: fields.Field) -> fields.Field:
    """The same type and limits, read from a query string, optional; business rules stay out of filters."""
    metadata = {"description": f"Only those whose `{name}` is exactly this."}
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
