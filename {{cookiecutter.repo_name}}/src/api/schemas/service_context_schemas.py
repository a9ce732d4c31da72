"""Schemas of the service context resource."""

from marshmallow import Schema, fields, validate

from src.api.schemas.fast_dump import FastDumpSchema
from src.api.schemas.strict_fields import StrictBoolean, Text
from src.domain.service_context import MESSAGE_MAX_LENGTH


class ServiceContextSchema(FastDumpSchema):
    maintenance = fields.Boolean(dump_only=True)
    message = fields.String(dump_only=True, allow_none=True)
    updated_at = fields.AwareDateTime(dump_only=True, format="iso", allow_none=True)


class ServiceContextUpdateSchema(Schema):
    maintenance = StrictBoolean(required=True, metadata={"description": "`true` starts maintenance, `false` ends it."})
    message = Text(
        validate=validate.Length(min=1, max=MESSAGE_MAX_LENGTH),
        allow_none=True,
        metadata={"description": "Shown to clients in the 503 body while maintenance is on."},
    )
