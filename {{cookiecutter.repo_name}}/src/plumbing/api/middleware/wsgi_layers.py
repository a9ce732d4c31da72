"""`wrap_wsgi_app`: a WSGI layer around the app, outside Flask's own handling of the request."""

from collections.abc import Callable
from wsgiref.types import WSGIApplication

from flask import Flask


def wrap_wsgi_app(app: Flask, layer: Callable[[WSGIApplication], WSGIApplication]) -> None:
    # Flask's documented way to add WSGI middleware replaces the app's `wsgi_app` method, which mypy refuses.
    app.wsgi_app = layer(app.wsgi_app)  # type: ignore[method-assign, assignment]
