"""`GunicornServer`: the project served by real gunicorn, with gunicorn.conf.py, on a Unix socket."""

import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.resources.database import run_database_url

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 30


class UnixSocketConnection(http.client.HTTPConnection):
    """HTTP over gunicorn's Unix socket: the tests need no free TCP port."""

    def __init__(self, path: str) -> None:
        super().__init__("localhost", timeout=10)
        self.socket_path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.socket_path)


class GunicornServer:
    """Started by `start`, stopped by `stop`; its stderr, gunicorn's and the service's logs, lands in `log_path`."""

    def __init__(self, **settings: str) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix="gunicorn-test-"))
        self.socket_path = str(self.workdir / "gunicorn.sock")
        self.log_path = self.workdir / "stderr.log"
        self.environment = {
            **os.environ,
            "APP_ENV": "testing",
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": run_database_url(),
            "LOG_LEVEL": "WARNING",
            # Set, even empty, it wins over `.env`, which gunicorn.conf.py loads.
            "SERVICE_PREFIX": "",
            "GUNICORN_BIND": f"unix:{self.socket_path}",
            **settings,
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "wsgi:app"],
                cwd=PROJECT_ROOT,
                env=self.environment,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}: {self.log_path.read_text()}")
            try:
                self.get("/health/live")
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {STARTUP_SECONDS}s")

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
        """One request on a new connection, so that the workers take turns accepting them."""
        connection = UnixSocketConnection(self.socket_path)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.read().decode()
        finally:
            connection.close()
