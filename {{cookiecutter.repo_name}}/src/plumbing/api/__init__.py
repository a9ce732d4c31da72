"""The template's API, public surface: `Blueprint` with its `operation` decorator, strict fields, list query strings."""

from src.plumbing.api.openapi.blueprint import Blueprint
from src.plumbing.api.schemas.fields import (
    ID_RANGE,
    INTEGER_RANGE,
    DecimalString,
    QueryBoolean,
    QueryInteger,
    StrictBoolean,
    StrictInteger,
    Text,
    Timestamp,
)
from src.plumbing.api.schemas.queries import ListQuery, ListQuerySchema, list_query

__all__ = [
    "ID_RANGE",
    "INTEGER_RANGE",
    "Blueprint",
    "DecimalString",
    "ListQuery",
    "ListQuerySchema",
    "QueryBoolean",
    "QueryInteger",
    "StrictBoolean",
    "StrictInteger",
    "Text",
    "Timestamp",
    "list_query",
]
