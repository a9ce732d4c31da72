"""Gunicorn settings from the environment; `gunicorn wsgi:app` reads this file, and command-line flags win."""

import os

from dotenv import load_dotenv

from src.config import ConfigurationError, log_format, log_level
from src.logs import logging_config

# Gunicorn reads this file before it imports the app, so `.env` must be loaded here for GUNICORN_* to apply.
load_dotenv()


def _positive_integer(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) == 0:
        raise SystemExit(f"{name} must be a positive whole number; got {value!r}.")
    return int(value)


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:7000")
workers = _positive_integer("GUNICORN_WORKERS", 2)
threads = _positive_integer("GUNICORN_THREADS", 1)
# A worker silent for this many seconds is killed and replaced.
timeout = _positive_integer("GUNICORN_TIMEOUT", 30)
graceful_timeout = _positive_integer("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _positive_integer("GUNICORN_KEEPALIVE", 5)
# The service logs one access line per request itself; gunicorn logs its own events to stderr.
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "INFO").strip().lower()
# gunicorn's own lines (worker starts, timeouts) come out in the service's format, with the same fields.
try:
    logconfig_dict = logging_config(log_format(os.environ), log_level(os.environ))
except ConfigurationError as error:
    raise SystemExit(f"Configuration error: {error}") from None
