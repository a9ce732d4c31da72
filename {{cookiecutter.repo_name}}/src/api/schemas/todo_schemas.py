"""Schemas of the Todo resource."""

from marshmallow import Schema, fields, validate

from src.api.schemas.strict_fields import StrictBoolean
from src.domain.todo import DESCRIPTION_MAX_LENGTH, TITLE_MAX_LENGTH

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000

_title = {"validate": validate.Length(min=1, max=TITLE_MAX_LENGTH), "metadata": {"example": "Write the report"}}
_description = {"validate": validate.Length(max=DESCRIPTION_MAX_LENGTH)}


class TodoSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = fields.String(required=True, **_title)
    description = fields.String(load_default="", **_description)
    completed = StrictBoolean(load_default=False)
    created_at = fields.AwareDateTime(dump_only=True, format="iso")
    updated_at = fields.AwareDateTime(dump_only=True, format="iso")


class TodoUpdateSchema(Schema):
    """Every field is optional: PATCH changes only what it names."""

    title = fields.String(**_title)
    description = fields.String(**_description)
    completed = StrictBoolean()


class TodoQuerySchema(Schema):
    title = fields.String(
        validate=validate.Length(max=TITLE_MAX_LENGTH), metadata={"description": "Only todos with exactly this title."}
    )
    page = fields.Integer(
        load_default=1, validate=validate.Range(min=1, max=MAX_PAGE), metadata={"description": "Page number, from 1."}
    )
    per_page = fields.Integer(
        load_default=DEFAULT_PER_PAGE,
        validate=validate.Range(min=1, max=MAX_PER_PAGE),
        metadata={"description": f"Items per page, at most {MAX_PER_PAGE}."},
    )
    itemized = fields.Boolean(
        load_default=False,
        truthy={"true"},
        falsy={"false"},
        metadata={"description": "`true` returns every matching todo in one unpaginated list."},
    )
