"""Under gunicorn with two workers, `/metrics` counts every request, whichever worker answers the scrape."""

import unittest

from tests.api.metrics_reading import sample_value
from tests.resources.gunicorn_server import GunicornServer

REQUESTS = 1000
SCRAPES = 6


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

    def test_every_scrape_reports_the_requests_of_both_workers(self):
        # The probe that found the server ready was counted too; the second worker may still be booting.
        before = sample_value(self.scrape(), "http_requests_total", method="GET", route="/health/live", status="200")
        for _ in range(REQUESTS):
            self.assertEqual(self.server.get("/health/live")[0], 200)

        writers = {path.stem.rsplit("_", 1)[-1] for path in self.metrics_dir.glob("counter_*.db")}
        self.assertEqual(len(writers), 2, "both workers should have answered requests")
        for _ in range(SCRAPES):
            metrics = self.scrape()
            served = sample_value(metrics, "http_requests_total", method="GET", route="/health/live", status="200")
            self.assertEqual(served - before, REQUESTS)
            self.assertEqual(sample_value(metrics, "http_requests_in_flight"), 0)
            self.assertEqual(sample_value(metrics, "db_pool_size"), 10, "two workers, a pool of 5 each")
