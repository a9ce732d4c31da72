"""What the transactional outbox costs a write, how long an event takes to its job, how fast the relay sends; see
`--help`.

1. The cost: PATCH completing a todo (`If-Match: *`, each request a different open todo), on the service baked with
   worker=y, which writes `TodoCompleted` into the outbox in the transaction of the change, against the same PATCH
   on the service baked with worker=n, which has no outbox. Request, answer and row change are the same; the event
   and its insert are the only difference. Each app serves its own PostgreSQL database under gunicorn from its own
   gunicorn.conf.py, rate limits off, and the two alternate in every repeat.
2. The relay's throughput: the outbox of the worker=y app (the events of step 1 and `--events` more) drained by
   `flask outbox relay --once` into RabbitMQ, in events/s net of the command's start-up (its time on an empty
   outbox).
3. The latency: the relay and one worker run against RabbitMQ while a load paced at `--rate` completes todos; per
   event, from its outbox row's `created_at` (the insert, just before the commit) to its `handled_event` row's
   `handled_at` (written by the worker before the job's commit); p50 and p99.
Prints JSON: requests/s, p50, p99 and CPU per request (gunicorn and its PostgreSQL backends) with medians over the
repeats and the with/without ratios, then events/s and the latencies, and the load average before and after.

With `--floor`, step 1 measures a third app beside the two: the worker=y project with the event's insert replaced
by `SELECT 1`. It makes the same extra round trip in the same transaction and writes nothing, so its ratio is the
least that any event written in the transaction of its change can cost this PATCH.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

from sqlalchemy import text

from databases import connected, seed_todos, throwaway_database, vacuum
from deployment import deployment_python
from event_pipeline import Pipeline, commit_to_handled, fill_outbox, last_event_id, outbox_rows, pipeline, running
from load import Endpoint, LoadResult, available_client, run_load
from project import bake, copy_of, upgrade_database
from servers import Server
from worker_models import load_options, served, summary

APPS = ("with outbox", "without outbox")
FLOOR = "an empty statement instead of the insert"
# The line of the baked SQLOutbox.add that --floor replaces, and what replaces it.
OUTBOX_INSERT = "self.session.connection().execute(INSERT_EVENT, row)"
EMPTY_STATEMENT = 'self.session.connection().exec_driver_sql("SELECT 1")'
COMPLETE = json.dumps({"completed": True})
# The target: the outbox keeps at least nine tenths of the requests/s.
THROUGHPUT_TARGET = 0.90


def parse_arguments() -> argparse.Namespace:
    parser = load_options(__doc__)
    option = parser.add_argument
    option("--plain-project", type=Path, help="the project baked with worker=n to compare with (default: bake one)")
    broker_url = os.environ.get("BENCH_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672/")
    option("--broker-url", default=broker_url, help="RabbitMQ of the relay and the worker (default: BENCH_BROKER_URL)")
    option("--events", type=int, default=20000, help="events added to the outbox for the relay (default 20000)")
    option("--relay-interval", type=float, default=1.0, help="RELAY_INTERVAL of the relay (default 1.0, the project's)")
    option("--rate", type=float, default=50, help="PATCH/s of the latency load (default 50)")
    option("--latency-seconds", type=float, default=20, help="seconds of the latency load (default 20)")
    option("--floor", action="store_true", help="also measure the write with `SELECT 1` in place of the insert")
    parser.set_defaults(rows=50000)
    parser.set_defaults(connections=4)
    return parser.parse_args()


def open_todos(project: Path, url: str, python: str, rows: int) -> int:
    """The project's schema and `rows` todos, none completed, so that completing any records an event; the last id."""
    upgrade_database(project, url, python)
    last_id = seed_todos(url, rows)
    with connected(url) as engine, engine.begin() as connection:
        connection.execute(text("UPDATE todo SET completed = false"))
    vacuum(url)
    return last_id


def with_empty_statement(project: Path, copy: Path) -> Path:
    """A copy of the worker=y project whose outbox runs `SELECT 1` where it inserts the event."""
    outbox = copy_of(project, copy) / "src/plumbing/infrastructure/outbox/sql_outbox.py"
    code = outbox.read_text()
    if OUTBOX_INSERT not in code:
        raise SystemExit(f"--floor: {outbox} no longer holds {OUTBOX_INSERT!r}; update bench/outbox.py")
    outbox.write_text(code.replace(OUTBOX_INSERT, EMPTY_STATEMENT))
    return copy


def completing(first_id: int) -> Endpoint:
    return Endpoint(
        "PATCH completing", "/v1/todo/{id}", "PATCH", COMPLETE, headers=(("If-Match", "*"),), first_id=first_id
    )


def warmed_up(servers: dict, args) -> dict[str, int]:
    """Each app warmed up by completing todos from id 1; the first id that no run has completed yet, by app."""
    next_ids = {}
    for name, (server, _) in servers.items():
        warm_up = run_load(args.client, server.base_url, completing(1), args.warm_up, 2)
        next_ids[name] = 1 + warm_up.requests + 2
    return next_ids


def measure_cost(servers: dict, next_ids: dict[str, int], last_id: int, args) -> dict[str, list[LoadResult]]:
    """Alternating runs; each starts past every id an earlier run may have completed, in flight ones included."""
    names = tuple(servers)
    runs: dict[str, list[LoadResult]] = {name: [] for name in names}
    for repeat in range(args.repeats):
        for name in names if repeat % 2 == 0 else names[::-1]:
            print(f"{name} ({repeat + 1}/{args.repeats}) ...", file=sys.stderr)
            server, meter = servers[name]
            before = meter.snapshot()
            result = run_load(args.client, server.base_url, completing(next_ids[name]), args.duration, args.connections)
            after = meter.snapshot()
            spent = {
                "server_cpu_seconds": meter.spent(before, after),
                "worker_cpu_seconds": meter.spent_by_workers(before, after),
            }
            runs[name].append(replace(result, **spent))
            next_ids[name] += result.requests + args.connections
            if next_ids[name] > last_id:
                raise RuntimeError(f"{name} completed every open todo; raise --rows")
    return runs


def cost_summary(results: list[LoadResult]) -> dict:
    """`summary`, with the server's CPU split into gunicorn's share and its PostgreSQL backends' share."""
    server = summary(results)
    gunicorn = statistics.median(result.worker_cpu_ms_per_request or 0.0 for result in results)
    if server["cpu_ms_per_request"]:
        server["gunicorn_cpu_ms_per_request"] = round(gunicorn, 3)
        server["postgresql_cpu_ms_per_request"] = round(server["cpu_ms_per_request"] - gunicorn, 3)
    return server


def against(measured: list[LoadResult], plain: list[LoadResult]) -> dict:
    """Ratios to the plain app: of the medians, and of each repeat's two runs, which ran one after the other (the
    plain app runs in the middle of every repeat), so that a drift of the machine's speed cancels out.
    """
    medians = cost_summary(measured), cost_summary(plain)
    ratios = {"throughput": round(medians[0]["requests_per_second"] / medians[1]["requests_per_second"], 3)}
    pairs = zip(measured, plain, strict=True)
    by_repeat = [mine.requests_per_second / theirs.requests_per_second for mine, theirs in pairs]
    ratios["throughput_by_repeat"] = [round(ratio, 3) for ratio in by_repeat]
    ratios["throughput_paired_median"] = round(statistics.median(by_repeat), 3)
    ratios["within_target"] = ratios["throughput"] >= THROUGHPUT_TARGET
    if medians[0]["cpu_ms_per_request"] and medians[1]["cpu_ms_per_request"]:
        ratios["cpu_per_request"] = round(medians[0]["cpu_ms_per_request"] / medians[1]["cpu_ms_per_request"], 3)
    return ratios


def cost_report(runs: dict[str, list[LoadResult]]) -> dict:
    report = {name: cost_summary(results) for name, results in runs.items()}
    report["with/without"] = against(runs[APPS[0]], runs[APPS[1]])
    if FLOOR in runs:
        report["empty statement/without"] = against(runs[FLOOR], runs[APPS[1]])
    return report


def relay_throughput(events_pipeline: Pipeline, database_url: str, events: int) -> dict:
    fill_outbox(database_url, events)
    sent, seconds = events_pipeline.relay_once()
    _, start_up = events_pipeline.relay_once()
    # Nobody consumes these; the worker of the latency run starts on an empty queue.
    events_pipeline.delete_queues()
    return {
        "events": sent,
        "seconds": round(seconds, 2),
        "start_up_seconds": round(start_up, 2),
        "events_per_second": round(sent / max(seconds - start_up, 1e-3)),
    }


def latency(events_pipeline: Pipeline, server: Server, database_url: str, first_id: int, args) -> dict:
    """Commit to handled under a paced load, after a warm-up whose events have all reached the worker."""
    python_client = "python"  # wrk cannot pace its requests
    with running(events_pipeline):
        before_warm_up = last_event_id(database_url)
        warm_up = run_load(python_client, server.base_url, completing(first_id), args.warm_up, 2, rate=args.rate)
        commit_to_handled(database_url, before_warm_up)
        after = last_event_id(database_url)
        first_id += warm_up.requests + 2
        load = run_load(python_client, server.base_url, completing(first_id), args.latency_seconds, 2, rate=args.rate)
        measured = commit_to_handled(database_url, after)
    return {"writes_per_second": round(load.requests_per_second, 1), "failures": load.failures, **measured}


def main() -> None:
    args = parse_arguments()
    args.client = available_client(args.client)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-outbox-") as scratch:
        work = Path(scratch)
        projects = {
            APPS[0]: args.project or bake(work / "with", worker="y"),
            APPS[1]: args.plain_project or bake(work / "without", worker="n"),
        }
        pythons = {
            name: args.app_python or deployment_python(project, work / name) for name, project in projects.items()
        }
        if args.floor:
            projects[FLOOR] = with_empty_statement(projects[APPS[0]], work / "floor")
            pythons[FLOOR] = pythons[APPS[0]]
        labels = {APPS[0]: "outbox", APPS[1]: "plain", FLOOR: "floor"}
        with ExitStack() as stack:
            urls = {name: stack.enter_context(throwaway_database(labels[name])) for name in projects}
            last_id = min(open_todos(projects[name], urls[name], pythons[name], args.rows) for name in projects)
            servers = {
                name: stack.enter_context(
                    served("gevent", project, urls[name], pythons[name], args, work, {"BENCH_LABEL": labels[name]})
                )
                for name, project in projects.items()
            }
            outbox_url, outbox = urls[APPS[0]], servers[APPS[0]]
            next_ids = warmed_up(servers, args)
            runs = measure_cost(servers, next_ids, last_id, args)
            if FLOOR in urls and outbox_rows(urls[FLOOR]):
                raise SystemExit("--floor: the app with the empty statement recorded events; it measured the insert")
            with pipeline(projects[APPS[0]], pythons[APPS[0]], outbox_url, args, work) as events:
                relayed = relay_throughput(events, outbox_url, args.events)
                latencies = latency(events, outbox[0], outbox_url, next_ids[APPS[0]], args)
    results = {"cost_on_a_write": cost_report(runs), "relay": relayed, "commit_to_handled": latencies}
    output = {"settings": vars(args), "load_average": {"before": load_before, "after": os.getloadavg()}}
    print(json.dumps({**output, "results": results}, indent=2, default=str))


if __name__ == "__main__":
    main()
