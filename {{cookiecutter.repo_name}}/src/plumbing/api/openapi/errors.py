"""The one error shape (`code`, `status`, `message`, `errors`, `request_id`): domain errors become answers in it."""

from typing import Any

from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from src.plumbing.api.openapi.unavailable_causes import unavailable_causes
from src.plumbing.domain.errors import (
    ConflictError,
    DomainError,
    NotFoundError,
    UnavailableError,
    ValidationError,
    VersionMismatchError,
)
from src.plumbing.services.request_context import current_request_id

STATUS_BY_DOMAIN_ERROR = {
    NotFoundError: 404,
    ConflictError: 409,
    VersionMismatchError: 412,
    ValidationError: 422,
    UnavailableError: 503,
}
RETRY_AFTER_SECONDS = "5"
MESSAGE_BY_STATUS = {
    412: "The If-Match ETag is not the current one: someone changed the object. GET it again and retry.",
    422: "The request did not pass validation; `errors` lists the problems per field.",
    428: "This change needs an If-Match header with the ETag from your last GET of the object.",
    500: "The service hit an unexpected error. It has been logged.",
}


def error_body(status: int, message: str) -> dict[str, Any]:
    return {
        "code": status,
        "status": HTTP_STATUS_CODES[status],
        "message": message,
        "request_id": current_request_id.get(),
    }


def handle_domain_error(error: DomainError) -> tuple[dict[str, Any], int, dict[str, str]]:
    status = next((code for kind, code in STATUS_BY_DOMAIN_ERROR.items() if isinstance(error, kind)), 400)
    body = error_body(status, error.message)
    if isinstance(error, ValidationError) and error.field:
        body["errors"] = {"json": {error.field: [error.message]}}
    headers: dict[str, str] = {}
    if status == 503:
        unavailable_causes.report(error)
        headers = {"Retry-After": RETRY_AFTER_SECONDS}
    return body, status, headers


def with_message_and_headers(
    error: HTTPException, body: dict[str, Any], headers: dict[str, Any] | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """flask-smorest's answer to `error`, with a `message` and `request_id` always and werkzeug's headers (`Allow`)."""
    body.setdefault("message", MESSAGE_BY_STATUS.get(error.code or 0) or error.description)
    if error.code != 422:
        # The document types `errors` as messages per field, on 422 only; webargs adds a bare list to its 400.
        body.pop("errors", None)
    body["request_id"] = current_request_id.get()
    own = {name: value for name, value in error.get_headers() if name.lower() != "content-type"}
    return body, {**own, **(headers or {})}
