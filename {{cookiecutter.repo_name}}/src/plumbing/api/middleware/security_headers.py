"""Response headers that keep browsers from misreading or framing what a JSON API answers."""

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

if TYPE_CHECKING:
    # The type of `exc_info` that `start_response` takes: typeshed names it, the standard library does not.
    from _typeshed import OptExcInfo


HARDENING_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# JSON is data, never a document: nothing in it may load or run.
API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"
# The Swagger UI page runs its own bundle plus the inline start-up script that flask-smorest renders.
DOCS_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
)


def with_security_headers(status: str, headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """`headers` plus each hardening header the answer does not set itself, and `no-store` on errors."""
    present = {name.lower(): value for name, value in headers}
    added = [(name, value) for name, value in HARDENING_HEADERS.items() if name.lower() not in present]
    if "content-security-policy" not in present:
        html = present.get("content-type", "").startswith("text/html")
        added.append(("Content-Security-Policy", DOCS_CONTENT_SECURITY_POLICY if html else API_CONTENT_SECURITY_POLICY))
    if status.startswith(("4", "5")):
        # An error describes one moment; no cache should keep it.
        headers = [(name, value) for name, value in headers if name.lower() != "cache-control"]
        added.append(("Cache-Control", "no-store"))
    return headers + added


class SecurityHeadersMiddleware:
    """Adds the headers to every answer of the service, at the WSGI level, where that costs a list append."""

    def __init__(self, wsgi_app: WSGIApplication) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        def start_with_security_headers(
            status: str, headers: list[tuple[str, str]], exc_info: "OptExcInfo | None" = None
        ) -> Callable[[bytes], object]:
            return start_response(status, with_security_headers(status, headers), exc_info)

        return self.wsgi_app(environ, start_with_security_headers)
