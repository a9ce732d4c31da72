"""Response headers that keep browsers from misreading or framing what a JSON API answers."""

from flask import Flask, Response

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


def add_security_headers(response: Response) -> Response:
    for name, value in HARDENING_HEADERS.items():
        response.headers.setdefault(name, value)
    html = response.mimetype == "text/html"
    response.headers.setdefault(
        "Content-Security-Policy", DOCS_CONTENT_SECURITY_POLICY if html else API_CONTENT_SECURITY_POLICY
    )
    if response.status_code >= 400:
        # An error describes one moment; no cache should keep it.
        response.headers["Cache-Control"] = "no-store"
    return response


def register_security_headers(app: Flask) -> None:
    app.after_request(add_security_headers)
