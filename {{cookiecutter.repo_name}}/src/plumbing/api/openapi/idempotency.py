"""The `Idempotency-Key` request header: a retried POST gets the answer of the first, and writes nothing twice."""

import hashlib
import re
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from flask import Response, current_app, make_response, request
from werkzeug.exceptions import BadRequest

from src.plumbing.services.idempotency_service import IdempotencyService, KeyedRequest, StoredAnswer
{%- if cookiecutter.auth == "jwt" %}
from src.plumbing.services.principal import current_principal
{%- endif %}

HEADER = "Idempotency-Key"
# Where `create_service_app` leaves the provider of the service, among the app's `extensions`.
SERVICE_EXTENSION = "idempotency_service"
REPLAYED = "Idempotent-Replayed"
KEY_MAX_LENGTH = 255
# Printable ASCII without spaces: a UUID, a ULID or any opaque token of the client's.
KEY_SYNTAX = "^[!-~]{1," + str(KEY_MAX_LENGTH) + "}$"
# What a replay repeats of the first answer; `X-Request-ID` and the rate-limit fields are the retry's own.
STORED_HEADERS = ("Content-Type", "ETag", "Location", "Link")
PARAMETER = "IdempotencyKey"
REPLAYED_HEADER = "IdempotentReplayed"
STATUSES = (400, 409)
# Declared among the operation's rules: a 422 for a schema-valid body is then expected, and documented.
RULE = "An Idempotency-Key stands for one request: sent again with another method, path or body, it is refused."


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    """`view`, answered once per key: a retry with the key gets the stored answer, marked `Idempotent-Replayed`."""

    @wraps(view)
    def keyed_view(*args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(HEADER)
        if key is None:
            return view(*args, **kwargs)
        if not re.fullmatch(KEY_SYNTAX, key):
            raise BadRequest(f"{HEADER} must be 1 to {KEY_MAX_LENGTH} printable ASCII characters without spaces.")

        keyed_request = KeyedRequest(_subject(), key, fingerprint())

        def process() -> StoredAnswer:
            response = make_response(view(*args, **kwargs))
            headers = _stored_headers(response)
            return StoredAnswer(keyed_request.fingerprint, response.status_code, headers, response.get_data())

        lifetime = timedelta(seconds=current_app.config["IDEMPOTENCY_KEY_LIFETIME"])
        service = _service()
        answer, replayed = service.answer(keyed_request, process, lifetime)
        response = Response(answer.body, status=answer.status, headers=answer.headers)
        if replayed:
            response.headers[REPLAYED] = "true"
        return response

    return keyed_view


def _service() -> IdempotencyService:
    """A new service on the request's session, from the provider the composition root registered."""
    provider: Callable[[], IdempotencyService] = current_app.extensions[SERVICE_EXTENSION]
    return provider()


def fingerprint() -> str:
    """What makes two requests with one key the same request: method, path and the body's bytes."""
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), request.get_data(cache=True)):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def _subject() -> str:
{%- if cookiecutter.auth == "jwt" %}
    """The token's subject: keys are each caller's own. Empty for an operation open to everyone."""
    principal = current_principal()
    return "" if principal is None else principal.subject
{%- else %}
    """Empty: without authentication, every client shares one space of keys (docs/rate-limits.md)."""
    return ""
{%- endif %}


def _stored_headers(response: Response) -> dict[str, str]:
    return {name: response.headers[name] for name in STORED_HEADERS if name in response.headers}


def parameter() -> dict[str, Any]:
    return {
        "name": HEADER,
        "description": (
            "Send a new unique key with each request: a retry with the same key and the same request gets the first"
            " answer (marked `Idempotent-Replayed: true`) and changes nothing again, for 24 hours by default. The"
            " same key with another request is 422; a retry while the first is still running is 409."
        ),
        "schema": {"type": "string", "minLength": 1, "maxLength": KEY_MAX_LENGTH, "pattern": KEY_SYNTAX},
    }


def replayed_header() -> dict[str, Any]:
    return {
        "description": "`true` when the answer is the one stored for the `Idempotency-Key`, sent again.",
        "schema": {"type": "string", "enum": ["true"]},
    }
