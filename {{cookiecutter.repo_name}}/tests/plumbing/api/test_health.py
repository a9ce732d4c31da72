"""`/health/live` and `/health/ready`: cheap, outside `/v1`, documented, and honest about the database."""

import logging
import unittest

from src.create_app import create_app
from tests.plumbing.services.fake_probe import FakeProbe
from tests.resources.app_test_base import AppTestBase

# Nothing listens on port 1, so connecting fails at once instead of waiting for a timeout.
UNREACHABLE_DATABASE = {
    "APP_ENV": "testing",
    "LOG_LEVEL": "WARNING",
    "SQLALCHEMY_DATABASE_URI": "postgresql://postgres@127.0.0.1:1/unreachable",
    "DATABASE_CONNECT_TIMEOUT": "1",
}


class HealthTest(AppTestBase):
    def test_live_answers_ok(self):
        response = self.client.get("/health/live")

        self.assert200(response)
        self.assertEqual(response.json, {"status": "ok"})

    def test_ready_answers_ok_when_the_database_answers(self):
        response = self.client.get("/health/ready")

        self.assert200(response)
        self.assertEqual(response.json, {"status": "ok"})

    def test_ready_is_503_in_the_error_shape_when_the_database_does_not_answer(self):
        with self.app.container.database_probe.override(FakeProbe("database", reachable=False)):
            response = self.client.get("/health/ready")

        body = self.assertError(response, 503)
        self.assertIn("database", body["message"])

    def test_live_does_not_depend_on_the_database(self):
        with self.app.container.database_probe.override(FakeProbe("database", reachable=False)):
            self.assert200(self.client.get("/health/live"))

    def test_the_probes_are_outside_v1_and_documented(self):
        paths = self.client.get("/openapi.json").json["paths"]

        self.assertEqual(set(paths["/health/live"]), {"get"})
        self.assertEqual(set(paths["/health/ready"]), {"get"})
        self.assertIn("503", paths["/health/ready"]["get"]["responses"])
        self.assert404(self.client.get("/v1/health/live"))


class HealthDuringMaintenanceTest(AppTestBase):
    environment = {"MAINTENANCE_TOKEN": "test-maintenance-token"}

    def switch_maintenance(self, on: bool) -> None:
        headers = {"Authorization": "Bearer test-maintenance-token"}
        self.assert200(self.client.patch("/v1/service-context", json={"maintenance": on}, headers=headers))

    def test_the_probes_answer_while_the_api_is_in_maintenance(self):
        self.setup_database()
        self.switch_maintenance(True)
        self.addCleanup(self.switch_maintenance, False)

        self.assertStatus(self.client.get("/v1/todo"), 503)
        self.assert200(self.client.get("/health/live"))
        self.assert200(self.client.get("/health/ready"))


class PrefixedHealthTest(AppTestBase):
    environment = {"SERVICE_PREFIX": "example"}

    def test_the_probes_are_served_under_the_service_prefix(self):
        self.assert200(self.client.get("/example/health/live"))
        self.assert200(self.client.get("/example/health/ready"))
        self.assert404(self.client.get("/health/live"))


class UnreachableDatabaseTest(unittest.TestCase):
    """No fake here: the real probe against a database that refuses connections."""

    def test_ready_is_503_and_live_is_200(self):
        app = create_app(environ=UNREACHABLE_DATABASE)
        client = app.test_client()

        with self.assertLogs("src.plumbing.infrastructure.databases.database_probe", level=logging.WARNING):
            ready = client.get("/health/ready")

        self.assertEqual(ready.status_code, 503)
        self.assertEqual(ready.json["code"], 503)
        self.assertEqual(client.get("/health/live").status_code, 200)
