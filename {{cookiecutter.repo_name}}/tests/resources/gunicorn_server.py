"""The service under real gunicorn, started from the project's own `gunicorn.conf.py`.

`GunicornServer` is one server with the settings a test gives it, on a Unix socket; `gunicorn_url()` is the
one TCP server of the whole run that the contract and protocol tests share.
"""

import atexit
import http.client
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from functools import cache
from pathlib import Path

from tests.resources.app_test_base import TEST_ENVIRONMENT
from tests.resources.database import run_database_url

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 60


class GunicornDidNotStart(RuntimeError):
    """gunicorn exited, or did not answer `/health/live` in time; the message ends with its stderr."""


class UnixSocketConnection(http.client.HTTPConnection):
    """HTTP over gunicorn's Unix socket: such a test needs no free TCP port."""

    def __init__(self, path: str) -> None:
        super().__init__("localhost", timeout=10)
        self.socket_path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.socket_path)


class GunicornServer:
    """Started by `start`, stopped by `stop`; gunicorn's stderr, and so the service's logs, lands in `log_path`.

    Only what the test decides reaches it: neither `.env` nor the caller's shell may change the service. With a
    `listener`, gunicorn serves that TCP socket (`fd://`), so no other process can take the port in between.
    """

    def __init__(self, listener: socket.socket | None = None, **settings: str) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix="gunicorn-test-"))
        self.socket_path = str(self.workdir / "gunicorn.sock")
        self.log_path = self.workdir / "stderr.log"
        self.listener = listener
        self.environment = {
            "PATH": os.environ.get("PATH", ""),
            "PYTHON_DOTENV_DISABLED": "1",
            **TEST_ENVIRONMENT,
            "SQLALCHEMY_DATABASE_URI": run_database_url(),
            "GUNICORN_BIND": f"fd://{listener.fileno()}" if listener else f"unix:{self.socket_path}",
            **settings,
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "gunicorn", "wsgi:app"]
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=PROJECT_ROOT,
                env=self.environment,
                pass_fds=[self.listener.fileno()] if self.listener else [],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while self.process.poll() is None and time.monotonic() < deadline:
            try:
                self.get("/health/live")
                return
            except OSError:
                time.sleep(0.2)
        errors = self.log_path.read_text(encoding="utf-8", errors="replace")
        self.stop()
        raise GunicornDidNotStart(f"gunicorn exited or did not serve /health/live within {STARTUP_SECONDS}s:\n{errors}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=STARTUP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
        return self.request("GET", path, headers)

    def request(self, method: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
        """One request on a new connection, so that the workers take turns accepting them."""
        if self.listener is not None:
            host, port = self.listener.getsockname()
            connection = http.client.HTTPConnection(host, port, timeout=10)
        else:
            connection = UnixSocketConnection(self.socket_path)
        try:
            connection.request(method, path, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.read().decode()
        finally:
            connection.close()


@cache
def gunicorn_address() -> tuple[str, int]:
    """Host and port of the run's shared server; the first call starts it, and the run stops it at exit."""
    listener = socket.create_server(("127.0.0.1", 0))
    # Like the contract's in-process app, the server gets a maintenance token no generated request can know.
    server = GunicornServer(listener, GUNICORN_WORKERS="1", MAINTENANCE_TOKEN=secrets.token_urlsafe(32))
    server.start()
    atexit.register(server.stop)
    return listener.getsockname()


def gunicorn_url() -> str:
    host, port = gunicorn_address()
    return f"http://{host}:{port}"
