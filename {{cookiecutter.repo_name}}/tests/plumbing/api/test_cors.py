"""CORS answers only the configured origins."""

from tests.resources.app_test_base import AppTestBase


class CorsTest(AppTestBase):
    environment = {"CORS_ORIGINS": "https://app.example.com"}

    def test_a_configured_origin_is_allowed(self):
        response = self.client.get("/v1/todo", headers={"Origin": "https://app.example.com"})

        self.assertEqual(response.headers.get("Access-Control-Allow-Origin"), "https://app.example.com")

    def test_another_origin_gets_no_cors_headers(self):
        response = self.client.get("/v1/todo", headers={"Origin": "https://evil.example.net"})

        self.assertNotIn("Access-Control-Allow-Origin", response.headers)


class NoCorsTest(AppTestBase):
    def test_without_configured_origins_no_origin_is_allowed(self):
        response = self.client.get("/v1/todo", headers={"Origin": "https://app.example.com"})

        self.assertNotIn("Access-Control-Allow-Origin", response.headers)
