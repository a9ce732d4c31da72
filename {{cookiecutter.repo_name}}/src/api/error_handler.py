"""Turns every error into the one JSON shape that flask-smorest documents (`code`, `status`, `message`, `errors`)."""

import logging

from flask import Flask, request
from flask_smorest import Api, abort
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES

from src.domain.errors import (
    ConflictError,
    DomainError,
    NotFoundError,
    UnavailableError,
    ValidationError,
    VersionMismatchError,
)

logger = logging.getLogger(__name__)

STATUS_BY_DOMAIN_ERROR = {
    NotFoundError: 404,
    ConflictError: 409,
    VersionMismatchError: 412,
    ValidationError: 422,
    UnavailableError: 503,
}
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
RETRY_AFTER_SECONDS = "5"
MESSAGE_BY_STATUS = {
    412: "The If-Match ETag is not the current one: someone changed the object. GET it again and retry.",
    422: "The request did not pass validation; `errors` lists the problems per field.",
    428: "This change needs an If-Match header with the ETag from your last GET of the object.",
}


def error_body(status: int, message: str) -> dict:
    return {"code": status, "status": HTTP_STATUS_CODES[status], "message": message}


def handle_domain_error(error: DomainError):
    status = next((code for kind, code in STATUS_BY_DOMAIN_ERROR.items() if isinstance(error, kind)), 400)
    headers = {"Retry-After": RETRY_AFTER_SECONDS} if status == 503 else {}
    return error_body(status, error.message), status, headers


def handle_internal_error(error: InternalServerError):
    # Flask has already logged the traceback; the client gets no detail about it.
    return error_body(500, "The service hit an unexpected error. It has been logged."), 500


def http_error_handler(api: Api):
    """flask-smorest's handler, with a `message` on every error and werkzeug's headers such as `Allow` on 405."""

    def handle_http_error(error: HTTPException):
        body, status, headers = api.handle_http_exception(error)
        body.setdefault("message", MESSAGE_BY_STATUS.get(status, error.description))
        werkzeug_headers = {name: value for name, value in error.get_headers() if name.lower() != "content-type"}
        return body, status, {**werkzeug_headers, **(headers or {})}

    return handle_http_error


def require_json_body() -> None:
    """Answer 415 before validation when a request that carries a body does not send JSON."""
    if request.method in BODY_METHODS and request.routing_exception is None and not request.is_json:
        abort(415, message="Send the request body as JSON with 'Content-Type: application/json'.")


def register_error_handlers(app: Flask, api: Api) -> None:
    app.register_error_handler(HTTPException, http_error_handler(api))
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(InternalServerError, handle_internal_error)
    app.before_request(require_json_body)
