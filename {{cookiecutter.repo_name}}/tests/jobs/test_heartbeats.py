"""The relay's and the worker's processes: they touch their heartbeat files while they run, which is what their
probes read, and the relay stops cleanly on SIGTERM.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import ClassVar

from tests.jobs.test_killed_worker import stop
from tests.jobs.worker_test_base import BrokerTestBase, WorkerTestBase
from tests.resources.broker import unique_queue, worker_environment

PROJECT_ROOT = Path(__file__).resolve().parents[2]
HEARTBEAT_DIRECTORY = Path(tempfile.mkdtemp())
WAIT_SECONDS = 30
LONG_INTERVAL_SECONDS = 20


def wait_for_change(path: Path, since: float) -> float:
    """The file's new modification time, once it is later than `since`."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if path.exists() and (modified := path.stat().st_mtime) > since:
            return modified
        time.sleep(0.05)
    raise AssertionError(f"{path} was not touched within {WAIT_SECONDS} s")


class WorkerHeartbeatTest(WorkerTestBase):
    queue: ClassVar[str] = unique_queue()
    heartbeat: ClassVar[Path] = HEARTBEAT_DIRECTORY / "worker.alive"
    environment: ClassVar[dict[str, str]] = worker_environment(queue, WORKER_HEARTBEAT_FILE=str(heartbeat))

    def test_a_booted_worker_touches_its_heartbeat_file(self):
        wait_for_change(self.heartbeat, since=0)


class RelayHeartbeatTest(BrokerTestBase):
    queue: ClassVar[str] = unique_queue()
    heartbeat: ClassVar[Path] = HEARTBEAT_DIRECTORY / "relay.alive"
    environment: ClassVar[dict[str, str]] = worker_environment(
        queue, RELAY_HEARTBEAT_FILE=str(heartbeat), RELAY_INTERVAL="0.1"
    )

    def start_relay(self, **settings: str) -> subprocess.Popen:
        """The relay in a process of its own, its heartbeat file not touched yet."""
        self.heartbeat.unlink(missing_ok=True)
        relay = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "src.app", "outbox", "relay"],
            cwd=PROJECT_ROOT,
            env={**os.environ, **self.app_environment(), **settings, "PYTHON_DOTENV_DISABLED": "1"},
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.addCleanup(stop, relay)
        return relay

    def test_the_relay_touches_its_heartbeat_file_on_every_round(self):
        self.start_relay()

        first = wait_for_change(self.heartbeat, since=0)
        wait_for_change(self.heartbeat, since=first)

    def test_sigterm_stops_the_relay_at_once_between_rounds_and_it_exits_cleanly(self):
        relay = self.start_relay(RELAY_INTERVAL=str(LONG_INTERVAL_SECONDS))
        wait_for_change(self.heartbeat, since=0)

        os.kill(relay.pid, signal.SIGTERM)

        # It was waiting out a long interval with nothing to send: the wait ends, the command returns 0.
        self.assertEqual(relay.wait(LONG_INTERVAL_SECONDS / 2), 0)
