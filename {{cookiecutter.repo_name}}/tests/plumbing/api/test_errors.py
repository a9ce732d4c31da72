"""Every error is JSON in one shape, and nothing bad input does changes the data."""

import io
import logging

from tests.resources.app_test_base import AppTestBase


class ErrorShapeTest(AppTestBase):
    def setUp(self) -> None:
        self.setup_database()

    def todo_count(self) -> int:
        return len(self.client.get("/v1/todo?itemized=true").json)

    def test_unknown_route_is_404(self):
        self.assertError(self.client.get("/no/such/route"), 404)

    def test_wrong_method_is_405(self):
        self.assertError(self.client.put("/v1/todo", json={}), 405)

    def test_missing_todo_is_404_with_a_message(self):
        body = self.assertError(self.client.get("/v1/todo/999999"), 404)
        self.assertEqual(body["message"], "Todo not found.")
        any_version = {"If-Match": "*"}
        self.assertError(self.client.patch("/v1/todo/999999", json={"completed": True}, headers=any_version), 404)
        self.assertError(self.client.delete("/v1/todo/999999", headers=any_version), 404)

    def test_an_id_beyond_the_column_range_is_404_not_500(self):
        self.assertError(self.client.get("/v1/todo/99999999999999999999"), 404)

    def test_validation_errors_are_422_per_field_and_write_nothing(self):
        cases = [
            {},
            {"title": ""},
            {"title": "x" * 201},
            {"title": 5},
            {"title": "ok", "completed": "yes"},
            {"title": "ok", "completed": 1},
            {"title": "ok", "unknown": True},
            {"title": "   "},
        ]
        for payload in cases:
            with self.subTest(payload=payload):
                self.assertError(self.client.post("/v1/todo", json=payload), 422)
        body = self.assertError(self.client.post("/v1/todo", json={"title": 5, "completed": "no"}), 422)
        self.assertEqual(set(body["errors"]["json"]), {"title", "completed"})
        self.assertEqual(self.todo_count(), 0)

    def test_invalid_patch_leaves_the_todo_unchanged(self):
        created = self.client.post("/v1/todo", json={"title": "stable"})
        todo, current = created.json, {"If-Match": created.headers["ETag"]}

        self.assertError(self.client.patch(f"/v1/todo/{todo['id']}", json={"completed": "true"}, headers=current), 422)
        self.assertError(self.client.patch(f"/v1/todo/{todo['id']}", json={"id": 7}, headers=current), 422)

        self.assertEqual(self.client.get(f"/v1/todo/{todo['id']}").json, todo)

    def test_bad_query_parameters_are_422(self):
        for query in ("page=0", "page=abc", "per_page=0", "per_page=101", "itemized=maybe"):
            with self.subTest(query=query):
                self.assertError(self.client.get(f"/v1/todo?{query}"), 422)

    def test_a_body_that_is_not_json_is_415(self):
        response = self.client.post("/v1/todo", data="title=x", content_type="application/x-www-form-urlencoded")
        self.assertError(response, 415)
        self.assertError(self.client.post("/v1/todo"), 415)

    def test_malformed_json_is_400(self):
        self.assertError(self.client.post("/v1/todo", data="{", content_type="application/json"), 400)

    def test_a_body_over_max_content_length_is_413(self):
        oversized = '{"title": "' + "x" * (self.app.config["MAX_CONTENT_LENGTH"] + 1) + '"}'
        self.assertError(self.client.post("/v1/todo", data=oversized, content_type="application/json"), 413)
        self.assertEqual(self.todo_count(), 0)

    def test_a_chunked_body_over_max_content_length_is_413_and_one_within_it_is_read_whole(self):
        limit = self.app.config["MAX_CONTENT_LENGTH"]
        for size, status in [(limit + 1, 413), (limit + 100_000, 413), (limit, 422)]:
            with self.subTest(size=size):
                self.assertError(self.post_chunked(size), status)
        self.assertStatus(self.post_chunked(100), 201)
        self.assertEqual(self.todo_count(), 1)

    def post_chunked(self, size: int):
        """A POST of a JSON body of `size` bytes without `Content-Length`, as gunicorn hands on a chunked one."""
        body = '{"title": "' + "x" * (size - len('{"title": ""}')) + '"}'
        return self.client.post(
            "/v1/todo",
            input_stream=io.BytesIO(body.encode()),
            headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
            environ_overrides={"wsgi.input_terminated": True},
        )

    def test_client_errors_are_not_logged_as_errors(self):
        with self.assertNoLogs(level=logging.ERROR):
            self.client.get("/no/such/route")
            self.client.get("/v1/todo/999999")
            self.client.post("/v1/todo", json={"title": ""})

    def test_an_unexpected_error_is_a_logged_500_without_details(self):
        class BrokenService:
            def get(self, todo_id):
                raise RuntimeError("secret internal detail")

        self.app.config["PROPAGATE_EXCEPTIONS"] = False
        try:
            with (
                self.app.container.todo_service.override(BrokenService()),
                self.assertLogs(level=logging.ERROR) as logs,
            ):
                response = self.client.get("/v1/todo/1")
        finally:
            self.app.config["PROPAGATE_EXCEPTIONS"] = None

        body = self.assertError(response, 500)
        self.assertNotIn("secret internal detail", response.get_data(as_text=True))
        self.assertNotIn("Traceback", response.get_data(as_text=True))
        self.assertIn("secret internal detail", "\n".join(logs.output))
        self.assertTrue(body["message"])
