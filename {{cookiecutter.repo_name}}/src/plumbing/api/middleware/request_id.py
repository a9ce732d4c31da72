"""Every request gets an ID: the caller's `X-Request-ID` when it is well formed, else a fresh one."""

import re
import uuid
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from src.plumbing.services.request_context import current_request_id

if TYPE_CHECKING:
    # The type of `exc_info` that `start_response` takes: typeshed names it, the standard library does not.
    from _typeshed import OptExcInfo

REQUEST_ID_HEADER = "X-Request-ID"
# Wide enough for UUIDs, trace ids and load balancer ids, narrow enough to be safe in logs and headers.
WELL_FORMED = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def request_id_from(environ: WSGIEnvironment) -> str:
    """The incoming ID if it is well formed; a malformed one is dropped unseen, never echoed or logged."""
    incoming = environ.get("HTTP_X_REQUEST_ID", "")
    return incoming if WELL_FORMED.fullmatch(incoming) else uuid.uuid4().hex


class RequestIdMiddleware:
    """Outermost WSGI layer, so that every answer, even the prefix's 404, carries the ID."""

    def __init__(self, wsgi_app: WSGIApplication) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request_id = request_id_from(environ)

        def start_with_request_id(
            status: str, headers: list[tuple[str, str]], exc_info: "OptExcInfo | None" = None
        ) -> Callable[[bytes], object]:
            return start_response(status, [*headers, (REQUEST_ID_HEADER, request_id)], exc_info)

        token = current_request_id.set(request_id)
        try:
            return self.wsgi_app(environ, start_with_request_id)
        finally:
            current_request_id.reset(token)
