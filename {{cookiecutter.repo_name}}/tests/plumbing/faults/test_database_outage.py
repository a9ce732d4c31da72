"""The database goes away: requests answer 503 JSON quickly, and the service recovers by itself when it returns."""

import contextlib
import json
import os
import socket
import threading
import time
import unittest

from flask import Flask
from flask_migrate import upgrade

from tests.plumbing.api.log_capture import captured_log_lines
from tests.plumbing.faults.postgres_cluster import ClusterUnavailable, PostgresCluster
from tests.resources.app_test_base import TEST_ENVIRONMENT, new_app, wire

CONNECT_TIMEOUT_SECONDS = 2  # libpq's minimum
RESPONSE_BOUND_SECONDS = CONNECT_TIMEOUT_SECONDS + 1.5
DRIVER_DETAILS = ("psycopg", "OperationalError", "connection to server", "127.0.0.1", "Traceback", "SELECT", "INSERT")


def service_for(database_url: str, **settings: str) -> Flask:
    environment = {
        **TEST_ENVIRONMENT,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "DATABASE_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT_SECONDS),
        **settings,
    }
    app = new_app(environment)
    wire(app)
    return app


class OutageAssertions(unittest.TestCase):
    def assertUnavailable(self, client, method: str, path: str, **kwargs) -> None:
        started = time.monotonic()
        response = client.open(path, method=method, **kwargs)
        elapsed = time.monotonic() - started

        self.assertEqual(response.status_code, 503, response.get_data(as_text=True))
        self.assertEqual(response.mimetype, "application/json")
        self.assertEqual(response.json["code"], 503)
        self.assertIn("Retry-After", response.headers)
        self.assertLess(elapsed, RESPONSE_BOUND_SECONDS)
        body = response.get_data(as_text=True)
        for detail in DRIVER_DETAILS:
            self.assertNotIn(detail, body)


class StoppedDatabaseTest(OutageAssertions):
    """Against a real PostgreSQL server that the test shuts down and starts again."""

    @classmethod
    def setUpClass(cls) -> None:
        try:
            cls.cluster = PostgresCluster()
        except ClusterUnavailable as error:
            if os.environ.get("CI", "").lower() == "true":
                raise
            raise unittest.SkipTest(f"{error} The fault tests need a throwaway PostgreSQL server.") from error
        cls.addClassCleanup(cls.cluster.remove)
        cls.cluster.start()
        cls.app = service_for(cls.cluster.url)
        with cls.app.app_context():
            upgrade()

    def setUp(self) -> None:
        wire(self.app)
        self.client = self.app.test_client()

    def test_an_outage_answers_503_and_the_service_recovers_without_a_restart(self):
        created = self.client.post("/v1/todo", json={"title": "kept through the outage"})
        self.assertEqual(created.status_code, 201)
        todo_url = f"/v1/todo/{created.json['id']}"

        self.cluster.stop()
        try:
            for method, path, kwargs in [
                ("GET", "/v1/todo", {}),
                ("GET", todo_url, {}),
                ("POST", "/v1/todo", {"json": {"title": "lost"}}),
                ("PATCH", todo_url, {"json": {"completed": True}, "headers": {"If-Match": "*"}}),
                ("DELETE", todo_url, {"headers": {"If-Match": "*"}}),
            ]:
                with self.subTest(method=method, path=path):
                    self.assertUnavailable(self.client, method, path, **kwargs)
            self.assertEqual(self.client.get("/health/ready").status_code, 503)
        finally:
            self.cluster.start()

        self.assertEqual(self.client.get("/health/ready").status_code, 200)
        self.assertEqual(self.client.get(todo_url).json["title"], "kept through the outage")
        self.assertEqual([todo["title"] for todo in self.client.get("/v1/todo").json], ["kept through the outage"])


class SilentDatabaseTest(OutageAssertions):
    """Against a port that accepts connections and never answers: one connect timeout ends a request's wait."""

    def setUp(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.accepted: list[socket.socket] = []
        threading.Thread(target=self.accept_and_keep_silent, daemon=True).start()
        self.addCleanup(self.close)
        port = self.listener.getsockname()[1]
        # The gate reads its flag on every request, so each request meets the silent database twice.
        self.app = service_for(f"postgresql://postgres@127.0.0.1:{port}/postgres", MAINTENANCE_CACHE_SECONDS="0")

    def accept_and_keep_silent(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                self.accepted.append(self.listener.accept()[0])

    def close(self) -> None:
        self.listener.close()
        for connection in self.accepted:
            connection.close()

    def test_a_request_waits_for_one_connection_attempt_and_its_cause_is_logged_once(self):
        client = self.app.test_client()
        with captured_log_lines("json") as logged:
            self.assertUnavailable(client, "GET", "/v1/todo")
            self.assertEqual(len(self.accepted), 1, "the gate and the operation shared one connection attempt")
            self.assertUnavailable(client, "POST", "/v1/todo", json={"title": "lost"})
            self.assertEqual(len(self.accepted), 2)

        warnings = [line for line in map(json.loads, logged.getvalue().splitlines()) if line["level"] == "WARNING"]
        [warning] = warnings
        self.assertIn("answer 503", warning["message"])
        self.assertIn("timeout expired", warning["message"])
        self.assertNotIn("exc_info", warning)
