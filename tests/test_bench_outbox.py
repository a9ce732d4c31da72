"""`bench/outbox.py`, shortened, runs to the end and prints its three figures, so they cannot rot.

It bakes worker=y and worker=n, measures a copy of the worker=y bake whose outbox runs `SELECT 1`
(`--floor`), and runs the relay and a worker against RabbitMQ: `TEST_BROKER_URL`, else the local
one; without it the test fails under CI=true. The figures need a quiet machine
and are not judged here; what is asserted is that each was measured on real work.
"""

import json
import os
import socket
import sys
import urllib.parse

import pytest
from conftest import TEMPLATE, missing, postgres_server_url, run_bench

BENCH_TIMEOUT_SECONDS = 600
BROKER_DEFAULT = "amqp://guest:guest@127.0.0.1:5672/"
EVENTS = 300


def broker_url():
    """TEST_BROKER_URL (else the local RabbitMQ), once its port accepts a connection."""
    url = os.environ.get("TEST_BROKER_URL", "").strip() or BROKER_DEFAULT
    parts = urllib.parse.urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port or 5672), timeout=2).close()
    except OSError as error:
        missing(
            f"RabbitMQ at {url} is out of reach ({error!r})", "run the outbox's relay and worker"
        )
    return url


@pytest.fixture(scope="module")
def results():
    url = postgres_server_url("run bench/outbox.py")
    command = [
        sys.executable, str(TEMPLATE / "bench" / "outbox.py"), "--duration", "1", "--warm-up", "1",
        "--repeats", "2", "--connections", "2", "--rows", "5000", "--client", "python",
        "--events", str(EVENTS), "--rate", "20", "--latency-seconds", "3",
        "--relay-interval", "0.2", "--floor",
        "--broker-url", broker_url(),
    ]  # fmt: skip
    return json.loads(run_bench(command, url, BENCH_TIMEOUT_SECONDS))["results"]


def test_both_apps_complete_todos_without_an_error(results):
    cost = results["cost_on_a_write"]
    for app in ("with outbox", "without outbox", "an empty statement instead of the insert"):
        assert cost[app]["requests_per_second"] > 0, cost
        assert cost[app]["non_2xx_or_failed"] == 0, cost
    assert cost["with/without"]["throughput"] > 0, cost
    assert cost["empty statement/without"]["throughput"] > 0, cost


def test_the_relay_sends_the_added_events_and_those_the_patches_recorded(results):
    relay = results["relay"]
    assert relay["events"] > EVENTS, relay
    assert relay["events_per_second"] > 0, relay


def test_every_event_of_the_paced_load_reaches_the_worker(results):
    latency = results["commit_to_handled"]
    assert latency["failures"] == 0, latency
    assert latency["events"] > 0, latency
    assert latency["handled"] == latency["events"], latency
    assert 0 < latency["p50_ms"] <= latency["p99_ms"], latency
