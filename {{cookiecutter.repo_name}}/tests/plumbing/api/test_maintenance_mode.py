"""Maintenance mode over HTTP: the 503 gate, its exemptions, and the protected switch."""

{% if cookiecutter.auth == "jwt" -%}
from flask.testing import FlaskClient

{% endif -%}
from tests.resources.app_test_base import AppTestBase

TOKEN = "test-maintenance-token"
AUTHORIZED = {"Authorization": f"Bearer {TOKEN}"}


class MaintenanceModeTest(AppTestBase):
    environment = {"MAINTENANCE_TOKEN": TOKEN}

    def setUp(self) -> None:
        self.setup_database()
        self.switch(False)

    def switch(self, maintenance: bool, **fields):
        response = self.client.patch(
            "/v1/service-context", json={"maintenance": maintenance, **fields}, headers=AUTHORIZED
        )
        self.assert200(response)
        return response.json

    def test_a_fresh_database_is_not_in_maintenance(self):
        self.assertFalse(self.client.get("/v1/service-context").json["maintenance"])
        self.assert200(self.client.get("/v1/todo"))

    def test_while_on_every_request_gets_a_json_503_with_retry_after(self):
        self.switch(True)

        for method, path in [("get", "/v1/todo"), ("post", "/v1/todo"), ("get", "/v1/todo/1"), ("get", "/nowhere")]:
            with self.subTest(method=method, path=path):
                response = getattr(self.client, method)(path, json={"title": "x"})
                self.assertStatus(response, 503)
                self.assertEqual(response.json["code"], 503)
                self.assertEqual(response.headers["Retry-After"], "60")

    def test_the_operator_message_is_shown_to_clients(self):
        self.switch(True, message="Back at 14:00 UTC")

        self.assertEqual(self.client.get("/v1/todo").json["message"], "Back at 14:00 UTC")

    def test_the_switch_the_docs_and_cors_preflight_stay_reachable(self):
        self.switch(True)

        self.assert200(self.client.get("/v1/service-context"))
        self.assert200(self.client.get("/openapi.json"))
        self.assert200(self.client.get("/docs"))
        self.assertNotEqual(self.client.options("/v1/todo").status_code, 503)

    def test_switching_off_over_http_serves_requests_again_at_once(self):
        self.switch(True)
        self.assertStatus(self.client.get("/v1/todo"), 503)

        state = self.switch(False)

        self.assertEqual((state["maintenance"], state["message"]), (False, None))
        self.assert200(self.client.get("/v1/todo"))

    def test_patch_without_or_with_a_wrong_token_is_401_and_changes_nothing(self):
{%- if cookiecutter.auth == "jwt" %}
        anonymous = FlaskClient(self.app)
{%- endif %}
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
            with self.subTest(headers=headers):
{%- if cookiecutter.auth == "jwt" %}
                response = anonymous.patch("/v1/service-context", json={"maintenance": True}, headers=headers)
{%- else %}
                response = self.client.patch("/v1/service-context", json={"maintenance": True}, headers=headers)
{%- endif %}
                self.assert401(response)
                self.assertTrue(response.headers["WWW-Authenticate"].startswith("Bearer"))
        self.assertFalse(self.client.get("/v1/service-context").json["maintenance"])

    def test_invalid_bodies_are_422_and_change_nothing(self):
        for body in ({"maintenance": "true"}, {"maintenance": 1}, {}, {"maintenance": True, "extra": 1}):
            with self.subTest(body=body):
                response = self.client.patch("/v1/service-context", json=body, headers=AUTHORIZED)
                self.assertStatus(response, 422)
        self.assertFalse(self.client.get("/v1/service-context").json["maintenance"])


class MaintenanceWithoutTokenTest(AppTestBase):
{%- if cookiecutter.auth == "jwt" %}
    def test_without_a_maintenance_token_only_a_jwt_switches(self):
        self.setup_database()

        response = self.client.patch("/v1/service-context", json={"maintenance": True}, headers=AUTHORIZED)

        self.assert401(response)
        self.assertFalse(self.client.get("/v1/service-context").json["maintenance"])
{%- else %}
    def test_patch_is_refused_with_403_explaining_how_to_enable_it(self):
        self.setup_database()

        response = self.client.patch("/v1/service-context", json={"maintenance": True}, headers=AUTHORIZED)

        self.assert403(response)
        self.assertIn("MAINTENANCE_TOKEN", response.json["message"])
        self.assertFalse(self.client.get("/v1/service-context").json["maintenance"])
{%- endif %}


class MaintenanceUnderPrefixTest(AppTestBase):
    environment = {"MAINTENANCE_TOKEN": TOKEN, "SERVICE_PREFIX": "example"}

    def test_the_switch_and_the_gate_work_under_the_prefix(self):
        self.setup_database()

        self.assert200(self.client.patch("/example/v1/service-context", json={"maintenance": True}, headers=AUTHORIZED))
        self.assertStatus(self.client.get("/example/v1/todo"), 503)
        self.assert200(
            self.client.patch("/example/v1/service-context", json={"maintenance": False}, headers=AUTHORIZED)
        )
        self.assert200(self.client.get("/example/v1/todo"))
