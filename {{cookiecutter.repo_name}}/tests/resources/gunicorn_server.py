"""The service under a real gunicorn, started once per test run from the project's own `gunicorn.conf.py`."""

import atexit
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from functools import cache
from pathlib import Path

from tests.resources.app_test_base import TEST_ENVIRONMENT
from tests.resources.database import run_database_url

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 60
# Like the contract's in-process app, the server gets a token no generated request can know.
SERVER_ENVIRONMENT = {**TEST_ENVIRONMENT, "MAINTENANCE_TOKEN": secrets.token_urlsafe(32)}


class GunicornDidNotStart(RuntimeError):
    """gunicorn exited, or did not answer `/health/live` in time; the message ends with its stderr."""


@cache
def gunicorn_address() -> tuple[str, int]:
    """Host and port of the server; the first call starts it, and the run stops it at exit."""
    listener = socket.create_server(("127.0.0.1", 0))
    address = listener.getsockname()
    command = [sys.executable, "-m", "gunicorn", "wsgi:app", f"--bind=fd://{listener.fileno()}", "--workers=1"]
    # gunicorn's control socket is one path per user; parallel runs must not take it from each other.
    command.append("--no-control-socket")
    with listener, tempfile.NamedTemporaryFile("w", prefix="gunicorn-", suffix=".log", delete=False) as log:
        # gunicorn takes over the socket bound here (`fd://`), so no other process can take the port in between.
        server = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=server_environment(),
            pass_fds=[listener.fileno()],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    log_path = Path(log.name)
    atexit.register(stop, server, log_path)
    wait_until_live(server, address, log_path)
    return address


def gunicorn_url() -> str:
    host, port = gunicorn_address()
    return f"http://{host}:{port}"


def server_environment() -> dict[str, str]:
    """Only what the test decides: neither `.env` nor the caller's shell may change the service or gunicorn."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "PYTHON_DOTENV_DISABLED": "1",
        **SERVER_ENVIRONMENT,
        "SQLALCHEMY_DATABASE_URI": run_database_url(),
    }


def wait_until_live(server: subprocess.Popen, address: tuple[str, int], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while server.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{address[0]}:{address[1]}/health/live", timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    errors = log.read_text(encoding="utf-8", errors="replace")
    stop(server, log)
    raise GunicornDidNotStart(f"gunicorn exited or did not serve /health/live within {STARTUP_SECONDS}s:\n{errors}")


def stop(server: subprocess.Popen, log: Path) -> None:
    server.terminate()
    try:
        server.wait(timeout=STARTUP_SECONDS)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    log.unlink(missing_ok=True)
