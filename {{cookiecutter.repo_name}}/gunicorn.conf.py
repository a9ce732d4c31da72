"""Gunicorn settings from the environment; `gunicorn wsgi:app` reads this file, and command-line flags win."""

import os
{%- if cookiecutter.use_prometheus == "y" %}
import tempfile
from pathlib import Path
{%- endif %}

from dotenv import load_dotenv

{% if cookiecutter.use_opentelemetry == "y" -%}
from src.config import SERVICE_NAME
{% endif -%}
from src.plumbing.logs import logging_config
{% if cookiecutter.use_opentelemetry == "y" -%}
from src.plumbing.settings import (
    ConfigurationError,
    drop_empty_library_settings,
    log_format,
    log_level,
    tracing_requested,
)
{% else -%}
from src.plumbing.settings import ConfigurationError, drop_empty_library_settings, log_format, log_level
{% endif %}
# Gunicorn reads this file before it imports the app, so `.env` must be loaded here for GUNICORN_* to apply.
load_dotenv()
drop_empty_library_settings()
# Worker models: gevent gives a connection a greenlet, not a worker, until its request has arrived, so slow
# or idle clients cannot hold the workers; sync and gthread belong behind a buffering proxy (docs/deployment.md).
WORKER_CLASSES = ("gevent", "sync", "gthread")


def _positive_integer(name: str, default: int, maximum: int | None = None) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) == 0:
        raise SystemExit(f"{name} must be a positive whole number; got {value!r}.")
    if maximum is not None and int(value) > maximum:
        raise SystemExit(f"{name} may be at most {maximum}, gunicorn's ceiling; got {value}.")
    return int(value)


def _worker_class() -> str:
    chosen = os.environ.get("GUNICORN_WORKER_CLASS", "").strip().lower() or WORKER_CLASSES[0]
    if chosen not in WORKER_CLASSES:
        raise SystemExit(f"GUNICORN_WORKER_CLASS must be one of {', '.join(WORKER_CLASSES)}; got {chosen!r}.")
    if threads > 1 and chosen != "gthread":
        raise SystemExit(f"GUNICORN_THREADS needs GUNICORN_WORKER_CLASS=gthread for {threads} threads; got {chosen}.")
    return chosen


bind = os.environ.get("GUNICORN_BIND", "").strip() or "0.0.0.0:7000"
workers = _positive_integer("GUNICORN_WORKERS", 2)
threads = _positive_integer("GUNICORN_THREADS", 1)
worker_class = _worker_class()
# Connections one gevent worker holds at once, requests in progress and clients still sending included.
worker_connections = _positive_integer("GUNICORN_WORKER_CONNECTIONS", 1000)
# A worker silent for this many seconds is killed and replaced.
timeout = _positive_integer("GUNICORN_TIMEOUT", 30)
graceful_timeout = _positive_integer("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Also the longest a gevent worker waits for a request's line and headers: 0 would let a client take forever.
keepalive = _positive_integer("GUNICORN_KEEPALIVE", 5)
# gunicorn refuses requests over these limits with its own HTML page before the app sees them, and offers no
# way to answer in JSON; docs/deployment.md says why they are this large and where a proxy's limits come first.
limit_request_line = _positive_integer("GUNICORN_LIMIT_REQUEST_LINE", 8190, maximum=8190)
limit_request_fields = _positive_integer("GUNICORN_LIMIT_REQUEST_FIELDS", 100, maximum=32768)
limit_request_field_size = _positive_integer("GUNICORN_LIMIT_REQUEST_FIELD_SIZE", 8190)
# The service logs one access line per request itself; gunicorn logs its own events to stderr.
errorlog = "-"
# gunicorn's own lines (worker starts, timeouts) come out in the service's format, with the same fields.
try:
    loglevel = log_level(os.environ).lower()
    logconfig_dict = logging_config(log_format(os.environ), log_level(os.environ))
except ConfigurationError as error:
    raise SystemExit(f"Configuration error: {error}") from None
# gunicorn 27 opens a control socket at one path per user by default, so two instances run by one user
# would take it from each other: none unless GUNICORN_CONTROL_SOCKET names one for this instance.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "").strip() or None
control_socket_disable = control_socket is None
{%- if cookiecutter.use_prometheus == "y" %}

# Each worker writes its metrics to files here, so that a scrape answered by any worker reports them all.
# The variable must be set before prometheus_client is imported: it picks its storage at import.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="prometheus-"))


def on_starting(server) -> None:
    """Counters start from zero: drop what an earlier run left in the metrics directory."""
    directory = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()


def child_exit(server, worker) -> None:
    """A dead worker's in-flight and pool gauges must stop counting."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
{%- endif %}
{%- if cookiecutter.use_opentelemetry == "y" %}


def post_fork(server, worker) -> None:
    """Start the tracing SDK in each worker, after the fork, so that each exports its own spans."""
    if tracing_requested(os.environ):
        from src.plumbing.tracing import start_tracing

        start_tracing(SERVICE_NAME)
{%- endif %}


def post_worker_init(worker) -> None:
    """Under gevent, psycopg2 must wait for the database as a greenlet: its C code bypasses gevent's sockets."""
    from gevent import monkey

    if monkey.is_module_patched("socket"):
        from src.plumbing.infrastructure.databases.gevent_waits import wait_for_database_cooperatively

        wait_for_database_cooperatively()
