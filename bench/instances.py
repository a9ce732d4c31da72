"""Several gunicorn instances of the baked service on fixed loopback ports, replaced one at a time."""

import subprocess
import threading
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from http_client import Worker
from project import AUTHORIZATION
from servers import Server, Settings, start_gunicorn, stop_gunicorn, wait_until_ready

# gunicorn.conf.py's default; a SIGTERM'd instance gets this long to finish its requests.
GRACEFUL_TIMEOUT_SECONDS = 30


@dataclass
class Instances:
    project: Path
    environment: Mapping[str, str]
    settings: Settings
    ports: dict[str, int]
    ready_path: str
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    servers: dict[str, Server] = field(default_factory=dict)
    starts: Counter[str] = field(default_factory=Counter)

    def start(self, name: str) -> Server:
        """Start `name` on its port with the project's own gunicorn.conf.py; return once it is ready."""
        self.starts[name] += 1
        settings = Settings(
            self.settings.workers, self.settings.log_directory, self.settings.python,
            self.project / "gunicorn.conf.py", self.ports[name],
        )  # fmt: skip
        log_name = f"{name}-{self.starts[name]}"
        server, process = start_gunicorn(log_name, "wsgi:app", self.project, self.environment, settings)
        self.servers[name], self.processes[name] = server, process
        wait_until_ready(server, process, self.ready_path)
        return server

    def terminate(self, name: str) -> subprocess.Popen:
        """Send SIGTERM and return at once; the process finishes its requests on its own."""
        process = self.processes[name]
        process.terminate()
        return process

    def stop(self, name: str) -> int:
        return stop_gunicorn(self.processes[name], GRACEFUL_TIMEOUT_SECONDS + 5)

    def stop_all(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is None:
                self.stop(name)


class SteadyLoad:
    """Client threads sending one request after another until stopped; counts every outcome."""

    def __init__(self, url: str, connections: int, bound_seconds: float) -> None:
        deadline = time.perf_counter() + bound_seconds
        self.workers = [Worker(url, "GET", None, deadline, AUTHORIZATION) for _ in range(connections)]

    def __enter__(self) -> "SteadyLoad":
        for worker in self.workers:
            worker.start()
        return self

    def __exit__(self, *exc_info) -> None:
        for worker in self.workers:
            worker.stop()
        for worker in self.workers:
            worker.join()

    def outcomes(self) -> Counter[str]:
        """Status codes and exception names, e.g. {'200': 5120, 'ConnectionResetError': 2}."""
        return sum((worker.outcomes for worker in self.workers), Counter())


def in_thread(function, *arguments) -> tuple[threading.Thread, dict]:
    """Run `function` in a thread; the dict gets its `result` or `error`."""
    box: dict = {}

    def run() -> None:
        try:
            box["result"] = function(*arguments)
        except Exception as error:
            box["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, box
