"""Settings that turn the rate limits on with counts of their own, and the Redis that tests of shared counts use."""

import os
import time
import unittest
import uuid

from limits import parse
from limits.storage import storage_from_string

REDIS_DEFAULT = "redis://127.0.0.1:6379/0"
# The sliding-window counter weighs the window before by the share of it still ahead and rounds down, so a budget
# spent across a window's edge lets one request more through. A test of a budget starts this far from the next edge.
EDGE_MARGIN_SECONDS = 15


def limited(budget: str, **settings: str) -> dict[str, str]:
    """The limits on with `budget` per caller, under a key prefix that no other app of the run uses."""
    start_clear_of_window_edge(parse(budget).get_expiry())
    return {
        "RATELIMIT_ENABLED": "true",
        "RATELIMIT_DEFAULT": budget,
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        **settings,
    }


def start_clear_of_window_edge(window_seconds: int) -> None:
    """Sleep past the next edge of windows this long (they are counted from the epoch) if it is too close."""
    ahead = window_seconds - time.time() % window_seconds
    if ahead < EDGE_MARGIN_SECONDS:
        time.sleep(ahead)


def redis_for_tests() -> str:
    """TEST_REDIS_URL, once it answers: under CI=true a silent Redis fails the test, elsewhere it skips it."""
    url = os.environ.get("TEST_REDIS_URL", "").strip() or REDIS_DEFAULT
    if storage_from_string(url, socket_connect_timeout=2).check():
        return url
    message = f"The tests of shared rate limits need Redis at TEST_REDIS_URL ({url}); it did not answer."
    if os.environ.get("CI", "").lower() == "true":
        raise AssertionError(message)
    raise unittest.SkipTest(message)
