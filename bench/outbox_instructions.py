"""What recording an event costs a write, in counts that do not move with the machine's load.

PATCH completing a todo (`If-Match: *`, each request another open todo), served in-process through Flask's test
client by the service baked with worker=y (it writes `TodoCompleted` into the outbox in the transaction of the
change) and by the one baked with worker=n (no outbox). For each: Python calls per request under cProfile, and
instructions per request under callgrind (FEW and MANY requests; the difference divided by MANY - FEW, so the
interpreter's start drops out). Each app runs on its own throwaway PostgreSQL database; after the worker=y runs
the outbox must hold one row per PATCH.

Usage: python bench/outbox_instructions.py [--project PATH] [--plain-project PATH] [--app-python PYTHON]
(about five minutes; needs valgrind)
"""

import argparse
import subprocess
import tempfile
from pathlib import Path

from databases import throwaway_database
from deployment import deployment_python
from event_pipeline import outbox_rows
from instructions import callgrind_instructions, require_valgrind
from outbox import open_todos
from project import bake, service_environment

FEW, MANY = 50, 250
PROFILED_REQUESTS = 1000
WARM_UP_REQUESTS = 20  # the probe's, completed on the ids before each run's first
PROBE = Path(__file__).resolve().parent / "outbox_probe.py"
APPS = ("worker=y", "worker=n")


def measure(project: Path, python: str, url: str, work: Path) -> tuple[float, float, int]:
    """Calls per request, instructions per request, and the PATCHes made."""
    # One hash seed for every run, so that the layout of dictionaries and sets does not move the counts.
    environment = {**service_environment(url, "WARNING"), "MAINTENANCE_CACHE_SECONDS": "60", "PYTHONHASHSEED": "0"}
    first_id = WARM_UP_REQUESTS + 1
    probe = [python, str(PROBE)]
    counts = {}
    for requests in (FEW, MANY):
        counts[requests] = callgrind_instructions([*probe, str(first_id), str(requests)], project, environment, work)
        first_id += requests + WARM_UP_REQUESTS
    completed = subprocess.run(
        [*probe, str(first_id), str(PROFILED_REQUESTS), "--profile"],
        cwd=project,
        env={**environment, "PYTHONPATH": str(project)},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=True,
    )
    made = first_id + PROFILED_REQUESTS - 1
    return float(completed.stdout.split()[-1]), (counts[MANY] - counts[FEW]) / (MANY - FEW), made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--project", type=Path, help="the project baked with worker=y (default: bake one)")
    parser.add_argument("--plain-project", type=Path, help="the project baked with worker=n (default: bake one)")
    parser.add_argument("--app-python", help="interpreter for the apps (default: a venv of each project's locked ones)")
    args = parser.parse_args()
    require_valgrind()
    rows = FEW + MANY + PROFILED_REQUESTS + 3 * WARM_UP_REQUESTS + 100
    with tempfile.TemporaryDirectory(prefix="bench-outbox-instructions-") as temporary:
        work = Path(temporary)
        projects = {
            APPS[0]: (args.project or bake(work / "with", worker="y")).resolve(),
            APPS[1]: (args.plain_project or bake(work / "without", worker="n")).resolve(),
        }
        results = {}
        for name, project in projects.items():
            python = args.app_python or deployment_python(project, work / name.replace("=", "-"))
            with throwaway_database("outbox_instructions") as url:
                open_todos(project, url, python, rows)
                calls, instructions, made = measure(project, python, url, work)
                if name == APPS[0] and outbox_rows(url) != made:
                    raise RuntimeError(f"{made} PATCHes left {outbox_rows(url)} outbox rows, not one each")
            results[name] = (calls, instructions)
    print(f"{'PATCH completing':<17} {'calls/request':>14} {'instructions/request':>21}")
    for name, (calls, instructions) in results.items():
        print(f"{name:<17} {calls:>14.0f} {instructions / 1e6:>20.3f}M")
    (with_calls, with_instructions), (plain_calls, plain_instructions) = results.values()
    print(f"{'with/without':<17} {with_calls / plain_calls:>14.3f} {with_instructions / plain_instructions:>21.3f}")


if __name__ == "__main__":
    main()
