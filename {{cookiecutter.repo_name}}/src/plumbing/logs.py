"""One log format for the whole process, JSON for machines or text for people, each line with its request ID."""

import logging
import logging.config
from typing import Any

from src.plumbing.services.request_context import current_request_id

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
# python-json-logger adds every `extra` attribute of a record (an access line's method, route...) by itself.
JSON_FIELDS = "%(levelname)s %(name)s %(message)s %(request_id)s"


class RequestIdFilter(logging.Filter):
    """Stamps each record with the ID of the request being served; a filter on the handler sees every logger."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        return True


def logging_config(log_format: str, level: str) -> dict[str, Any]:
    """The `dictConfig` of the service, and of gunicorn's own loggers through `gunicorn.conf.py`."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": JSON_FIELDS,
                "rename_fields": {"levelname": "level", "name": "logger"},
                "timestamp": True,
            },
            # Control characters in a field would let a client forge lines (src/plumbing/text_log_lines.py).
            "text": {"()": "src.plumbing.text_log_lines.OneLineFormatter", "fmt": TEXT_FORMAT},
        },
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": log_format, "filters": ["request_id"]},
        },
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": {
            # gunicorn's loggers write through the root handler, so in the same format.
            "gunicorn.error": {"level": level, "handlers": [], "propagate": True},
            # The service writes its own access line, with the route and the request ID that gunicorn's lacks.
            "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": True},
            # Alembic announces every plugin it loads at INFO, which drowns the output of flask commands.
            "alembic.runtime.plugins": {"level": "WARNING"},
        },
    }


def configure_logging(log_format: str, level: str) -> None:
    logging.config.dictConfig(logging_config(log_format, level))
