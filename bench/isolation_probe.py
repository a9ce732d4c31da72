"""Per-test cost of database isolation in the generated suite: run inside the baked project.

Usage (cwd = the baked project, TEST_DATABASE_URL set): python isolation_probe.py RUNS
Runs one trivial API test RUNS times through Flask-Testing exactly as pytest would (set-up,
`setup_database()`, body, tear-down) and prints one JSON line of medians in milliseconds.
"""

import json
import statistics
import sys
import time
import unittest
from typing import ClassVar

from tests.resources.app_test_base import AppTestBase

WARM_UP_RUNS = 5


class IsolationProbe(AppTestBase):
    setup_database_ms: ClassVar[list[float]] = []
    body_ms: ClassVar[list[float]] = []

    def setUp(self) -> None:
        started = time.perf_counter()
        self.setup_database()
        self.setup_database_ms.append((time.perf_counter() - started) * 1000)

    def test_round_trip(self) -> None:
        started = time.perf_counter()
        created = self.client.post("/v1/todo", json={"title": "probe"})
        fetched = self.client.get(f"/v1/todo/{created.json['id']}")
        self.body_ms.append((time.perf_counter() - started) * 1000)
        assert fetched.json == created.json


def run_once() -> float:
    result = unittest.TestResult()
    started = time.perf_counter()
    IsolationProbe("test_round_trip")(result)
    elapsed = (time.perf_counter() - started) * 1000
    if not result.wasSuccessful():
        raise SystemExit(f"the probe test failed: {result.errors or result.failures}")
    return elapsed


def main(runs: str) -> None:
    for _ in range(WARM_UP_RUNS):
        run_once()
    IsolationProbe.setup_database_ms.clear()
    IsolationProbe.body_ms.clear()
    totals = [run_once() for _ in range(int(runs))]
    overheads = [total - body for total, body in zip(totals, IsolationProbe.body_ms, strict=True)]
    setups = IsolationProbe.setup_database_ms
    summary = {
        "runs": len(totals),
        "test_ms": statistics.median(totals),
        "body_ms": statistics.median(IsolationProbe.body_ms),
        "overhead_ms": statistics.median(overheads),
        "setup_database_ms": statistics.median(setups),
        "framework_ms": statistics.median(o - s for o, s in zip(overheads, setups, strict=True)),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main(sys.argv[1])
