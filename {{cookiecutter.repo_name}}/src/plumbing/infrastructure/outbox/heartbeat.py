"""Heartbeat files: the relay and the worker touch one while they run, and a probe calls them dead once it is stale."""

import threading
from pathlib import Path

import dramatiq
from dramatiq.middleware import Middleware


def touch(path: str) -> None:
    """Mark `path` as fresh now; an empty path turns the heartbeat off."""
    if path:
        Path(path).touch()


class WorkerHeartbeat(Middleware):
    """Touches `path` every `interval` seconds from the worker's boot to its shutdown.

    The file goes stale when the worker process hangs or stops; a dead worker process ends `dramatiq worker`.
    """

    def __init__(self, path: str, interval: float = 10.0) -> None:
        self.path = path
        self.interval = interval
        self.stopped = threading.Event()

    def after_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        self.stopped.clear()
        threading.Thread(target=self.beat, name="worker-heartbeat", daemon=True).start()

    def before_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        self.stopped.set()

    def beat(self) -> None:
        touch(self.path)
        while not self.stopped.wait(self.interval):
            touch(self.path)
