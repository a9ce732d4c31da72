"""What an Idempotency-Key costs: POST with a new key on every request against POST without one; see `--help`.

One gunicorn app of the baked service (its own gunicorn.conf.py, rate limits off) on one PostgreSQL serves both
loads, which alternate in every repeat. With a key, each request takes the advisory lock, looks for a stored answer
and stores its own in the transaction of the new todo. Prints JSON: requests/s, p50, p99 and CPU per request (the
gunicorn processes and their PostgreSQL backends), medians over the repeats, the keyed/plain ratios, and the load
average of the machine before and after.
"""

import json
import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from databases import throwaway_database
from deployment import deployment_python
from load import Endpoint, LoadResult, available_client, run_load
from project import bake, upgrade_database
from worker_models import load_options, served, summary

BODY = json.dumps({"title": "keyed"})
ENDPOINTS = (
    Endpoint("POST", "/v1/todo", "POST", BODY),
    Endpoint("POST with Idempotency-Key", "/v1/todo", "POST", BODY, idempotency_keys=True),
)


def measure(server, meter, args) -> dict[str, list[LoadResult]]:
    runs: dict[str, list[LoadResult]] = {endpoint.name: [] for endpoint in ENDPOINTS}
    for repeat in range(args.repeats):
        for endpoint in ENDPOINTS if repeat % 2 == 0 else ENDPOINTS[::-1]:
            print(f"{endpoint.name} ({repeat + 1}/{args.repeats}) ...", file=sys.stderr)
            before = meter.snapshot()
            result = run_load(args.client, server.base_url, endpoint, args.duration, args.connections)
            runs[endpoint.name].append(replace(result, server_cpu_seconds=meter.spent(before, meter.snapshot())))
    return runs


def report(runs: dict[str, list[LoadResult]]) -> dict:
    plain, keyed = (summary(runs[endpoint.name]) for endpoint in ENDPOINTS)
    ratios = {"throughput": round(keyed["requests_per_second"] / plain["requests_per_second"], 3)}
    if plain["cpu_ms_per_request"] and keyed["cpu_ms_per_request"]:
        ratios["cpu_per_request"] = round(keyed["cpu_ms_per_request"] / plain["cpu_ms_per_request"], 3)
    return {"without_key": plain, "with_key": keyed, "with/without": ratios}


def main() -> None:
    args = load_options(__doc__).parse_args()
    args.client = available_client(args.client)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-idempotency-") as scratch:
        work = Path(scratch)
        project = args.project or bake(work / "baked")
        python = args.app_python or deployment_python(project, work)
        with throwaway_database("idempotency") as database_url:
            upgrade_database(project, database_url, python)
            settings = {"RATELIMIT_ENABLED": "false", "BENCH_LABEL": "idempotency"}
            with served("gevent", project, database_url, python, args, work, settings) as (server, meter):
                run_load(args.client, server.base_url, ENDPOINTS[1], args.warm_up, 2)
                runs = measure(server, meter, args)
    output = {"settings": vars(args), "load_average": {"before": load_before, "after": os.getloadavg()}}
    print(json.dumps({**output, "results": report(runs)}, indent=2, default=str))


if __name__ == "__main__":
    main()
