"""The one error shape every failed request answers with."""

from marshmallow import Schema, fields


class ErrorSchema(Schema):
    code = fields.Integer(required=True, metadata={"description": "The HTTP status code.", "example": 404})
    status = fields.String(required=True, metadata={"description": "The HTTP status name.", "example": "Not Found"})
    message = fields.String(required=True, metadata={"description": "What went wrong, for people to read."})
    errors = fields.Dict(
        metadata={"description": "Validation problems by location (`json`, `query`) and field, on 422 only."}
    )
    request_id = fields.String(
        required=True,
        metadata={"description": "The request's ID, also in the X-Request-ID header and in every log line of it."},
    )
