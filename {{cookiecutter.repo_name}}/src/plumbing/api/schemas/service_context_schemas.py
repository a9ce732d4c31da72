"""Schema of the service context: the answer of GET and the body of PATCH."""

from marshmallow import Schema, fields

from src.plumbing.api.schemas.fields import StrictBoolean, Text
from src.plumbing.domain.service_context import MESSAGE_MAX_LENGTH


class ServiceContextSchema(Schema):
    maintenance = StrictBoolean(required=True, metadata={"description": "`true` starts maintenance, `false` ends it."})
    message = Text(
        min_length=1,
        max_length=MESSAGE_MAX_LENGTH,
        allow_none=True,
        metadata={"description": "Shown to clients in the 503 body while maintenance is on."},
    )
    updated_at = fields.AwareDateTime(dump_only=True, format="iso", allow_none=True)
