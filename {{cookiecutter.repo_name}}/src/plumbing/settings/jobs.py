"""Settings of the outbox relay and the worker: the broker, the queue of events, how jobs retry and are watched."""

from collections.abc import Mapping
from typing import Any

{% if cookiecutter.use_prometheus == "y" -%}
from src.plumbing.settings.readers import ConfigurationError, integer, seconds

MAX_PORT = 65535
{%- else -%}
from src.plumbing.settings.readers import integer, seconds
{%- endif %}


def job_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """Without `BROKER_URL` the service still serves; events wait in the outbox until a relay has a broker."""
    return {
        "BROKER_URL": environ.get("BROKER_URL", "").strip(),
        "EVENTS_QUEUE": environ.get("EVENTS_QUEUE", "events").strip() or "events",
        "RELAY_INTERVAL": seconds(environ, "RELAY_INTERVAL", 1.0),
        # `flask outbox purge` keeps sent events and handled ids this many seconds: a week to look back on, and far
        # longer than a duplicate takes to follow the message it repeats.
        "EVENT_RETENTION": integer(environ, "EVENT_RETENTION", 7 * 24 * 60 * 60, minimum=60),
        # Dramatiq's defaults are 20 retries from 15 s; a job that fails this often needs an operator sooner.
        "JOB_MAX_RETRIES": integer(environ, "JOB_MAX_RETRIES", 8, minimum=0),
        "JOB_MIN_BACKOFF_MS": integer(environ, "JOB_MIN_BACKOFF_MS", 1000, minimum=0),
        "JOB_MAX_BACKOFF_MS": integer(environ, "JOB_MAX_BACKOFF_MS", 300_000, minimum=0),
        # Dramatiq's default is 10 minutes; a stopping worker waits for its jobs, so this bounds a graceful stop.
        "JOB_TIME_LIMIT_MS": integer(environ, "JOB_TIME_LIMIT_MS", 60_000),
        # Files that the relay and the worker touch while they run, for the probes of deploy/; empty touches none.
        "RELAY_HEARTBEAT_FILE": environ.get("RELAY_HEARTBEAT_FILE", "").strip(),
        "WORKER_HEARTBEAT_FILE": environ.get("WORKER_HEARTBEAT_FILE", "").strip(),
{%- if cookiecutter.use_prometheus == "y" %}
        # The worker serves its job counters at :PORT/metrics; empty serves none.
        "WORKER_METRICS_PORT": optional_port(environ, "WORKER_METRICS_PORT"),
{%- endif %}
    }


{%- if cookiecutter.use_prometheus == "y" %}


def optional_port(environ: Mapping[str, str], name: str) -> int | None:
    """A TCP port, or None when `name` is empty."""
    if not environ.get(name, "").strip():
        return None
    port = integer(environ, name, 0, minimum=1)
    if port > MAX_PORT:
        raise ConfigurationError(f"{name} must be at most {MAX_PORT}; got {port}.")
    return port
{%- endif %}


def actor_options(config: Mapping[str, Any]) -> dict[str, int]:
    """Dramatiq's options of the event actor: how it retries, and how long one run may take."""
    return {
        "max_retries": config["JOB_MAX_RETRIES"],
        "min_backoff": config["JOB_MIN_BACKOFF_MS"],
        "max_backoff": config["JOB_MAX_BACKOFF_MS"],
        "time_limit": config["JOB_TIME_LIMIT_MS"],
    }
