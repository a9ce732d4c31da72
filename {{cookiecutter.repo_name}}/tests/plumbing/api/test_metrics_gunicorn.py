"""Under gunicorn with two workers, `/metrics` counts every request, whichever worker answers the scrape."""

import time
import unittest
from concurrent.futures import ThreadPoolExecutor

from tests.plumbing.api.metrics_reading import sample_value
from tests.resources.gunicorn_server import GunicornServer

REQUESTS = 1000
SCRAPES = 6
# Clients at once: while one worker is busy, the other must accept, so both answer some of the requests.
CLIENTS = 4
BOOT_SECONDS = 30


class GunicornMetricsTest(unittest.TestCase):
    def setUp(self) -> None:
        self.server = GunicornServer(GUNICORN_WORKERS="2")
        self.metrics_dir = self.server.workdir / "metrics"
        self.server.environment["PROMETHEUS_MULTIPROC_DIR"] = str(self.metrics_dir)
        self.addCleanup(self.server.stop)
        self.server.start()

    def scrape(self) -> str:
        status, metrics = self.server.get("/metrics")
        self.assertEqual(status, 200)
        return metrics

    def writers(self) -> set[str]:
        """The pids of the workers that have counted a request: one multiprocess file each."""
        return {path.stem.rsplit("_", 1)[-1] for path in self.metrics_dir.glob("counter_*.db")}

    def send(self, count: int) -> None:
        with ThreadPoolExecutor(CLIENTS) as clients:
            statuses = list(clients.map(lambda _: self.server.get("/health/live")[0], range(count)))
        self.assertEqual(statuses, [200] * count)

    def wait_for_both_workers(self) -> None:
        """The server answers once one worker is up; the second may still be booting."""
        deadline = time.monotonic() + BOOT_SECONDS
        while len(self.writers()) < 2 and time.monotonic() < deadline:
            self.send(CLIENTS * 5)

    def test_every_scrape_reports_the_requests_of_both_workers(self):
        self.wait_for_both_workers()
        # The requests so far, the readiness probe's included, are counted too.
        before = sample_value(self.scrape(), "http_requests_total", method="GET", route="/health/live", status="200")
        self.send(REQUESTS)

        self.assertEqual(len(self.writers()), 2, "both workers should have answered requests")
        for _ in range(SCRAPES):
            metrics = self.scrape()
            served = sample_value(metrics, "http_requests_total", method="GET", route="/health/live", status="200")
            self.assertEqual(served - before, REQUESTS)
            self.assertEqual(sample_value(metrics, "http_requests_in_flight"), 0)
            self.assertEqual(sample_value(metrics, "db_pool_size"), 10, "two workers, a pool of 5 each")

    def test_head_is_answered_without_a_warning(self):
        self.assertEqual(self.server.request("HEAD", "/metrics"), (200, ""))
        self.server.stop()

        self.assertNotIn('"level": "WARNING"', self.server.log_path.read_text())
