"""`GET /metrics`: request counts by route template, latency, in-flight, pool, maintenance and build info."""

import json
import os
import tempfile
import unittest
from pathlib import Path
from unittest import mock

from flask import Flask
from werkzeug.test import Client

from src.config import SERVICE_VERSION
from src.plumbing.api.middleware.metrics_endpoint import MetricsEndpoint
from tests.plumbing.api.metrics_reading import sample_value
from tests.plumbing.api.test_maintenance_mode import AUTHORIZED, TOKEN
from tests.resources.app_test_base import AppTestBase

TODO_ROUTE = "/v1/todo/<int(max=2147483647):todo_id>"


class MetricsTest(AppTestBase):
    environment = {"MAINTENANCE_TOKEN": TOKEN, "MAINTENANCE_CACHE_SECONDS": "0"}

    def setUp(self) -> None:
        self.setup_database()
        self.switch_maintenance(False)

    def switch_maintenance(self, maintenance: bool) -> None:
        self.assert200(self.client.patch("/v1/service-context", json={"maintenance": maintenance}, headers=AUTHORIZED))

    def scrape(self) -> str:
        response = self.client.get("/metrics")
        self.assert200(response)
        self.assertTrue(response.content_type.startswith("text/plain"))
        return response.get_data(as_text=True)

    def test_requests_are_counted_by_method_route_template_and_status(self):
        before = self.scrape()
        for todo_id in (1, 2, 3):
            self.client.get(f"/v1/todo/{todo_id}")
        self.client.get("/no/such/route")
        after = self.scrape()

        def increase(name: str, **labels: str) -> float:
            return sample_value(after, name, **labels) - sample_value(before, name, **labels)

        self.assertEqual(increase("http_requests_total", method="GET", route=TODO_ROUTE, status="404"), 3)
        self.assertEqual(increase("http_requests_total", method="GET", route="unmatched", status="404"), 1)
        self.assertEqual(increase("http_request_duration_seconds_count", route=TODO_ROUTE), 3)
        self.assertNotIn('route="/v1/todo/1"', after)
        self.assertNotIn("/metrics", {line.split('route="')[-1].split('"')[0] for line in after.splitlines()})

    def test_in_flight_pool_and_build_info_are_reported(self):
        self.client.get("/v1/todo")
        metrics = self.scrape()

        self.assertEqual(sample_value(metrics, "http_requests_in_flight"), 0)
        self.assertEqual(sample_value(metrics, "db_pool_size"), 5)
        self.assertEqual(sample_value(metrics, "db_pool_checked_out"), 0)
        self.assertEqual(sample_value(metrics, "db_pool_overflow"), 0)
        self.assertEqual(sample_value(metrics, "build_info", version=SERVICE_VERSION), 1)

    def test_it_answers_during_maintenance_and_reports_the_flag(self):
        self.assertEqual(sample_value(self.scrape(), "maintenance_mode"), 0)
        self.switch_maintenance(True)
        self.addCleanup(self.switch_maintenance, False)

        self.assertError(self.client.get("/v1/todo"), 503)
        self.assertEqual(sample_value(self.scrape(), "maintenance_mode"), 1)

    def test_head_answers_the_headers_of_a_scrape_without_its_body(self):
        response = self.client.head("/metrics")

        self.assert200(response)
        self.assertEqual(response.content_type, self.client.get("/metrics").content_type)
        self.assertEqual(response.get_data(), b"")

    def test_other_methods_get_a_json_405(self):
        response = self.client.post("/metrics", json={})

        self.assertError(response, 405)
        self.assertEqual(response.headers["Allow"], "GET, HEAD")


class PrefixedMetricsTest(AppTestBase):
    environment = {"SERVICE_PREFIX": "example"}

    def test_metrics_stay_at_the_root_outside_the_prefix(self):
        self.assert200(self.client.get("/metrics"))
        self.assertError(self.client.get("/example/metrics"), 404)


class UnreadableMetricsTest(unittest.TestCase):
    def test_a_worker_file_that_cannot_be_read_makes_the_scrape_a_json_503(self):
        with (
            tempfile.TemporaryDirectory() as directory,
            mock.patch.dict(os.environ, PROMETHEUS_MULTIPROC_DIR=directory),
        ):
            # What a worker killed between creating its file and sizing it leaves behind.
            Path(directory, "counter_4242.db").touch()
            client = Client(MetricsEndpoint(Flask(__name__).wsgi_app, lambda: None))

            with self.assertLogs("src.plumbing.api.middleware.metrics_endpoint", "ERROR"):
                response = client.get("/metrics")

        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.headers["Retry-After"], "1")
        self.assertEqual(json.loads(response.get_data())["code"], 503)
