"""gunicorn processes for the apps under test: identical settings, reliably stopped."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from project import AUTHORIZATION

READY_PATH = "/v1/todo?page=1&per_page=1"
READY_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class Server:
    name: str
    base_url: str
    log_path: Path
    pid: int


def free_port() -> int:
    """A free loopback port; on a shared machine, `BENCH_PORTS=first-last` keeps the bench within a range."""
    first, _, last = os.environ.get("BENCH_PORTS", "0-0").partition("-")
    for port in range(int(first), int(last) + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError(f"no free port in BENCH_PORTS={first}-{last}")


@contextmanager
def gunicorn(
    name: str,
    app: str,
    directory: Path,
    environment: Mapping[str, str],
    workers: int,
    log_directory: Path,
    python: str = sys.executable,
) -> Iterator[Server]:
    """Serve `app` (`module:variable`) from `directory` until the block ends."""
    port = free_port()
    log_path = log_directory / f"{name}.log"
    # An empty config file keeps a gunicorn.conf.py in `directory` from changing one app's settings.
    empty_config = log_directory / "gunicorn.conf.py"
    empty_config.touch()
    command = [
        python, "-m", "gunicorn", "--config", str(empty_config), "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--chdir", str(directory), app,
    ]  # fmt: skip
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=directory, env=dict(environment), stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
    server = Server(name, f"http://127.0.0.1:{port}", log_path, process.pid)
    try:
        wait_until_ready(server, process)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_ready(server: Server, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            request = urllib.request.Request(server.base_url + READY_PATH, headers={"Authorization": AUTHORIZATION})
            with urllib.request.urlopen(request, timeout=10) as response:
                if response.status == 200:
                    return
        except OSError:  # refused, reset, timed out or an HTTP error status: not ready yet
            time.sleep(0.2)
    log_tail = server.log_path.read_text(errors="replace")[-3000:]
    raise RuntimeError(f"{server.name} did not answer {READY_PATH}:\n{log_tail}")
