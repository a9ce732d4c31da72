"""Benchmark the generated service against a hand-written Flask app; see `--help`."""

import argparse
import json
import os
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

from sqlalchemy.exc import OperationalError

import report
from databases import server_url
from deep_pages import measure_deep_pages
from deployment import deployment_python
from in_project import isolation_overhead, run_suite
from load import available_client
from project import bake
from side_by_side import GENERATED, GENERATED_WITHOUT_AUTH, OBSERVED, REFERENCE, UNOBSERVED, measure_side_by_side
from throughput import summarize


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    option = parser.add_argument
    option("--duration", type=float, default=5, help="seconds per measured run (default 5)")
    option("--warm-up", type=float, default=2, help="seconds of warm-up per app and endpoint")
    option("--connections", type=int, default=4, help="concurrent client connections (default 4)")
    option("--repeats", type=int, default=3, help="measured runs per app and endpoint (default 3)")
    option("--workers", type=int, default=2, help="gunicorn sync workers per app (default 2)")
    option("--rows", type=int, default=1000, help="todos in the table under load (default 1000)")
    option("--client", choices=["auto", "wrk", "python"], default="auto", help="load generator")
    option("--no-info-variant", action="store_true", help="skip the LOG_LEVEL=INFO generated app")
    option("--no-observability", action="store_true", help="skip the observability on/off pair of generated apps")
    option("--no-auth-variant", action="store_true", help="skip the generated app baked with auth=none")
    option("--cold-start-runs", type=int, default=7, help="fresh interpreters per app (default 7)")
    option("--isolation-runs", type=int, default=100, help="probe tests for isolation overhead")
    option("--skip-suite", action="store_true", help="do not run the generated test suite")
    option("--deep", action="store_true", help="also time deep pages on a large table (slow)")
    option("--deep-rows", type=int, default=1_000_000, help="todos for --deep (default 1000000)")
    option("--project", type=Path, help="benchmark this baked project instead of baking one")
    option(
        "--app-python",
        help="interpreter that serves the apps (default: a new venv of the locked service packages)",
    )
    option("--json", type=Path, help="also write every measurement as JSON to this file")
    return parser.parse_args()


def measure_everything(args, project: Path, work: Path) -> dict:
    project_without_auth = None if args.no_auth_variant else bake(work / "baked-without-auth", auth="none")
    results = measure_side_by_side(args, project, work, project_without_auth)
    if not args.skip_suite:
        print("generated test suite ...", file=sys.stderr)
        environment = {**os.environ, "TEST_DATABASE_URL": server_url()}
        results["suite"] = run_suite(project, environment)
        results["isolation"] = isolation_overhead(project, args.isolation_runs, environment)
    if args.deep:
        print(f"deep pages with {args.deep_rows:,} todos ...", file=sys.stderr)
        results["deep"] = measure_deep_pages(project, args.deep_rows, args.workers, work, args.app_python)
    return results


def print_report(args, results: dict) -> None:
    settings = (
        f"{args.duration:g} s x {args.repeats} repeats, {args.connections} connections, "
        f"{args.workers} gunicorn workers, load from {args.client}"
    )
    sections = [
        (f"Throughput ({settings})", report.throughput_lines(results["runs"], REFERENCE, GENERATED)),
        (
            "Observability cost (JSON access lines + metrics, against text access lines; request IDs in both)",
            report.pair_lines(results["runs"], UNOBSERVED, OBSERVED),
        ),
        ("SQL per request (generated app, in-process)", report.statement_lines(results["statements"])),
        (
            "Cold start",
            report.cold_start_lines(results["cold_start"], REFERENCE, GENERATED, results.get("cold_start_development")),
        ),
    ]
    if GENERATED_WITHOUT_AUTH in results["runs"]["GET one"]:
        lines = report.auth_cost_lines(results["runs"]["GET one"], GENERATED, GENERATED_WITHOUT_AUTH)
        sections.insert(1, ("Bearer-token cost (GET one, auth=jwt against auth=none)", lines))
    if "suite" in results:
        sections.append(("Generated test suite", report.suite_lines(results["suite"], results["isolation"])))
    if "deep" in results:
        sections.append(("Deep pages (generated app)", report.deep_page_lines(results["deep"])))
    for title, lines in sections:
        print(report.section(title, lines))


def write_json(path: Path, results: dict) -> None:
    runs = results["runs"]
    serializable = {
        **results,
        "summary": {
            endpoint: {server: asdict(summarize(measured)) for server, measured in by_server.items()}
            for endpoint, by_server in runs.items()
        },
        "runs": {
            endpoint: {server: [asdict(run) for run in measured] for server, measured in by_server.items()}
            for endpoint, by_server in runs.items()
        },
    }
    for key in ("suite", "deep"):
        if key in results:
            serializable[key] = asdict(results[key])
    path.write_text(json.dumps(serializable, indent=2) + "\n")


def main() -> None:
    args = parse_arguments()
    args.client = available_client(args.client)
    with tempfile.TemporaryDirectory(prefix="bench-") as temporary:
        work = Path(temporary)
        project = args.project.resolve() if args.project else bake(work / "baked")
        args.unobserved_project = None if args.no_observability else bake(work / "unobserved", use_prometheus="n")
        print(f"project under test: {project}", file=sys.stderr)
        if args.app_python is None:
            print("installing the locked service packages into a deployment environment ...", file=sys.stderr)
            args.app_python = deployment_python(project, work)
        try:
            results = measure_everything(args, project, work)
        except OperationalError as error:
            sys.exit(f"PostgreSQL at {server_url()} did not answer (set TEST_DATABASE_URL): {error.orig}")
    print_report(args, results)
    if args.json:
        write_json(args.json, results)


if __name__ == "__main__":
    main()
