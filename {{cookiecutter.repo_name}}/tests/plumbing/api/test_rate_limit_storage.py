"""Rate limits kept in Redis: shared by instances and workers, and served on when Redis is out of reach."""

import logging
import socket
import unittest
from urllib.parse import urlsplit

from flask.testing import FlaskClient

from src.plumbing.api.rate_limits.storage import StorageFailureLog
{%- if cookiecutter.use_prometheus == "y" %}
from tests.plumbing.api.metrics_reading import sample_value
{%- endif %}
from tests.resources.app_test_base import AppTestBase, build_app
from tests.resources.gunicorn_server import GunicornServer
from tests.resources.rate_limits import limited, redis_for_tests
from tests.resources.tcp_relay import TcpRelay

BUDGET = 5  # an hour's budget: a test almost never waits to start clear of the window's edge (see `limited`)


def closed_port_url() -> str:
    """A Redis URL where nothing listens: the port was free a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


class SharedCountsTest(AppTestBase):
    shared: dict[str, str] = {}

    def app_environment(self) -> dict[str, str]:
        # Asked again for the other instance of a test: the same key prefix, so the same counts.
        if not self.shared:
            self.shared = limited(f"{BUDGET}/hour", RATELIMIT_STORAGE_URI=redis_for_tests())
        return {**super().app_environment(), **self.shared}

    def test_two_instances_on_one_redis_share_each_callers_budget(self):
        other = FlaskClient(build_app({**self.app_environment(), "INSTANCE": "b"}))
        here = FlaskClient(self.app)
        statuses = [client.get("/v1/todo").status_code for client in (here, other) * 3]

        self.assertEqual(statuses.count(429), 2 * 3 - BUDGET, statuses)
        self.assertEqual(statuses[-1], 429)

    def test_two_gunicorn_workers_on_one_redis_give_exactly_one_429_for_one_request_too_many(self):
        server = GunicornServer(GUNICORN_WORKERS="2", **self.app_environment())
        server.start()
        self.addCleanup(server.stop)

        statuses = [server.get("/v1/todo")[0] for _ in range(BUDGET + 1)]

        self.assertEqual(statuses.count(429), 1, statuses)
        self.assertEqual(statuses[-1], 429)


class RedisCutOffTest(AppTestBase):
    """Redis goes away while the service runs: no request fails, and the limits hold in each process."""

    def app_environment(self) -> dict[str, str]:
        redis_url = urlsplit(redis_for_tests())
        self.relay = TcpRelay((redis_url.hostname, redis_url.port or 6379))
        self.addCleanup(self.relay.cut)
        relayed = f"redis://127.0.0.1:{self.relay.port}{redis_url.path}"
        return {**super().app_environment(), **limited(f"{BUDGET}/hour", RATELIMIT_STORAGE_URI=relayed)}

    def test_cut_off_mid_run_no_request_fails_and_the_budget_still_holds(self):
        client = FlaskClient(self.app)
        before = [client.get("/v1/todo").status_code for _ in range(2)]

        self.relay.cut()
        after = [client.get("/v1/todo").status_code for _ in range(BUDGET + 1)]

        self.assertFalse([status for status in before + after if status >= 500], (before, after))
        self.assertNotIn(429, before)
        self.assertEqual(after[-1], 429, after)
        self.assertEqual(after.count(429), 1, after)


class RedisOutOfReachTest(AppTestBase):
    """Fail open: with Redis out of reach each process keeps the counts in its own memory, and says so."""

    def app_environment(self) -> dict[str, str]:
        return {**super().app_environment(), **limited(f"{BUDGET}/hour", RATELIMIT_STORAGE_URI=closed_port_url())}

    def test_requests_are_served_and_still_limited_in_memory(self):
        client = FlaskClient(self.app)
        statuses = [client.get("/v1/todo").status_code for _ in range(BUDGET + 1)]

        self.assertFalse([status for status in statuses if status >= 500], statuses)
        self.assertEqual(statuses[-1], 429)
        self.assertEqual(statuses.count(429), 1, statuses)
        self.assert200(client.get("/health/ready"))
{%- if cookiecutter.use_prometheus == "y" %}

    def test_the_failure_is_counted_in_metrics(self):
        before = sample_value(self.client.get("/metrics").get_data(as_text=True), "rate_limit_storage_failures_total")

        FlaskClient(self.app).get("/v1/todo")

        after = sample_value(self.client.get("/metrics").get_data(as_text=True), "rate_limit_storage_failures_total")
        self.assertGreaterEqual(after - before, 1)
{%- endif %}


class FailClosedTest(AppTestBase):
    def app_environment(self) -> dict[str, str]:
        settings = limited(f"{BUDGET}/hour", RATELIMIT_STORAGE_URI=closed_port_url(), RATELIMIT_FAIL_OPEN="false")
        return {**super().app_environment(), **settings}

    def test_a_request_whose_limits_cannot_be_checked_gets_503(self):
        refused = FlaskClient(self.app).get("/v1/todo")

        self.assertError(refused, 503)
        self.assertIn("Retry-After", refused.headers)
        self.assert200(self.client.get("/health/live"))


class StorageFailureLogTest(unittest.TestCase):
    def test_one_line_a_minute_gets_through_and_breaches_are_not_failures(self):
        failures = StorageFailureLog()
        warning = logging.LogRecord("flask-limiter", logging.WARNING, __file__, 1, "unreachable", None, None)
        breach = logging.LogRecord("flask-limiter", logging.INFO, __file__, 1, "ratelimit exceeded", None, None)

        self.assertEqual([failures.filter(warning) for _ in range(5)], [True, False, False, False, False])
        self.assertTrue(failures.filter(breach))
