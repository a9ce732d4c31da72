"""Schema of the health probes' answer."""

from marshmallow import Schema, fields


class HealthSchema(Schema):
    status = fields.String(dump_only=True, metadata={"example": "ok"})
