"""What an operation accepts as a request body: JSON when it declares one, nothing when it does not.

Each operation decides for itself (`Operation.body_checked`), so a body-less action such as
`POST /v1/project/<id>/archive` is reached without a body, and only an operation that reads JSON answers 415.
"""

from flask import request
from flask_smorest import abort
from werkzeug.exceptions import RequestEntityTooLarge

# The methods whose body means something; a body-less GET or DELETE ignores a body, as HTTP lets it.
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
NOT_JSON_MESSAGE = "Send the request body as JSON with 'Content-Type: application/json'."
NO_BODY_MESSAGE = "This operation takes no request body; send the request without one."


def require_json() -> None:
    """415 unless the body is JSON; 413 for a body longer than `MAX_CONTENT_LENGTH`, however it is sent."""
    if not request.is_json:
        abort(415, message=NOT_JSON_MESSAGE)
    read_within_limit()


def refuse_body() -> None:
    """400 when the request sends a body to an operation that takes none."""
    if request.content_length or (request.content_length is None and request.stream.read(1)):
        abort(400, message=NO_BODY_MESSAGE)


def read_within_limit() -> None:
    """Read the body once, for the parser to find; 413 when a body without `Content-Length` goes on past the limit.

    werkzeug refuses a `Content-Length` over `MAX_CONTENT_LENGTH` before reading. A chunked body it reads up to the
    limit and stops there, and the JSON parser would answer the truncated text with a misleading 400.
    """
    data = request.get_data(cache=True)
    limit = request.max_content_length
    if request.content_length is None and limit is not None and len(data) >= limit and request.input_stream.read(1):
        raise RequestEntityTooLarge()
