"""What the local cluster shows: rolling restarts, graceful shutdown, maintenance across instances."""

import json
import socket
import subprocess
import time
import urllib.error
import urllib.request

from sqlalchemy import text

from balancer import Balancer
from databases import connected
from instances import Instances, SteadyLoad, in_thread
from project import AUTHORIZATION

PAGE = "/v1/todo?page=2&per_page=20"
LOAD_CONNECTIONS = 4
PHASE_BOUND_SECONDS = 300
POLL_SLACK_SECONDS = 0.25


def rolling_restart(instances: Instances, balancer: Balancer, drain_first: bool) -> dict:
    """Replace every instance in turn under steady load; with `drain_first`, HAProxy stops sending first."""
    started = time.monotonic()
    with SteadyLoad(balancer.base_url + PAGE, LOAD_CONNECTIONS, PHASE_BOUND_SECONDS) as load:
        time.sleep(1)
        replace_each(instances, balancer, drain_first)
        time.sleep(1)
    return {"seconds": round(time.monotonic() - started, 1), "outcomes": dict(load.outcomes())}


def replace_each(instances: Instances, balancer: Balancer, drain_first: bool) -> None:
    """Stop and start every instance in turn (from `instances.project`), each back UP before the next."""
    for name in instances.ports:
        if drain_first:
            # What removing a terminating pod from a Service's endpoints does in Kubernetes.
            balancer.set_state(name, "drain")
            wait_until_idle(balancer, name)
        exit_status = instances.stop(name)
        if exit_status != 0:
            raise RuntimeError(f"{name} exited with {exit_status} on SIGTERM")
        instances.start(name)
        balancer.set_state(name, "ready")
        balancer.wait_for(name, "UP")


def wait_until_idle(balancer: Balancer, name: str, seconds: float = 5) -> None:
    deadline = time.monotonic() + seconds
    while int(balancer.stats()[name]["scur"]) and time.monotonic() < deadline:
        time.sleep(0.05)


def graceful_shutdown(instances: Instances, balancer: Balancer, database_url: str, path: str) -> dict:
    """A request held in flight by a table lock survives SIGTERM; what a new connection then meets."""
    name = next(iter(instances.ports))
    base_url = instances.servers[name].base_url
    with connected(database_url) as engine, engine.connect() as holder:
        holder.execute(text("LOCK TABLE todo IN ACCESS EXCLUSIVE MODE"))
        request, answer = in_thread(status_of, base_url + path)
        time.sleep(1)
        process = instances.terminate(name)
        time.sleep(1)
        in_flight_after_sigterm = request.is_alive()
        down_after = balancer.wait_for(name, "DOWN")
        new_connection = connection_outcome(instances.ports[name])
        holder.rollback()
    request.join(timeout=30)
    exit_status = process.wait(timeout=30)
    instances.start(name)
    balancer.wait_for(name, "UP")
    return {
        "in_flight_after_sigterm": in_flight_after_sigterm,
        "in_flight_status": answer.get("result", repr(answer.get("error"))),
        "exit_status": exit_status,
        "balancer_marked_down_after_s": round(down_after + 1, 1),
        "new_connection_during_shutdown": new_connection,
    }


def status_of(url: str, method: str = "GET", body: dict | None = None, token: str = "") -> int:
    """The status of one request, with the bench's bearer token unless `token` (the maintenance token) is given."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}" if token else AUTHORIZATION}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data, headers, method=method), timeout=60) as r:
            return r.status
    except urllib.error.HTTPError as error:
        return error.code


def connection_outcome(port: int) -> str:
    """What a client (the balancer) meets when it opens a connection and sends a request now."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
            connection.sendall(b"GET /health/live HTTP/1.0\r\n\r\n")
            return f"connected, then {connection.recv(12) or b'closed without an answer'!r}"
    except OSError as error:
        return type(error).__name__


def maintenance_across_instances(instances: Instances, balancer: Balancer, token: str, cache_seconds: float) -> dict:
    """Switch on via one instance and time when each answers 503; then the maintenance window command."""
    names = list(instances.ports)
    url = instances.servers[names[0]].base_url + "/v1/service-context"
    with SteadyLoad(balancer.base_url + PAGE, LOAD_CONNECTIONS, PHASE_BOUND_SECONDS) as switching:
        status_of(url, "PATCH", {"maintenance": True, "message": "bench"}, token)
        switched_at = time.monotonic()  # Committed: from now on a refreshed cache reads maintenance on.
        reached = {name: seconds_until(instances.servers[name].base_url + PAGE, 503, switched_at) for name in names}
        status_of(url, "PATCH", {"maintenance": False}, token)
        for name in names:
            seconds_until(instances.servers[name].base_url + PAGE, 200, time.monotonic())
    with SteadyLoad(balancer.base_url + PAGE, LOAD_CONNECTIONS, PHASE_BOUND_SECONDS) as window:
        time.sleep(1)
        command = run_flask(instances, "upgrade_in_maintenance_window")
        time.sleep(cache_seconds + 1)
    return {
        "cache_seconds": cache_seconds,
        "reached_503_after_s": {name: round(seconds, 2) for name, seconds in reached.items()},
        # A streak can start only one polling round trip after the last stale answer.
        "all_within_cache_bound_plus_one_poll": max(reached.values()) <= cache_seconds + POLL_SLACK_SECONDS,
        "outcomes_while_switching": dict(switching.outcomes()),
        "window_command": command,
        "outcomes_during_window": dict(window.outcomes()),
    }


def seconds_until(url: str, status: int, since: float, bound: float = 30, in_a_row: int = 10) -> float:
    """Seconds from `since` to the first of `in_a_row` answers with `status`: by then every worker had switched."""
    streak_started = None
    streak = 0
    while time.monotonic() - since < bound:
        asked_at = time.monotonic()
        if status_of(url) != status:
            streak = 0
        else:
            streak, streak_started = streak + 1, streak_started if streak else asked_at
        if streak == in_a_row:
            return streak_started - since
        time.sleep(0.01)
    raise RuntimeError(f"{url} did not answer {status} {in_a_row} times in a row within {bound} s")


def run_flask(instances: Instances, command: str) -> str:
    python = instances.settings.python
    completed = subprocess.run(
        [python, "-m", "flask", command], cwd=instances.project, env=dict(instances.environment),
        capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120,
    )  # fmt: skip
    if completed.returncode != 0:
        raise RuntimeError(f"flask {command} failed:\n{completed.stdout}{completed.stderr}")
    return completed.stdout.strip().replace("\n", " | ")
