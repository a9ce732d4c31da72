"""gunicorn's worker models side by side on the baked service: gevent (the default) against sync; see `--help`.

Each is started from the project's own gunicorn.conf.py, changed only by GUNICORN_WORKER_CLASS, on the same
PostgreSQL and the same number of workers. Both are loaded from a second process with clients that keep their
connections alive and clients that open one per request, on a read of a page of todos (200) and a read without
a token (401), once on a machine left to them and once while busy loops take every core. The two models
alternate in every repeat, so that drift hits both alike. Prints JSON: requests/s, p50, p99 and server CPU per
request (gunicorn's processes and their PostgreSQL backends), medians over the repeats, and gevent/sync ratios.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from sqlalchemy.engine import make_url

from cpu import CpuMeter
from databases import seed_todos, throwaway_database
from deployment import deployment_python
from load import Endpoint, LoadResult, available_client, run_load
from project import AUTHORIZATION, bake, service_environment, upgrade_database
from servers import Server, Settings, start_gunicorn, stop_gunicorn, wait_until_ready

MODELS = ("gevent", "sync")
# Name → (endpoint, whether the request carries a token).
ENDPOINTS = {
    "200 page": (Endpoint("GET page", "/v1/todo?page=2&per_page=20"), True),
    "401": (Endpoint("GET without a token", "/v1/todo"), False),
}
BUSY_LOOP = "while True: pass"


def load_options(description: str | None) -> argparse.ArgumentParser:
    """The options of a bench that loads gunicorn apps of one baked project side by side; `rate_limits.py` too."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    option = parser.add_argument
    option("--duration", type=float, default=5, help="seconds per measured run (default 5)")
    option("--warm-up", type=float, default=2, help="seconds of warm-up per app (default 2)")
    option("--connections", type=int, default=8, help="concurrent client connections (default 8)")
    option("--repeats", type=int, default=3, help="measured runs per cell (default 3)")
    option("--workers", type=int, default=2, help="gunicorn workers of each app (default 2)")
    option("--rows", type=int, default=1000, help="todos in the table (default 1000)")
    option("--client", choices=["auto", "wrk", "python"], default="auto", help="load generator")
    option("--project", type=Path, help="benchmark this baked project instead of baking one")
    option(
        "--app-python",
        help="interpreter that serves the apps (default: a venv with the locked runtime dependencies only)",
    )
    return parser


def parse_arguments() -> argparse.Namespace:
    parser = load_options(__doc__)
    default_busy = os.cpu_count() or 2
    parser.add_argument(
        "--busy", type=int, default=default_busy, help="busy loops of the second load (default: one a core)"
    )
    return parser.parse_args()


@contextmanager
def served(
    model: str, project: Path, url: str, python: str, args, work: Path, settings: Mapping[str, str] | None = None
) -> Iterator[tuple[Server, CpuMeter]]:
    """(server, its CPU meter) of gunicorn with the project's settings, worker class `model` and `settings`.

    Servers started at once need `settings` that differ in `BENCH_LABEL`, which names their database backends.
    """
    settings = settings or {}
    name = f"bench_{settings.get('BENCH_LABEL', model)}"
    named = make_url(url).update_query_dict({"application_name": name}).render_as_string(hide_password=False)
    environment = {**service_environment(named, "WARNING"), "GUNICORN_WORKER_CLASS": model, **settings}
    settings = Settings(args.workers, work, python, config=project / "gunicorn.conf.py")
    server, process = start_gunicorn(name, "wsgi:app", project, environment, settings)
    try:
        wait_until_ready(server, process)
        yield server, CpuMeter(server.pid, url, name)
    finally:
        stop_gunicorn(process)


@contextmanager
def busy_loops(count: int) -> Iterator[None]:
    """The second load: `count` processes that spin until the block ends."""
    loops = [subprocess.Popen([sys.executable, "-c", BUSY_LOOP]) for _ in range(count)]
    try:
        yield
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()


def measured(server: Server, meter: CpuMeter, endpoint: Endpoint, authorized: bool, close: bool, args) -> LoadResult:
    before = meter.snapshot()
    authorization = AUTHORIZATION if authorized else ""
    result = run_load(args.client, server.base_url, endpoint, args.duration, args.connections, close, authorization)
    return replace(result, server_cpu_seconds=meter.spent(before, meter.snapshot()))


def cells() -> Iterator[tuple[str, bool, bool]]:
    for endpoint in ENDPOINTS:
        for keep_alive in (True, False):
            for busy in (False, True):
                yield endpoint, keep_alive, busy


def cell_name(endpoint: str, keep_alive: bool, busy: bool) -> str:
    return f"{endpoint}, keep-alive {'on' if keep_alive else 'off'}, {'busy machine' if busy else 'quiet machine'}"


def measure(servers: dict, args) -> dict[str, dict[str, list[LoadResult]]]:
    runs: dict = {cell_name(*cell): {model: [] for model in MODELS} for cell in cells()}
    for endpoint_name, keep_alive, busy in cells():
        endpoint, authorized = ENDPOINTS[endpoint_name]
        print(f"{cell_name(endpoint_name, keep_alive, busy)} ...", file=sys.stderr)
        with busy_loops(args.busy if busy else 0):
            for repeat in range(args.repeats):
                order = MODELS if repeat % 2 == 0 else MODELS[::-1]
                for model in order:
                    server, meter = servers[model]
                    result = measured(server, meter, endpoint, authorized, not keep_alive, args)
                    runs[cell_name(endpoint_name, keep_alive, busy)][model].append(result)
    return runs


def summary(results: list[LoadResult]) -> dict:
    cpu = [result.cpu_ms_per_request for result in results if result.cpu_ms_per_request is not None]
    return {
        "requests_per_second": round(statistics.median(result.requests_per_second for result in results), 1),
        "p50_ms": round(statistics.median(result.p50_ms for result in results), 2),
        "p99_ms": round(statistics.median(result.p99_ms for result in results), 2),
        "cpu_ms_per_request": round(statistics.median(cpu), 3) if cpu else None,
        "non_2xx_or_failed": sum(result.failures for result in results),
    }


def report(runs: dict[str, dict[str, list[LoadResult]]]) -> dict:
    table = {}
    for cell, by_model in runs.items():
        summaries = {model: summary(results) for model, results in by_model.items()}
        gevent, sync = summaries["gevent"], summaries["sync"]
        ratios = {"throughput": round(gevent["requests_per_second"] / sync["requests_per_second"], 2)}
        if gevent["cpu_ms_per_request"] and sync["cpu_ms_per_request"]:
            ratios["cpu_per_request"] = round(gevent["cpu_ms_per_request"] / sync["cpu_ms_per_request"], 2)
        table[cell] = {**summaries, "gevent/sync": ratios}
    return table


def main() -> None:
    args = parse_arguments()
    args.client = available_client(args.client)
    with tempfile.TemporaryDirectory(prefix="bench-workers-") as scratch:
        work = Path(scratch)
        project = args.project or bake(work / "baked")
        python = args.app_python or deployment_python(project, work)
        with throwaway_database("workers") as database_url:
            upgrade_database(project, database_url, python)
            seed_todos(database_url, args.rows)
            with (
                served("gevent", project, database_url, python, args, work) as gevent,
                served("sync", project, database_url, python, args, work) as sync,
            ):
                servers = {"gevent": gevent, "sync": sync}
                for server, _ in servers.values():
                    run_load(args.client, server.base_url, ENDPOINTS["200 page"][0], args.warm_up, 2)
                runs = measure(servers, args)
    print(json.dumps({"settings": vars(args), "results": report(runs)}, indent=2, default=str))


if __name__ == "__main__":
    main()
