"""What the rate limits cost: GET one and POST with the limits counted in Redis, against the limits off; see `--help`.

Both apps are the baked service under gunicorn from its own gunicorn.conf.py, on one PostgreSQL, changed only by
the RATELIMIT_* settings; the limited one has a budget far above the load, so every answer is a 200 or 201 that
paid for counting. The two alternate in every repeat. Prints JSON: requests/s, p50, p99 and CPU per request (the
gunicorn processes and their PostgreSQL backends, and separately Redis' own), medians over the repeats, the
limited/off ratios, and the load average of the machine before and after.

With `--floor`, a third app joins them: the limits off, served from a copy of the project whose `wsgi.py` sends one
`INCR` to Redis before every request and does nothing with the answer. A limit shared by several instances needs
at least that one round trip per request, so this app's ratio is the least such a limit can cost, whatever
library counts.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import uuid
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

from cpu import CpuMeter, cpu_seconds_by_pid
from databases import seed_todos, throwaway_database
from deployment import deployment_python
from load import Endpoint, LoadResult, available_client, run_load
from project import bake, copy_of, upgrade_database
from worker_models import load_options, served

PROC = Path("/proc")
FLOOR = "one INCR"
# Appended to the copy's wsgi.py by --floor; redis-py comes with the project's `limits[redis]`.
ONE_ROUND_TRIP = """
import os as _os

import redis as _redis

_counter = _redis.Redis.from_url(_os.environ["BENCH_FLOOR_REDIS_URL"])
_key = "bench-floor-" + _os.environ["BENCH_LABEL"]


@app.before_request
def _one_round_trip():
    _counter.incr(_key)
"""
# The issue's target: counting in Redis costs at most a tenth more CPU per request.
CPU_RATIO_TARGET = 1.10


def parse_arguments() -> argparse.Namespace:
    parser = load_options(__doc__)
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    parser.add_argument(
        "--redis-url", default=redis_url, help="where the limited app counts (default: BENCH_REDIS_URL)"
    )
    parser.add_argument("--floor", action="store_true", help="also measure the limits off plus one INCR per request")
    return parser.parse_args()


def configurations(redis_url: str) -> dict[str, dict[str, str]]:
    limited = {
        "RATELIMIT_ENABLED": "true",
        "RATELIMIT_STORAGE_URI": redis_url,
        "RATELIMIT_DEFAULT": "100000000/minute",
        "RATELIMIT_KEY_PREFIX": f"bench-{uuid.uuid4().hex}",
    }
    return {
        "off": {"RATELIMIT_ENABLED": "false", "BENCH_LABEL": "limits_off"},
        "redis": {**limited, "BENCH_LABEL": "limits_redis"},
        FLOOR: {"RATELIMIT_ENABLED": "false", "BENCH_LABEL": "one_incr", "BENCH_FLOOR_REDIS_URL": redis_url},
    }


def with_one_round_trip(project: Path, copy: Path) -> Path:
    """A copy of the project whose app sends one INCR to Redis before each request."""
    wsgi = copy_of(project, copy) / "wsgi.py"
    wsgi.write_text(wsgi.read_text() + ONE_ROUND_TRIP)
    return copy


def redis_server_pids() -> list[int]:
    """Redis on this machine, when /proc shows it: its CPU is the storage's share of the cost."""
    return [int(entry.name) for entry in PROC.glob("[0-9]*") if _command(entry) == "redis-server"]


def _command(entry: Path) -> str:
    try:
        return (entry / "comm").read_text().strip()
    except OSError:
        return ""


def measure(servers: dict, endpoints: list[Endpoint], args) -> dict:
    runs: dict = {endpoint.name: {name: [] for name in servers} for endpoint in endpoints}
    redis_pids = redis_server_pids()
    for endpoint in endpoints:
        print(f"{endpoint.name} ...", file=sys.stderr)
        for repeat in range(args.repeats):
            for name in list(servers) if repeat % 2 == 0 else list(servers)[::-1]:
                server, meter = servers[name]
                before, redis_before = meter.snapshot(), cpu_seconds_by_pid(redis_pids)
                result = run_load(args.client, server.base_url, endpoint, args.duration, args.connections)
                redis_cpu = CpuMeter.spent(redis_before, cpu_seconds_by_pid(redis_pids))
                result = replace(result, server_cpu_seconds=meter.spent(before, meter.snapshot()))
                runs[endpoint.name][name].append((result, redis_cpu))
    return runs


def summary(runs: list[tuple[LoadResult, float]]) -> dict:
    results = [result for result, _ in runs]
    cpu = [result.cpu_ms_per_request for result in results if result.cpu_ms_per_request is not None]
    redis = [seconds * 1000 / result.requests for result, seconds in runs if result.requests]
    return {
        "requests_per_second": round(statistics.median(result.requests_per_second for result in results), 1),
        "p50_ms": round(statistics.median(result.p50_ms for result in results), 2),
        "p99_ms": round(statistics.median(result.p99_ms for result in results), 2),
        "cpu_ms_per_request": round(statistics.median(cpu), 3) if cpu else None,
        "redis_cpu_ms_per_request": round(statistics.median(redis), 3) if redis else None,
        "non_2xx_or_failed": sum(result.failures for result in results),
    }


def against(measured: dict, off: dict) -> dict:
    ratios = {"throughput": round(measured["requests_per_second"] / off["requests_per_second"], 3)}
    if off["cpu_ms_per_request"] and measured["cpu_ms_per_request"]:
        ratios["cpu_per_request"] = round(measured["cpu_ms_per_request"] / off["cpu_ms_per_request"], 3)
        ratios["within_target"] = ratios["cpu_per_request"] <= CPU_RATIO_TARGET
    return ratios


def report(runs: dict) -> dict:
    table = {}
    for endpoint, by_app in runs.items():
        summaries = {name: summary(app_runs) for name, app_runs in by_app.items()}
        table[endpoint] = {**summaries, "redis/off": against(summaries["redis"], summaries["off"])}
        if FLOOR in summaries:
            table[endpoint][f"{FLOOR}/off"] = against(summaries[FLOOR], summaries["off"])
    return table


def main() -> None:
    args = parse_arguments()
    args.client = available_client(args.client)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-rate-limits-") as scratch:
        work = Path(scratch)
        project = args.project or bake(work / "baked")
        python = args.app_python or deployment_python(project, work)
        with throwaway_database("limits") as database_url:
            upgrade_database(project, database_url, python)
            last_id = seed_todos(database_url, args.rows)
            endpoints = [
                Endpoint("GET one", f"/v1/todo/{max(1, last_id // 2)}"),
                Endpoint("POST", "/v1/todo", "POST", json.dumps({"title": "counted"})),
            ]
            settings = configurations(args.redis_url)
            projects = {"off": project, "redis": project}
            if args.floor:
                projects[FLOOR] = with_one_round_trip(project, work / "floor")
            with ExitStack() as stack:
                servers = {
                    name: stack.enter_context(
                        served("gevent", served_project, database_url, python, args, work, settings[name])
                    )
                    for name, served_project in projects.items()
                }
                for server, _ in servers.values():
                    run_load(args.client, server.base_url, endpoints[0], args.warm_up, 2)
                runs = measure(servers, endpoints, args)
    output = {"settings": vars(args), "load_average": {"before": load_before, "after": os.getloadavg()}}
    print(json.dumps({**output, "results": report(runs)}, indent=2, default=str))


if __name__ == "__main__":
    main()
