"""The shapes a resource's one schema takes in the document: what it reads, what it creates, what it changes.

Client generators ignore `readOnly` and `writeOnly`, so each shape that differs is its own component:
`Todo` (an answer: every field it sends, all required), `TodoCreate` (a POST body, without the fields the
service sets), `TodoChanges` (a partial PATCH body: the same fields, none required) and `TodoUpdate` (a PUT
or PATCH body with every field). Each is a subclass of the one declaration, so loading and dumping behave
exactly as the declaration says.
"""

import copy
from functools import cache
from typing import Any

from marshmallow import Schema

# The class attribute of a shape: the resource's name (`Todo`) and the shape's role (`read`, `create`, `update`).
COMPONENT = "openapi_component"
# A written shape's component, by role: the body of a POST, or of a PUT or PATCH that sends every field.
WRITTEN_SUFFIXES = {"create": "Create", "update": "Update"}


def read_shape(schema: Schema) -> Schema:
    """`schema` for dumping an answer: the fields it always sends are documented as required."""
    return _read_class(type(schema))(many=schema.many, only=_only(schema), exclude=schema.exclude)


def written_shape(schema: Schema, *, creates: bool) -> Schema:
    """`schema` for loading a body (a POST's when `creates`), without the fields the service sets."""
    return _written_class(type(schema), "create" if creates else "update")(
        many=schema.many, partial=schema.partial, only=_only(schema), exclude=schema.exclude, unknown=schema.unknown
    )


def component_name(schema: Schema | type[Schema]) -> str | None:
    """The component a shape is documented as, or None for a schema that is not one."""
    name: tuple[str, str] | None = getattr(schema, COMPONENT, None)
    if name is None or name[1] == "read":
        return name and name[0]
    if isinstance(schema, Schema) and schema.partial is True:
        return name[0] + "Changes"
    return name[0] + WRITTEN_SUFFIXES[name[1]]


def _only(schema: Schema) -> set[str] | None:
    """The fields `schema` was limited to, in the form its constructor takes."""
    return None if schema.only is None else set(schema.only)


@cache
def _read_class(schema_class: type[Schema]) -> type[Schema]:
    if getattr(schema_class, COMPONENT, None) is not None:
        return schema_class
    # marshmallow dumps every field whose attribute the object has, so each one is always there (maybe null).
    declared = schema_class().fields
    fields = {name: copy.copy(field) for name, field in declared.items() if not field.load_only}
    for field in fields.values():
        field.required = True
    excluded = tuple(name for name, field in declared.items() if field.load_only)
    return _derived(schema_class, "read", fields, excluded)


@cache
def _written_class(schema_class: type[Schema], role: str) -> type[Schema]:
    if getattr(schema_class, COMPONENT, None) is not None:
        return schema_class
    excluded = tuple(name for name, field in schema_class().fields.items() if field.dump_only)
    return _derived(schema_class, role, {}, excluded)


def _derived(schema_class: type[Schema], role: str, fields: dict[str, Any], excluded: tuple[str, ...]) -> type[Schema]:
    meta = type("Meta", (schema_class.Meta,), {"exclude": (*getattr(schema_class.Meta, "exclude", ()), *excluded)})
    name = (schema_class.__name__.removesuffix("Schema"), role)
    return type(schema_class.__name__, (schema_class,), {**fields, "Meta": meta, COMPONENT: name})
