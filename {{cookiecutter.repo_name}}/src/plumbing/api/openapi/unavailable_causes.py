"""Why requests answer 503: each kind of cause logged once a minute at most, on one line without a traceback.

An outage fails every request, and probes and retries keep coming; a line for each would bury the one that
says what is wrong. The first failure of each cause is logged at once; repeats within a minute are counted
and their number is added to the cause's next line.
"""

import logging
import threading
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)

REPEAT_AFTER_SECONDS = 60.0
# Causes are kept apart by their first line; beyond this many at once, the oldest counts start over.
MOST_CAUSES = 64


class UnavailableCauses:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._seen: dict[str, tuple[float, int]] = {}

    def report(self, error: BaseException) -> None:
        """Log what made `error` (an `UnavailableError`, or any error it was raised from) unless logged lately."""
        cause = describe(error.__cause__ or error)
        now = self._clock()
        with self._lock:
            logged_at, repeats = self._seen.get(cause, (None, 0))
            if logged_at is not None and now - logged_at < REPEAT_AFTER_SECONDS:
                self._seen[cause] = (logged_at, repeats + 1)
                return
            if len(self._seen) >= MOST_CAUSES:
                self._seen.clear()
            self._seen[cause] = (now, 0)
        suffix = f" ({repeats} more since it was last logged)" if repeats else ""
        logger.warning("Cannot be reached, so requests that need it answer 503: %s%s", cause, suffix)


def describe(error: BaseException) -> str:
    """The error's type and the first line of its message: what tells one cause from another."""
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__


unavailable_causes = UnavailableCauses()
