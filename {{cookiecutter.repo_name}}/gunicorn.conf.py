"""Gunicorn settings from the environment; `gunicorn wsgi:app` reads this file, and command-line flags win."""

import os

from dotenv import load_dotenv

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
