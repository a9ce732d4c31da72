"""Settings of the outbox relay and the worker: the broker, the queue of events and how jobs retry."""

from collections.abc import Mapping
from typing import Any

from src.plumbing.settings.readers import integer, seconds


def job_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """Without `BROKER_URL` the service still serves; events wait in the outbox until a relay has a broker."""
    return {
        "BROKER_URL": environ.get("BROKER_URL", "").strip(),
        "EVENTS_QUEUE": environ.get("EVENTS_QUEUE", "events").strip() or "events",
        "RELAY_INTERVAL": seconds(environ, "RELAY_INTERVAL", 1.0),
        # Dramatiq's defaults are 20 retries from 15 s; a job that fails this often needs an operator sooner.
        "JOB_MAX_RETRIES": integer(environ, "JOB_MAX_RETRIES", 8, minimum=0),
        "JOB_MIN_BACKOFF_MS": integer(environ, "JOB_MIN_BACKOFF_MS", 1000, minimum=0),
        "JOB_MAX_BACKOFF_MS": integer(environ, "JOB_MAX_BACKOFF_MS", 300_000, minimum=0),
    }


def retry_options(config: Mapping[str, Any]) -> dict[str, int]:
    return {
        "max_retries": config["JOB_MAX_RETRIES"],
        "min_backoff": config["JOB_MIN_BACKOFF_MS"],
        "max_backoff": config["JOB_MAX_BACKOFF_MS"],
    }
