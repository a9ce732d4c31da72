"""Sentry: an unexpected error reaches the DSN with its request ID{% if cookiecutter.auth == "jwt" %} and caller's subject{% endif %}, and no secret with it."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import sentry_sdk
from flask import request
from sqlalchemy import text

from src.plumbing.infrastructure import sqlalchemy_db
from tests.resources.app_test_base import AppTestBase
from tests.resources.envelope_server import EnvelopeServer
{%- if cookiecutter.auth == "jwt" %}
from tests.resources.tokens import TEST_JWT_SECRET
{%- endif %}

PROJECT_ROOT = Path(__file__).resolve().parents[3]
MAINTENANCE_TOKEN = "maintenance-token-that-stays-here"
COOKIE = "session-cookie-that-stays-here"
{%- if cookiecutter.auth == "none" %}
# Shaped like a JWT: clients may send one even to a service that does not check them.
TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXRoYXQtc3RheXMtaGVyZQ"
{%- endif %}


class ErrorTrackingTest(AppTestBase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.endpoint = EnvelopeServer().start()
        cls.environment = {"SENTRY_DSN": cls.endpoint.dsn, "MAINTENANCE_TOKEN": MAINTENANCE_TOKEN}

    @classmethod
    def tearDownClass(cls) -> None:
        sentry_sdk.get_client().close()
        sentry_sdk.get_global_scope().set_client(None)
        cls.endpoint.stop()

    def setUp(self) -> None:
        with self.endpoint.lock:
            self.endpoint.envelopes.clear()

    def failing_request(self, headers: dict[str, str]):
        """A GET whose use case runs a query, then fails with the request's credentials in its message and locals."""

        class BrokenService:
            def get(self, todo_id):
                sqlalchemy_db.session.execute(text("SELECT 'before the failure'"))
                authorization = request.headers.get("Authorization", "")
                raise RuntimeError(f"failed holding {authorization} and {MAINTENANCE_TOKEN}")

        self.app.config["PROPAGATE_EXCEPTIONS"] = False
        try:
            with self.app.container.todo_service.override(BrokenService()), self.assertLogs(level=logging.ERROR):
                response = self.client.get("/v1/todo/1", headers=headers)
        finally:
            self.app.config["PROPAGATE_EXCEPTIONS"] = None
        sentry_sdk.flush(timeout=10)
        return response

    def test_an_unexpected_error_is_reported_with_its_request_id{% if cookiecutter.auth == "jwt" %}_and_subject{% endif %}(self):
{%- if cookiecutter.auth == "jwt" %}
        # The test client sends a token for the subject alice.
        response = self.failing_request({"X-Request-ID": "tracked-1", "Cookie": f"session={COOKIE}"})
{%- else %}
        headers = {"X-Request-ID": "tracked-1", "Cookie": f"session={COOKIE}", "Authorization": f"Bearer {TOKEN}"}
        response = self.failing_request(headers)
{%- endif %}

        self.assertError(response, 500)
        [event] = self.endpoint.events()
        self.assertEqual(event["tags"]["request_id"], "tracked-1")
{%- if cookiecutter.auth == "jwt" %}
        self.assertEqual(event["user"], {"id": "alice"})
{%- endif %}
        self.assertEqual(event["exception"]["values"][-1]["type"], "RuntimeError")
        self.assertIn("failed holding", event["exception"]["values"][-1]["value"])
        queries = [crumb["message"] for crumb in event["breadcrumbs"]["values"] if crumb["category"] == "query"]
        self.assertIn("SELECT 'before the failure'", queries)

    def test_no_secret_reaches_the_dsn(self):
{%- if cookiecutter.auth == "jwt" %}
        token = self.client.environ_base["HTTP_AUTHORIZATION"].removeprefix("Bearer ")
        self.failing_request({"Cookie": f"session={COOKIE}"})
        secrets = [token, COOKIE, MAINTENANCE_TOKEN, TEST_JWT_SECRET, self.app.config["SECRET_KEY"]]
{%- else %}
        self.failing_request({"Cookie": f"session={COOKIE}", "Authorization": f"Bearer {TOKEN}"})
        secrets = [TOKEN, COOKIE, MAINTENANCE_TOKEN, self.app.config["SECRET_KEY"]]
{%- endif %}

        self.assertEqual(len(self.endpoint.events()), 1)
        sent = b"".join(self.endpoint.envelopes)
        for secret in secrets:
            self.assertNotIn(secret.encode(), sent)

    def test_client_errors_are_not_reported(self):
        self.client.get("/v1/todo/999999")
        self.client.post("/v1/todo", json={"title": ""})
        sentry_sdk.flush(timeout=10)

        self.assertEqual(self.endpoint.events(), [])


class UntrackedTest(AppTestBase):
    def test_without_a_dsn_nothing_of_sentry_is_imported(self):
        script = (
            "import sys\n"
            "from src.create_app import create_app\n"
            "create_app(environ=dict(APP_ENV='testing', SECRET_KEY='x', SQLALCHEMY_DATABASE_URI='sqlite://'))\n"
            "print(sorted(name for name in sys.modules if name.startswith('sentry_sdk')))\n"
        )
        environment = {key: value for key, value in os.environ.items() if not key.startswith("SENTRY_")}
        completed = subprocess.run(
            [sys.executable, "-c", script], cwd=PROJECT_ROOT, env=environment, capture_output=True, text=True
        )

        self.assertEqual(completed.returncode, 0, completed.stderr)
        self.assertEqual(completed.stdout.strip(), "[]")
