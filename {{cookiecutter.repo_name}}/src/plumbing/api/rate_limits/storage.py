"""Where the counts live, and what happens when that storage cannot be reached."""

import logging
import threading
import time
from typing import Any

from limits.errors import StorageError
{%- if cookiecutter.use_prometheus == "y" %}
from prometheus_client import Counter
{%- endif %}

from src.plumbing.api.openapi.errors import error_body

# Short, so that a Redis that stopped answering delays a request by a second at most before the fallback.
REDIS_TIMEOUT_SECONDS = 1.0
LOG_INTERVAL_SECONDS = 60
RETRY_AFTER_SECONDS = "5"
# Flask-Limiter's logger (`Limiter.logger`), where it reports what goes wrong with its storage.
limiter_logger = logging.getLogger("flask-limiter")
{%- if cookiecutter.use_prometheus == "y" %}

STORAGE_FAILURES = Counter(
    "rate_limit_storage_failures_total", "Times the rate limiter could not use its storage (RATELIMIT_STORAGE_URI)."
)
{%- endif %}


def storage_options(uri: str) -> dict[str, Any]:
    """Storage errors raised as `limits.errors.StorageError`; timeouts for Redis, which may stop answering."""
    options: dict[str, Any] = {"wrap_exceptions": True}
    if uri.startswith(("redis", "rediss")):
        options.update(socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS)
    return options


class StorageFailureLog(logging.Filter):
    """On Flask-Limiter's logger: {% if cookiecutter.use_prometheus == "y" %}counts every storage failure, and {% endif %}lets at most one a minute through."""

    def __init__(self) -> None:
        super().__init__()
        self._next_line_at = 0.0
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        # Flask-Limiter logs breached limits at INFO; warnings and errors are about its storage.
        if record.levelno < logging.WARNING:
            return True
{%- if cookiecutter.use_prometheus == "y" %}
        STORAGE_FAILURES.inc()
{%- endif %}
        with self._lock:
            now = time.monotonic()
            if now < self._next_line_at:
                return False
            self._next_line_at = now + LOG_INTERVAL_SECONDS
            return True


# One filter for every app of the process, so that a failure is counted once.
STORAGE_FAILURE_LOG = StorageFailureLog()


def refuse_unchecked_request(error: StorageError) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Failing closed (RATELIMIT_FAIL_OPEN=false): a request whose limits cannot be checked is refused."""
    limiter_logger.warning("Rate limit storage unreachable; refusing requests: %s", error)
    message = "The rate limits cannot be checked right now; retry later."
    return error_body(503, message), 503, {"Retry-After": RETRY_AFTER_SECONDS}
