"""Every answer tells browsers not to sniff, frame or cache what it should not; no answer names the software."""

from tests.resources.app_test_base import AppTestBase

SOFTWARE_NAMES = ("Werkzeug", "Python/", "Flask", "gunicorn", "PostgreSQL", "psycopg", "SQLAlchemy")


class SecurityHeadersTest(AppTestBase):
    def setUp(self) -> None:
        self.setup_database()

    def test_json_answers_carry_the_hardening_headers(self):
        for response in (self.client.get("/v1/todo"), self.client.get("/v1/todo/1"), self.client.get("/openapi.json")):
            with self.subTest(path=response.request.path, status=response.status_code):
                self.assertEqual(response.headers["X-Content-Type-Options"], "nosniff")
                self.assertEqual(response.headers["X-Frame-Options"], "DENY")
                self.assertEqual(response.headers["Referrer-Policy"], "no-referrer")
                self.assertEqual(
                    response.headers["Content-Security-Policy"], "default-src 'none'; frame-ancestors 'none'"
                )

    def test_errors_are_never_cached(self):
        self.assertEqual(self.client.get("/v1/todo/1").headers["Cache-Control"], "no-store")
        self.assertNotIn("no-store", self.client.get("/v1/todo").headers.get("Cache-Control", ""))

    def test_the_docs_page_may_run_its_own_scripts_only(self):
        policy = self.client.get("/docs").headers["Content-Security-Policy"]

        self.assertIn("script-src 'self' 'unsafe-inline'", policy)
        self.assertIn("frame-ancestors 'none'", policy)
        self.assertNotIn("http", policy)

    def test_error_bodies_name_no_software_or_version(self):
        responses = [
            self.client.get("/no/such/route"),
            self.client.put("/v1/todo", json={}),
            self.client.post("/v1/todo", data="{", content_type="application/json"),
            self.client.post("/v1/todo", json={"title": 5}),
            self.client.patch("/v1/todo/1", json={}),
        ]
        for response in responses:
            body = response.get_data(as_text=True)
            for name in SOFTWARE_NAMES:
                self.assertNotIn(name, body)

    def test_405_lists_the_allowed_methods(self):
        response = self.client.put("/v1/todo", json={})

        self.assertStatus(response, 405)
        self.assertEqual(set(response.headers["Allow"].replace(" ", "").split(",")), {"GET", "HEAD", "OPTIONS", "POST"})
