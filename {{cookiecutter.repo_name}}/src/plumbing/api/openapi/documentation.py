"""The parts of the OpenAPI document that operations share: error answers, ETag and pagination headers."""

from typing import Any

from apispec import APISpec

from src.plumbing.api.openapi import idempotency
from src.plumbing.api.openapi.error_schema import ErrorSchema

# Every error answer, by status: the name of its response component and what it means.
ERROR_RESPONSES = {
    400: (
        "MalformedJson",
        "The body is not well-formed JSON, or nests deeper than JSON can sensibly go, or the `Idempotency-Key` is"
        " malformed.",
    ),
    401: ("Unauthorized", "The `Authorization: Bearer` token is missing or wrong."),
{%- if cookiecutter.auth == "jwt" %}
    403: (
        "Forbidden",
        "The token lacks a scope the operation needs (its `x-scopes`), or the operation is disabled by configuration.",
    ),
{%- else %}
    403: ("Forbidden", "The operation is disabled by configuration; the message says how to enable it."),
{%- endif %}
    404: ("NotFound", "No object has this id."),
    409: (
        "Conflict",
        "A unique value is taken, a referenced row is missing, rows still refer to this one, or a request with the"
        " same `Idempotency-Key` is still running.",
    ),
    412: ("PreconditionFailed", "`If-Match` does not name the current version: someone changed the object since."),
    413: ("PayloadTooLarge", "The body is larger than the service accepts (`MAX_CONTENT_LENGTH`)."),
    415: ("UnsupportedMediaType", "The body is not sent as `application/json`."),
    422: ("InvalidInput", "A field or query parameter is invalid, unknown or out of range; `errors` says which."),
    428: ("PreconditionRequired", "The change needs an `If-Match` header with the `ETag` of the object."),
    429: ("TooManyRequests", "The caller has used up a rate limit; `Retry-After` says when to try again."),
    503: ("ServiceUnavailable", "The database cannot be reached or the service is in maintenance; retry later."),
}
# The 400 of an operation that takes no body, in place of the one about malformed JSON.
UNEXPECTED_BODY = "UnexpectedBody"
UNEXPECTED_BODY_DESCRIPTION = "The operation takes no body, and the request sent one."
# The business rules an operation declares, listed in the document for people and for the contract tests.
RULES_EXTENSION = "x-rules"
# An operation's own rate limit per caller, beside the budget across the API.
LIMIT_EXTENSION = "x-rate-limit"
EVERY_OPERATION_ERRORS = (503,)
{%- if cookiecutter.auth == "jwt" %}
AUTHORIZATION_ERRORS = (401, 403)
BEARER_SCHEME = "bearerAuth"
{%- endif %}
BODY_ERRORS = (400, 413, 415, 422)
QUERY_ERRORS = (422,)
NOT_MODIFIED = "NotModified"
ETAG = "ETag"
IF_MATCH = "IfMatch"
IF_NONE_MATCH = "IfNoneMatch"
PAGINATION = "Pagination"
REQUEST_ID = "RequestId"
# Every answer carries its request's ID (src/plumbing/api/middleware/request_id.py), errors included.
EVERY_ANSWER_HEADERS = {"X-Request-ID": REQUEST_ID}
PAGE_NUMBERS = ("total", "total_pages", "first_page", "last_page", "page", "previous_page", "next_page")
RETRY_AFTER = {"description": "Seconds to wait before trying again.", "schema": {"type": "integer"}}
# The fields of the IETF draft "RateLimit header fields for HTTP" (draft-ietf-httpapi-ratelimit-headers).
RATE_LIMIT = "RateLimit"
RATE_LIMIT_POLICY = "RateLimit-Policy"
RATE_LIMIT_HEADERS = (RATE_LIMIT, RATE_LIMIT_POLICY)
RATE_LIMIT_DESCRIPTIONS = {
    RATE_LIMIT: 'What is left of each limit: `"default";r=599;t=42` is 599 requests for the next 42 seconds.',
    RATE_LIMIT_POLICY: 'The limits that apply: `"default";q=600;w=60` allows 600 requests per 60 seconds.',
}
WWW_AUTHENTICATE = {"description": "The `Bearer` challenge: what the token lacks.", "schema": {"type": "string"}}
# The headers some error answers carry beyond `X-Request-ID`.
ERROR_HEADERS: dict[int, dict[str, Any]] = {
    401: {"WWW-Authenticate": WWW_AUTHENTICATE},
    429: {"Retry-After": RETRY_AFTER, **{header: header for header in RATE_LIMIT_HEADERS}},
    503: {"Retry-After": RETRY_AFTER},
}
# RFC 9110: `*`, or a comma-separated list of entity tags, each quoted and perhaps marked weak with `W/`.
IF_MATCH_SYNTAX = '^(\\*|(W/)?"[!#-~]*"( *, *(W/)?"[!#-~]*")*)$'


def register_components(spec: APISpec) -> None:
    """Add the shared parts to `spec`; each appears in the document only once an operation refers to it."""
    components = spec.components
    for status, (name, description) in ERROR_RESPONSES.items():
        components.response(name, error_response(description, ERROR_HEADERS.get(status, {})), lazy=True)
    components.response(UNEXPECTED_BODY, error_response(UNEXPECTED_BODY_DESCRIPTION), lazy=True)
    request_id = {"description": "The request's ID, as in an error's `request_id` and every log line of it."}
    components.header(REQUEST_ID, {**request_id, "schema": {"type": "string"}}, lazy=True)
    components.header(ETAG, {"description": "The version tag of the object.", "schema": {"type": "string"}}, lazy=True)
    components.response(
        NOT_MODIFIED,
        {
            "description": "The `If-None-Match` tag is still current: nothing to send.",
            "headers": {ETAG: ETAG, **EVERY_ANSWER_HEADERS},
        },
        lazy=True,
    )
    components.parameter(
        IF_MATCH,
        "header",
        {
            "name": "If-Match",
            "required": True,
            "description": "The `ETag` of the version this change is based on, or `*` for whichever is current.",
            "schema": {"type": "string", "pattern": IF_MATCH_SYNTAX},
        },
        lazy=True,
    )
    components.parameter(
        IF_NONE_MATCH,
        "header",
        {
            "name": "If-None-Match",
            "description": "An `ETag` the client holds: while it is current, the answer is 304 without a body.",
            "schema": {"type": "string"},
        },
        lazy=True,
    )
    components.header(PAGINATION, _pagination_header(), lazy=True)
    components.parameter(idempotency.PARAMETER, "header", idempotency.parameter(), lazy=True)
    components.header(idempotency.REPLAYED_HEADER, idempotency.replayed_header(), lazy=True)
    for header, description in RATE_LIMIT_DESCRIPTIONS.items():
        components.header(header, {"description": description, "schema": {"type": "string"}}, lazy=True)


def error_responses(statuses: tuple[int, ...]) -> dict[int, str]:
    unknown = [status for status in statuses if status not in ERROR_RESPONSES]
    if unknown:
        raise ValueError(f"No error answer is documented for {unknown[0]}; choose from {sorted(ERROR_RESPONSES)}.")
    return {status: ERROR_RESPONSES[status][0] for status in statuses}


def error_response(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    """An answer in the one error shape, with `X-Request-ID` and any `headers` of its own."""
    return {
        "description": description,
        "headers": {**EVERY_ANSWER_HEADERS, **(headers or {})},
        "content": {"application/json": {"schema": ErrorSchema}},
    }


def broken_rules_response(rules: tuple[str, ...], *, reads_input: bool) -> dict[str, Any]:
    """The 422 of an operation that declares business rules: its input may be invalid, or break one of them."""
    invalid_input = ERROR_RESPONSES[422][1] + " Or the" if reads_input else "The"
    listed = "\n".join(f"- {rule}" for rule in rules)
    return error_response(f"{invalid_input} request breaks a rule of the operation; `message` says which.\n\n{listed}")


PAGINATION_EXAMPLE = '{"total": 45, "total_pages": 3, "first_page": 1, "last_page": 3, "page": 2}'


def _pagination_header() -> dict[str, Any]:
    # A header's value is text: this one is a JSON object, whose members the description names.
    numbers = ", ".join(f"`{name}`" for name in PAGE_NUMBERS)
    return {
        "description": (
            "Which page this is and how many there are, as a JSON object of whole numbers: "
            f"{numbers}; `total` and `total_pages` always, the others while there are pages. "
            "Absent with `itemized=true`."
        ),
        "schema": {"type": "string", "example": PAGINATION_EXAMPLE},
    }
