"""Under gunicorn with two workers, `/metrics` counts every request, whichever worker answers the scrape."""

import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

from tests.api.metrics_reading import sample_value
from tests.resources.database import run_database_url

PROJECT_ROOT = Path(__file__).resolve().parents[2]
REQUESTS = 1000
SCRAPES = 6
STARTUP_SECONDS = 30


class UnixSocketConnection(http.client.HTTPConnection):
    """HTTP over gunicorn's Unix socket: the test needs no free TCP port."""

    def __init__(self, path: str) -> None:
        super().__init__("localhost", timeout=10)
        self.socket_path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.socket_path)


def get(socket_path: str, path: str) -> tuple[int, str]:
    """One request on a new connection, so that the workers take turns accepting them."""
    connection = UnixSocketConnection(socket_path)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


class GunicornMetricsTest(unittest.TestCase):
    def setUp(self) -> None:
        workdir = Path(tempfile.mkdtemp(prefix="gunicorn-metrics-"))
        self.metrics_dir = workdir / "metrics"
        self.socket_path = str(workdir / "gunicorn.sock")
        environment = {
            **os.environ,
            "APP_ENV": "testing",
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": run_database_url(),
            "LOG_LEVEL": "WARNING",
            # Set, even empty, it wins over `.env`, which gunicorn.conf.py loads.
            "SERVICE_PREFIX": "",
            "GUNICORN_BIND": f"unix:{self.socket_path}",
            "GUNICORN_WORKERS": "2",
            "PROMETHEUS_MULTIPROC_DIR": str(self.metrics_dir),
        }
        self.server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "wsgi:app"],
            cwd=PROJECT_ROOT,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.addCleanup(self.stop_server)
        self.wait_until_serving()

    def stop_server(self) -> None:
        self.server.terminate()
        try:
            self.server.communicate(timeout=STARTUP_SECONDS)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.communicate()

    def wait_until_serving(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                self.fail(f"gunicorn exited with {self.server.returncode}: {self.server.stderr.read()}")
            try:
                if get(self.socket_path, "/metrics")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.fail(f"gunicorn did not answer within {STARTUP_SECONDS}s")

    def test_every_scrape_reports_the_requests_of_both_workers(self):
        for _ in range(REQUESTS):
            self.assertEqual(get(self.socket_path, "/health/live")[0], 200)

        writers = {path.stem.rsplit("_", 1)[-1] for path in self.metrics_dir.glob("counter_*.db")}
        self.assertEqual(len(writers), 2, "both workers should have answered requests")
        for _ in range(SCRAPES):
            status, metrics = get(self.socket_path, "/metrics")
            self.assertEqual(status, 200)
            served = sample_value(metrics, "http_requests_total", method="GET", route="/health/live", status="200")
            self.assertEqual(served, REQUESTS)
            self.assertEqual(sample_value(metrics, "http_requests_in_flight"), 0)
            self.assertEqual(sample_value(metrics, "db_pool_size"), 10, "two workers, a pool of 5 each")
