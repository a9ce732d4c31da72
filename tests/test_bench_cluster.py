"""`bench/cluster.py --short` runs to the end, so the cluster scenario cannot rot unseen.

Two instances of a fresh bake behind HAProxy, through PgBouncer, on loopback ports nothing else
uses: the benchmark's own phases, shortened, the rate limits that two more instances count in one
Redis, and the rolling deploy that adds a required field. Its figures are not asserted (they need a
quiet machine); what a rollout promises is: no 5xx, no lost write; what shared limits promise is one
refusal per spent budget, whichever instance counts it.
"""

import json
import os
import shutil
import socket
import sys
import urllib.parse
from pathlib import Path

import pytest
from conftest import TEMPLATE, missing, postgres_server_url, run_bench

CLUSTER_TIMEOUT_SECONDS = 600
INSTANCES = 2
# bench/cluster.py puts instance n at base + n, rate-limited instance n at base + 10 + n, HAProxy at
# base + 80 and PgBouncer at base + 90.
OFFSETS = (*range(1, INSTANCES + 1), *range(11, INSTANCES + 11), 80, 90)
REDIS_DEFAULT = "redis://127.0.0.1:6379/0"


def free_base_port():
    """A base port whose every offset is free on loopback now."""
    for base in range(21000, 60000, 100):
        probes = []
        try:
            for offset in OFFSETS:
                probe = socket.socket()
                probes.append(probe)
                probe.bind(("127.0.0.1", base + offset))
            return base
        except OSError:
            continue
        finally:
            for probe in probes:
                probe.close()
    pytest.fail("no free range of loopback ports for the cluster")


def redis_url():
    """TEST_REDIS_URL (else the local Redis), once it answers PING."""
    url = os.environ.get("TEST_REDIS_URL") or REDIS_DEFAULT
    parts = urllib.parse.urlsplit(url)
    address = (parts.hostname, parts.port or 6379)
    try:
        with socket.create_connection(address, timeout=2) as connection:
            connection.sendall(b"PING\r\n")
            answer = connection.recv(16)
    except OSError as error:
        answer = repr(error).encode()
    if not answer.startswith((b"+PONG", b"-NOAUTH")):
        missing(f"Redis at {url} did not answer ({answer!r})", "count the cluster's rate limits")
    return url


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    for program in ("haproxy", "pgbouncer"):
        if not (shutil.which(program) or Path(f"/usr/sbin/{program}").exists()):
            missing(f"{program} is not installed (apt-get install {program})", "run the cluster")
    url = postgres_server_url("run bench/cluster.py")
    redis = redis_url()
    output = tmp_path_factory.mktemp("cluster") / "results.json"
    command = [
        sys.executable, str(TEMPLATE / "bench" / "cluster.py"), "--short",
        "--instances", str(INSTANCES), "--base-port", str(free_base_port()),
        "--app-python", sys.executable, "--client", "python", "--json", str(output),
        "--redis-url", redis,
    ]  # fmt: skip
    run_bench(command, url, CLUSTER_TIMEOUT_SECONDS)
    return json.loads(output.read_text())


def test_a_drained_rolling_restart_answers_every_request(results):
    outcomes = results["rolling_restart_drained"]["outcomes"]
    assert set(outcomes) == {"200"}, outcomes


def test_a_request_in_flight_survives_sigterm(results):
    shutdown = results["graceful_shutdown"]
    assert (shutdown["in_flight_status"], shutdown["exit_status"]) == (200, 0), shutdown


def test_the_maintenance_window_answers_only_200_or_503(results):
    maintenance = results["maintenance"]
    for phase in ("outcomes_while_switching", "outcomes_during_window"):
        outcomes = maintenance[phase]
        assert set(outcomes) <= {"200", "503"}, outcomes
        assert "503" in outcomes, outcomes
    assert maintenance["window_command"].endswith("Maintenance mode is OFF.")


def test_a_required_field_rolls_out_with_no_error_and_no_lost_write(results):
    rollout = results["rolling_schema_change"]
    assert rollout["answers_5xx"] == 0, rollout
    assert set(rollout["read_outcomes"]) == {"200"}, rollout["read_outcomes"]
    assert set(rollout["write_outcomes"]) == {"201"}, rollout["write_outcomes"]
    during_the_roll = rollout["writes_acknowledged_per_step"].get("roll", 0)
    assert during_the_roll > 0, "no write while old and new code served together"
    assert rollout["lost_writes"] == 0, rollout
    assert rollout["rows_backfilled"] > 0, rollout


def test_the_new_code_reads_the_old_code_writes_and_takes_the_field(results):
    rollout = results["rolling_schema_change"]
    old_writes = rollout["old_code_writes_read_by_new_code"]
    assert old_writes["read"] > 0, old_writes
    expected = {"as written, with the default": old_writes["read"]}
    assert old_writes["outcomes"] == expected, old_writes
    assert rollout["new_code_takes_the_field"], rollout
    assert rollout["models_match_the_schema"], rollout


def test_every_instance_counts_a_caller_against_one_budget(results):
    limits = results["shared_rate_limits"]
    budget = limits["budget_per_caller"]
    for caller, statuses in limits["statuses_by_caller"].items():
        assert statuses == {"200": budget, "429": 1}, (caller, statuses)
        assert limits["last_status_by_caller"][caller] == "429", limits


def test_the_instances_keep_serving_with_redis_cut_off(results):
    statuses = results["shared_rate_limits"]["statuses_with_redis_cut_off"]
    assert set(statuses) == {"200"}, statuses
