"""Prometheus gauges of the outbox: the relay sets them after each round and serves them on a port of its own."""

from prometheus_client import Gauge, start_http_server

from src.plumbing.infrastructure.databases.unit_of_work import AnySession
from src.plumbing.infrastructure.outbox.relay import outbox_backlog

# livemostrecent: under PROMETHEUS_MULTIPROC_DIR, the value the relay has just read.
OUTBOX_BACKLOG = Gauge("outbox_backlog", "Events committed and not yet sent.", multiprocess_mode="livemostrecent")
OUTBOX_OLDEST_AGE = Gauge(
    "outbox_oldest_unsent_age_seconds",
    "How long the oldest unsent event has waited; 0 when none waits.",
    multiprocess_mode="livemostrecent",
)


def record_backlog(session: AnySession) -> None:
    count, age = outbox_backlog(session)
    OUTBOX_BACKLOG.set(count)
    OUTBOX_OLDEST_AGE.set(age)


def serve_relay_metrics(port: int) -> None:
    """`GET /metrics` of the relay on `port`, from a thread beside its loop."""
    start_http_server(port)
