"""The one error shape every failed request answers with."""

from marshmallow import Schema, fields


def messages_by_field(location: str) -> fields.Dict:
    return fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": f"The messages about each field of the {location}, by field name."},
    )


class ValidationErrorsSchema(Schema):
    json = messages_by_field("JSON body")
    query = messages_by_field("query string")


class ErrorSchema(Schema):
    code = fields.Integer(required=True, metadata={"description": "The HTTP status code.", "example": 404})
    status = fields.String(required=True, metadata={"description": "The HTTP status name.", "example": "Not Found"})
    message = fields.String(required=True, metadata={"description": "What went wrong, for people to read."})
    errors = fields.Nested(
        ValidationErrorsSchema,
        metadata={"description": "Validation problems by location (`json`, `query`) and field, on 422 only."},
    )
    request_id = fields.String(
        required=True,
        metadata={"description": "The request's ID, also in the X-Request-ID header and in every log line of it."},
    )
