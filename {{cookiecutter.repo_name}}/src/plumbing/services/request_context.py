"""The ID of the request being served: any layer can read it, and every log line carries it."""

from contextvars import ContextVar

# Empty outside a request, e.g. in a flask command or while a worker starts.
current_request_id: ContextVar[str] = ContextVar("current_request_id", default="")
