"""415 for a request whose body is not JSON, before any validation runs."""

from flask import request
from flask_smorest import abort

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def require_json_body() -> None:
    if request.method in BODY_METHODS and request.routing_exception is None and not request.is_json:
        abort(415, message="Send the request body as JSON with 'Content-Type: application/json'.")
