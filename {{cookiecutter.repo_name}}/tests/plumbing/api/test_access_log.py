"""One access line per request when LOG_LEVEL allows INFO, none above it."""

import logging

from tests.resources.app_test_base import AppTestBase


class AccessLogTest(AppTestBase):
    environment = {"LOG_LEVEL": "INFO"}

    def setUp(self) -> None:
        self.setup_database()
        # Building this app set the root logger to INFO; the other tests run at WARNING.
        self.addCleanup(logging.getLogger().setLevel, logging.WARNING)

    def test_each_request_logs_method_path_status_and_duration(self):
        with self.assertLogs("src.access", "INFO") as logged:
            self.client.get("/v1/todo?per_page=5")
            self.client.get("/v1/todo/2147483647")

        self.assertEqual(len(logged.records), 2)
        self.assertRegex(logged.records[0].getMessage(), r"^127\.0\.0\.1 GET /v1/todo\?per_page=5 200 \d+\.\dms$")
        self.assertRegex(logged.records[1].getMessage(), r"^127\.0\.0\.1 GET /v1/todo/2147483647 404 \d+\.\dms$")


class QuietAccessLogTest(AppTestBase):
    environment = {"LOG_LEVEL": "WARNING"}

    def test_above_info_requests_write_no_access_line(self):
        with self.assertNoLogs("src.access", "INFO"):
            self.client.get("/v1/todo")
