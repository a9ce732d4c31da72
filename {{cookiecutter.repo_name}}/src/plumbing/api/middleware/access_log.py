"""One access line per request, when `LOG_LEVEL` allows INFO."""

import logging
import time

from flask import Flask, Response, g, request

access_logger = logging.getLogger("src.access")


def register_access_log(app: Flask) -> None:
    """Above INFO no hook is installed, so requests pay nothing for it."""
    if not access_logger.isEnabledFor(logging.INFO):
        return

    @app.before_request
    def start_timer() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def log_access(response: Response) -> Response:
        duration_ms = round((time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000, 1)
        path = request.script_root + request.full_path.rstrip("?")
        fields = {
            "method": request.method,
            "path": path,
            # The URL rule (`/v1/todo/<int:todo_id>`) groups requests to one operation; None when no route matched.
            "route": request.url_rule.rule if request.url_rule else None,
            "status": response.status_code,
            "duration_ms": duration_ms,
            "remote_addr": request.remote_addr,
        }
        access_logger.info(
            "%s %s %s %d %.1fms",
            request.remote_addr,
            request.method,
            path,
            response.status_code,
            duration_ms,
            extra=fields,
        )
        return response
