"""Cold start: how long a fresh interpreter takes to import each app's WSGI module."""

import statistics
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

TIMED_IMPORT = "import time; started = time.perf_counter(); import {module}; print(time.perf_counter() - started)"


@dataclass(frozen=True)
class WsgiModule:
    name: str
    module: str
    directory: Path


def import_seconds(target: WsgiModule, environment: Mapping[str, str], python: str) -> float:
    completed = subprocess.run(
        [python, "-c", TIMED_IMPORT.format(module=target.module)],
        cwd=target.directory,
        env=dict(environment),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"import {target.module} failed:\n{completed.stderr}")
    return float(completed.stdout.split()[-1])


def median_import_seconds(
    targets: list[WsgiModule],
    environment: Mapping[str, str],
    runs: int,
    python: str = sys.executable,
) -> dict[str, float]:
    """Interleave the apps run by run; one untimed import first writes the bytecode caches."""
    for target in targets:
        import_seconds(target, environment, python)
    timings: dict[str, list[float]] = {target.name: [] for target in targets}
    for _ in range(runs):
        for target in targets:
            timings[target.name].append(import_seconds(target, environment, python))
    return {name: statistics.median(values) for name, values in timings.items()}
