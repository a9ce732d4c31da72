"""Log set-up: one format for the service, `LOG_LEVEL` honoured, one access line per request."""

import logging
import logging.config
import time

from flask import Flask, g, request

access_logger = logging.getLogger("src.access")


def configure_logging(level: str) -> None:
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
            "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
            "root": {"level": level, "handlers": ["stderr"]},
            # Alembic announces every plugin it loads at INFO, which drowns the output of flask commands.
            "loggers": {"alembic.runtime.plugins": {"level": "WARNING"}},
        }
    )


def register_access_log(app: Flask) -> None:
    """One line per request when `LOG_LEVEL` allows INFO; above that, no hook is installed and requests pay nothing."""
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
