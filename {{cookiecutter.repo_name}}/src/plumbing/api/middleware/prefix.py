"""WSGI middleware that serves the whole service under `SERVICE_PREFIX`."""

import json
from collections.abc import Iterable
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from src.plumbing.api.openapi.errors import error_body


class PrefixMiddleware:
    """Strip the prefix from matching paths and answer every other path with a JSON 404."""

    ROUTE_NOT_FOUND_MESSAGE = "This URL does not belong to the service."

    def __init__(self, wsgi_app: WSGIApplication, prefix: str) -> None:
        self.wsgi_app = wsgi_app
        self.prefix = prefix

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == self.prefix or path.startswith(self.prefix + "/"):
            environ["PATH_INFO"] = path[len(self.prefix) :] or "/"
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + self.prefix
            return self.wsgi_app(environ, start_response)
        body = json.dumps(error_body(404, self.ROUTE_NOT_FOUND_MESSAGE)).encode()
        start_response("404 Not Found", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]
