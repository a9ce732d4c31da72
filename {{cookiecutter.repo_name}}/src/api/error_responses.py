"""OpenAPI documentation of the errors an operation can answer, each in the one error shape."""

from collections.abc import Callable

from flask_smorest import Blueprint

from src.api.documentation_only import documentation_only
from src.api.schemas.error_schemas import ErrorSchema

ERROR_DESCRIPTIONS = {
    400: "The body is not well-formed JSON.",
    401: "The `Authorization: Bearer` token is missing or wrong.",
    403: "The operation is disabled by configuration; the message says how to enable it.",
    404: "No object has this id.",
    409: "The change conflicts with data that already exists.",
    413: "The body is larger than the service accepts (`MAX_CONTENT_LENGTH`).",
    415: "The body is not sent as `application/json`.",
    422: "A field or query parameter is invalid, unknown or out of range; `errors` says which and why.",
    503: "The database cannot be reached or the service is in maintenance; retry after `Retry-After` seconds.",
}
RETRY_AFTER_HEADER = {
    "Retry-After": {"description": "Seconds to wait before trying again.", "schema": {"type": "integer"}}
}
BODY_ERRORS = (400, 413, 415, 422)


def documents_errors(blueprint: Blueprint, *statuses: int) -> Callable:
    """Decorator listing `statuses` among the view's documented responses."""

    def decorate(view: Callable) -> Callable:
        for status in statuses:
            headers = RETRY_AFTER_HEADER if status == 503 else None
            documented = blueprint.alt_response(
                status, schema=ErrorSchema, description=ERROR_DESCRIPTIONS[status], headers=headers
            )
            view = documentation_only(documented)(view)
        return view

    return decorate
