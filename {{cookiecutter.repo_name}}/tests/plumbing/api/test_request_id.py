"""Each request has an ID: the caller's when it is well formed, a fresh one otherwise, on every answer."""

import logging
import re

from src.plumbing.domain.errors import NotFoundError
from src.plumbing.services.request_context import current_request_id
from tests.plumbing.api.log_capture import captured_log_lines
from tests.resources.app_test_base import AppTestBase

FRESH_ID = re.compile(r"[0-9a-f]{32}")
MALFORMED_IDS = ["x" * 129, "has space", "semi;colon", "<script>", 'quote"d', "ünïcode", ""]


class RequestIdTest(AppTestBase):
    environment = {"LOG_LEVEL": "INFO"}

    def setUp(self) -> None:
        self.setup_database()
        self.addCleanup(logging.getLogger().setLevel, logging.WARNING)

    def test_a_well_formed_incoming_id_is_kept(self):
        for request_id in ("abc-123", "a" * 128, "1-67891233-abcdef012345678912345678", "req.7:x_y"):
            with self.subTest(request_id=request_id):
                response = self.client.get("/v1/todo/2147483647", headers={"X-Request-ID": request_id})
                self.assertEqual(response.headers["X-Request-ID"], request_id)
                self.assertEqual(self.assertError(response, 404)["request_id"], request_id)

    def test_without_an_incoming_id_each_request_gets_a_fresh_one(self):
        first = self.client.get("/v1/todo").headers["X-Request-ID"]
        second = self.client.get("/v1/todo").headers["X-Request-ID"]

        self.assertRegex(first, FRESH_ID)
        self.assertRegex(second, FRESH_ID)
        self.assertNotEqual(first, second)

    def test_a_malformed_incoming_id_is_replaced_and_never_echoed_or_logged(self):
        for malformed in MALFORMED_IDS:
            with self.subTest(malformed=malformed), captured_log_lines("json") as logged:
                response = self.client.get("/v1/todo/2147483647", headers={"X-Request-ID": malformed})
                self.assertRegex(response.headers["X-Request-ID"], FRESH_ID)
                self.assertEqual(self.assertError(response, 404)["request_id"], response.headers["X-Request-ID"])
                self.assertIn(response.headers["X-Request-ID"], logged.getvalue())
                if malformed:
                    self.assertNotIn(malformed, response.get_data(as_text=True))
                    self.assertNotIn(malformed, logged.getvalue())

    def test_the_service_layer_reads_the_id_without_flask(self):
        seen = []

        class RecordingService:
            def get(self, todo_id):
                seen.append(current_request_id.get())
                raise NotFoundError("Todo not found.")

        with self.app.container.todo_service.override(RecordingService()):
            self.client.get("/v1/todo/1", headers={"X-Request-ID": "from-the-caller"})

        self.assertEqual(seen, ["from-the-caller"])
        self.assertEqual(current_request_id.get(), "", "the ID must not outlive its request")

    def test_answers_outside_any_route_carry_it_too(self):
        response = self.client.get("/no/such/route", headers={"X-Request-ID": "lost-1"})

        self.assertEqual(self.assertError(response, 404)["request_id"], "lost-1")
