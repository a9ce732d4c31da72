"""Measurements inside the baked project: its test suite, isolation cost and SQL per request."""

import json
import re
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from load import Endpoint

BENCH_DIRECTORY = Path(__file__).resolve().parent
OUTCOME = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed)")


@dataclass(frozen=True)
class SuiteResult:
    seconds: float
    outcomes: dict[str, int]
    summary: str

    @property
    def tests(self) -> int:
        return sum(self.outcomes.values())


def run_script(project: Path, script: str, arguments: list[str], environment: Mapping[str, str]):
    """Run a bench script with the project importable, as its own tests would import it."""
    completed = subprocess.run(
        [sys.executable, str(BENCH_DIRECTORY / script), *arguments],
        cwd=project,
        env={**environment, "PYTHONPATH": str(project)},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"{script} failed:\n{completed.stdout[-3000:]}{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.splitlines()[-1])


def count_statements(project: Path, endpoints: list[Endpoint], environment: Mapping[str, str]):
    described = [[e.name, e.method, e.path, json.loads(e.body) if e.body else None] for e in endpoints]
    return run_script(project, "sql_count.py", [json.dumps(described)], environment)


def isolation_overhead(project: Path, runs: int, environment: Mapping[str, str]) -> dict:
    return run_script(project, "isolation_probe.py", [str(runs)], environment)


def run_suite(project: Path, environment: Mapping[str, str]) -> SuiteResult:
    """The generated suite as a user runs it, timed from outside (interpreter start included)."""
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project,
        env=dict(environment),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - started
    summary = completed.stdout.strip().splitlines()[-1] if completed.stdout.strip() else ""
    outcomes = {kind: int(count) for count, kind in OUTCOME.findall(summary)}
    return SuiteResult(seconds=seconds, outcomes=outcomes, summary=summary)
