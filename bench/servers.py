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
    """A port the system says is free, or the first free one of `BENCH_PORTS` (e.g. `18600-18699`) when set."""
    first, _, last = os.environ.get("BENCH_PORTS", "0-0").partition("-")
    for port in range(int(first), int(last or first) + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError(f"no free port in BENCH_PORTS={os.environ['BENCH_PORTS']}")


@dataclass(frozen=True)
class Settings:
    """gunicorn's command line apart from the app: an empty config file unless `config` names one."""

    workers: int
    log_directory: Path
    python: str = sys.executable
    config: Path | None = None
    port: int | None = None


def start_gunicorn(
    name: str, app: str, directory: Path, environment: Mapping[str, str], settings: Settings
) -> tuple[Server, subprocess.Popen]:
    """Start serving `app` (`module:variable`) from `directory`; the caller waits and stops."""
    port = settings.port or free_port()
    log_path = settings.log_directory / f"{name}.log"
    config = settings.config
    if config is None:
        # An empty config file keeps a gunicorn.conf.py in `directory` from changing one app's settings.
        config = settings.log_directory / "gunicorn.conf.py"
        config.touch()
    command = [
        settings.python, "-m", "gunicorn", "--config", str(config), "--bind", f"127.0.0.1:{port}",
        "--workers", str(settings.workers), "--chdir", str(directory), app,
    ]  # fmt: skip
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=directory, env=dict(environment), stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
    return Server(name, f"http://127.0.0.1:{port}", log_path, process.pid), process


def stop_gunicorn(process: subprocess.Popen, seconds: float = 15) -> int:
    """SIGTERM, then SIGKILL after `seconds`; the exit status."""
    process.terminate()
    try:
        return process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


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
    server, process = start_gunicorn(name, app, directory, environment, Settings(workers, log_directory, python))
    try:
        wait_until_ready(server, process)
        yield server
    finally:
        stop_gunicorn(process)


def wait_until_ready(server: Server, process: subprocess.Popen, path: str = READY_PATH) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            request = urllib.request.Request(server.base_url + path, headers={"Authorization": AUTHORIZATION})
            with urllib.request.urlopen(request, timeout=10) as response:
                if response.status == 200:
                    return
        except OSError:  # refused, reset, timed out or an HTTP error status: not ready yet
            time.sleep(0.2)
    log_tail = server.log_path.read_text(errors="replace")[-3000:]
    raise RuntimeError(f"{server.name} did not answer {path}:\n{log_tail}")
