"""Instructions per request and per start of the generated service and the reference app, counted by callgrind.

Requests/s move with everything else the machine does; the instructions an app runs for a request do not.
Each endpoint is served in-process twice, FEW and MANY times, under `valgrind --tool=callgrind`; the
difference divided by MANY - FEW is the cost of one request, without the interpreter's start. The start is
counted on its own: `import wsgi` (the reference: `import reference_app`), which builds the app.

With --observability it counts instead what JSON logs and metrics cost together: GET one and GET page of the
default bake with LOG_FORMAT=json and multiprocess metrics, against a bake with `use_prometheus=n` writing the
same access line as text, as the service did before either existed. Both run at LOG_LEVEL=INFO and carry request
IDs, which cannot be switched off.

Usage: python bench/instructions.py [--project PATH] [--app-python PYTHON] [--observability]   (about eight minutes)
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from databases import seed_todos, throwaway_database
from deployment import deployment_python
from project import bake, service_environment, upgrade_database
from side_by_side import BENCH_DIRECTORY, GENERATED_WITHOUT_AUTH, load_endpoints
from startup import WsgiModule

FEW, MANY = 50, 250
SEEDED_ROWS = 1000


def require_valgrind() -> None:
    """Stop before any baking when the counting tool is missing."""
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (Debian: apt-get install valgrind).")


def callgrind_instructions(command: list[str], directory: Path, environment: dict[str, str], work: Path) -> int:
    output = work / "callgrind.out"
    completed = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={output}", *command],
        cwd=directory,
        env={**environment, "PYTHONPATH": str(directory)},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed under callgrind:\n{completed.stderr[-3000:]}")
    summary = next(line for line in output.read_text().splitlines() if line.startswith(("summary:", "totals:")))
    return int(summary.split()[1])


def per_request(app: WsgiModule, endpoint, python: str, environment: dict[str, str], work: Path) -> float:
    probe = [python, str(BENCH_DIRECTORY / "instruction_probe.py"), app.module, endpoint.method, endpoint.path]
    probe.append(endpoint.body or "-")
    few, many = (
        callgrind_instructions([*probe, str(count)], app.directory, environment, work) for count in (FEW, MANY)
    )
    return (many - few) / (MANY - FEW)


def start(app: WsgiModule, python: str, environment: dict[str, str], work: Path) -> int:
    return callgrind_instructions([python, "-c", f"import {app.module}"], app.directory, environment, work)


def observability_cost(project: Path, python: str, work: Path) -> None:
    """Instructions per request with the signals on, against off, for the two GET endpoints."""
    unobserved = WsgiModule("off", "wsgi", bake(work / "unobserved", use_prometheus="n"))
    observed = WsgiModule("on", "wsgi", project)
    metrics_directory = work / "metrics"
    metrics_directory.mkdir()
    with throwaway_database("observability") as url:
        upgrade_database(project, url, python)
        endpoints = [endpoint for endpoint in load_endpoints(seed_todos(url, SEEDED_ROWS)) if endpoint.method == "GET"]
        plain = {**service_environment(url, "INFO"), "MAINTENANCE_CACHE_SECONDS": "60", "LOG_FORMAT": "text"}
        observed_environment = {**plain, "LOG_FORMAT": "json", "PROMETHEUS_MULTIPROC_DIR": str(metrics_directory)}
        print(f"{'':<9} {'off':>12} {'on':>12} {'on/off':>8}")
        for endpoint in endpoints:
            off = per_request(unobserved, endpoint, python, plain, work)
            on = per_request(observed, endpoint, python, observed_environment, work)
            print(f"{endpoint.name:<9} {off / 1e6:>11.3f}M {on / 1e6:>11.3f}M {on / off:>8.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--project", type=Path, help="count this baked project instead of baking one")
    parser.add_argument("--app-python", help="interpreter for the apps (default: a venv of the locked packages)")
    parser.add_argument("--observability", action="store_true", help="count the observability cost instead")
    args = parser.parse_args()
    require_valgrind()
    with tempfile.TemporaryDirectory(prefix="bench-instructions-") as temporary:
        work = Path(temporary)
        project = args.project.resolve() if args.project else bake(work / "baked")
        python = args.app_python or deployment_python(project, work)
        if args.observability:
            observability_cost(project, python, work)
            return
        apps = [WsgiModule("generated", "wsgi", project), WsgiModule("reference", "reference_app", BENCH_DIRECTORY)]
        without_auth = WsgiModule(GENERATED_WITHOUT_AUTH, "wsgi", bake(work / "baked-without-auth", auth="none"))
        with throwaway_database("instructions") as url:
            upgrade_database(project, url, python)
            endpoints = load_endpoints(seed_todos(url, SEEDED_ROWS))
            environment = {**service_environment(url, "WARNING"), "MAINTENANCE_CACHE_SECONDS": "60"}
            counts = {
                endpoint.name: {app.name: per_request(app, endpoint, python, environment, work) for app in apps}
                for endpoint in endpoints
            }
            # What verifying the bearer token costs: GET one of the same app baked with auth=none.
            without_auth_get_one = per_request(without_auth, endpoints[0], python, environment, work)
            counts["start"] = {
                app.name: callgrind_instructions(
                    [python, "-c", f"import {app.module}"], app.directory, environment, work
                )
                for app in apps
            }
    # A cost ratio: below 1, the generated app runs fewer instructions than the reference.
    print(f"{'':<9} {'generated':>12} {'reference':>12} {'generated/reference':>20}")
    for name, by_app in counts.items():
        generated, reference = by_app["generated"], by_app["reference"]
        print(f"{name:<9} {generated / 1e6:>11.2f}M {reference / 1e6:>11.2f}M {generated / reference:>20.2f}")
    with_auth = counts["GET one"]["generated"]
    # At most 10% fewer requests/s, for a CPU-bound request, is at most 1/0.9 times the instructions.
    print(
        f"GET one, {GENERATED_WITHOUT_AUTH}: {without_auth_get_one / 1e6:.2f}M; generated/{GENERATED_WITHOUT_AUTH} "
        f"{with_auth / without_auth_get_one:.3f} (target <= {1 / 0.9:.3f})"
    )


if __name__ == "__main__":
    main()
