"""One access line per request, when `LOG_LEVEL` allows INFO."""

import logging
import time

from flask import Flask, g, request

access_logger = logging.getLogger("src.access")


def register_access_log(app: Flask) -> None:
    """Above INFO no hook is installed, so requests pay nothing for it."""
    if not access_logger.isEnabledFor(logging.INFO):
        return

    @app.before_request
    def start_timer() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def log_access(response):
        elapsed_ms = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
        access_logger.info(
            "%s %s %s %d %.1fms",
            request.remote_addr,
            request.method,
            request.script_root + request.full_path.rstrip("?"),
            response.status_code,
            elapsed_ms,
        )
        return response
