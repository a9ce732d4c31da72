"""Schemas of the Todo resource."""

from marshmallow import Schema, fields, validate

from src.api.schemas.fast_dump import FastDumpSchema
from src.api.schemas.strict_fields import QueryInteger, StrictBoolean, Text
from src.domain.todo import DESCRIPTION_MAX_LENGTH, TITLE_MAX_LENGTH

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000
# At least one character that is not whitespace, and no NUL: the same rule as the domain's `validate_title`.
TITLE_PATTERN = "^[^\\x00]*[^\\x00\\s][^\\x00]*$"

_title = {
    "validate": validate.Length(min=1, max=TITLE_MAX_LENGTH),
    "metadata": {"example": "Write the report", "pattern": TITLE_PATTERN},
}
_description = {"validate": validate.Length(max=DESCRIPTION_MAX_LENGTH)}


class TodoSchema(FastDumpSchema):
    id = fields.Integer(dump_only=True)
    title = Text(required=True, **_title)
    description = Text(load_default="", **_description)
    completed = StrictBoolean(load_default=False)
    created_at = fields.AwareDateTime(dump_only=True, format="iso")
    updated_at = fields.AwareDateTime(dump_only=True, format="iso")


class TodoUpdateSchema(Schema):
    """Every field is optional: PATCH changes only what it names."""

    title = Text(**_title)
    description = Text(**_description)
    completed = StrictBoolean()


class TodoQuerySchema(Schema):
    title = Text(
        validate=validate.Length(max=TITLE_MAX_LENGTH), metadata={"description": "Only todos with exactly this title."}
    )
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
    itemized = fields.Boolean(
        load_default=False,
        truthy={"true"},
        falsy={"false"},
        metadata={"description": "`true` returns every matching todo in one unpaginated list."},
    )
