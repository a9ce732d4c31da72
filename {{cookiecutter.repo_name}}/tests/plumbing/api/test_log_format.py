"""Log lines in JSON parse back to objects holding the request's ID; text lines show it too."""

import json
import logging
import re
import unittest
from datetime import UTC, datetime

from tests.plumbing.api.log_capture import captured_log_lines
from tests.resources.app_test_base import AppTestBase
from tests.resources.gunicorn_server import GunicornServer

# A text record begins with its timestamp; anything else at the start of a line would be forged.
RECORD_START = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]+ ")


def parsed(lines: str) -> list[dict]:
    return [json.loads(line) for line in lines.splitlines()]


class JsonLogTest(AppTestBase):
    environment = {"LOG_LEVEL": "INFO", "LOG_FORMAT": "json"}

    def setUp(self) -> None:
        self.setup_database()
        self.addCleanup(logging.getLogger().setLevel, logging.WARNING)

    def test_an_access_line_holds_the_request_fields(self):
        with captured_log_lines("json") as logged:
            self.client.get("/v1/todo/2147483647?x=1", headers={"X-Request-ID": "access-1"})

        [line] = [line for line in parsed(logged.getvalue()) if line["logger"] == "src.access"]
        self.assertEqual(line["level"], "INFO")
        self.assertEqual(line["request_id"], "access-1")
        self.assertEqual(line["method"], "GET")
        self.assertEqual(line["path"], "/v1/todo/2147483647?x=1")
        self.assertEqual(line["route"], "/v1/todo/<int(max=2147483647):todo_id>")
        self.assertEqual(line["status"], 404)
        self.assertIsInstance(line["duration_ms"], float)
        self.assertEqual(line["remote_addr"], "127.0.0.1")
        self.assertEqual(datetime.fromisoformat(line["timestamp"]).utcoffset(), UTC.utcoffset(None))
        self.assertIn("GET /v1/todo/2147483647?x=1 404", line["message"])

    def test_the_traceback_of_a_500_carries_the_request_id(self):
        class BrokenService:
            def get(self, todo_id):
                raise RuntimeError("secret internal detail")

        self.app.config["PROPAGATE_EXCEPTIONS"] = False
        self.addCleanup(self.app.config.__setitem__, "PROPAGATE_EXCEPTIONS", None)
        with self.app.container.todo_service.override(BrokenService()), captured_log_lines("json") as logged:
            response = self.client.get("/v1/todo/1", headers={"X-Request-ID": "broken-1"})

        self.assertEqual(self.assertError(response, 500)["request_id"], "broken-1")
        [error] = [line for line in parsed(logged.getvalue()) if line["level"] == "ERROR"]
        self.assertEqual(error["request_id"], "broken-1")
        self.assertIn("Traceback", error["exc_info"])
        self.assertIn("RuntimeError: secret internal detail", error["exc_info"])
        [access] = [line for line in parsed(logged.getvalue()) if line["logger"] == "src.access"]
        self.assertEqual((access["request_id"], access["status"]), ("broken-1", 500))

    def test_lines_outside_a_request_have_an_empty_request_id(self):
        with captured_log_lines("json") as logged:
            logging.getLogger("src.services.example").warning("starting up")

        [line] = parsed(logged.getvalue())
        self.assertEqual(
            (line["logger"], line["message"], line["request_id"]), ("src.services.example", "starting up", "")
        )

    def test_gunicorn_sqlalchemy_and_werkzeug_loggers_write_json_too(self):
        with captured_log_lines("json") as logged:
            for name in ("gunicorn.error", "sqlalchemy.engine", "werkzeug"):
                logging.getLogger(name).warning("from %s", name)

        self.assertEqual(
            [line["logger"] for line in parsed(logged.getvalue())], ["gunicorn.error", "sqlalchemy.engine", "werkzeug"]
        )


class TextLogTest(AppTestBase):
    environment = {"LOG_LEVEL": "INFO", "LOG_FORMAT": "text"}

    def setUp(self) -> None:
        self.setup_database()
        self.addCleanup(logging.getLogger().setLevel, logging.WARNING)

    def test_a_text_access_line_names_the_request_id(self):
        with captured_log_lines("text") as logged:
            self.client.get("/v1/todo", headers={"X-Request-ID": "text-1"})

        self.assertRegex(logged.getvalue(), r"INFO src\.access \[text-1\] 127\.0\.0\.1 GET /v1/todo 200 \d+\.\dms")

    def test_control_characters_from_a_client_cannot_start_a_line_of_their_own(self):
        forged = "%0A2026-01-01 00:00:00,000 INFO src.access [forged] 127.0.0.1 GET / 200 1.0ms"
        paths = [f"/v1/todo{forged}", "/v1/todo%0D%1B[2J%E2%80%A8%C2%85x%09"]
        with captured_log_lines("text") as logged:
            for path in paths:
                self.client.get(path, headers={"X-Request-ID": "forger"})

        lines = logged.getvalue().splitlines()
        self.assertEqual(len([line for line in lines if "[forger]" in line]), len(paths), lines)
        self.assertTrue(all(RECORD_START.match(line) for line in lines), lines)
        self.assertIn("/v1/todo\\n2026-01-01 00:00:00,000 INFO src.access [forged]", logged.getvalue())
        self.assertIn("/v1/todo\\r\\x1b[2J\\u2028\\x85x\\t", logged.getvalue())

    def test_a_traceback_is_indented_under_its_record_and_its_message_escaped(self):
        class BrokenService:
            def get(self, todo_id):
                raise RuntimeError("first line\n2026-01-01 00:00:00,000 INFO src.access [forged] \x1b[2J")

        self.app.config["PROPAGATE_EXCEPTIONS"] = False
        self.addCleanup(self.app.config.__setitem__, "PROPAGATE_EXCEPTIONS", None)
        with self.app.container.todo_service.override(BrokenService()), captured_log_lines("text") as logged:
            self.assertError(self.client.get("/v1/todo/1"), 500)

        lines = logged.getvalue().splitlines()
        starts = [line for line in lines if RECORD_START.match(line)]
        self.assertEqual([line.split()[2:4] for line in starts], [["ERROR", "src.create_app"], ["INFO", "src.access"]])
        self.assertTrue(all(line.startswith("    ") for line in lines if line not in starts), lines)
        self.assertIn("    RuntimeError: first line", lines)
        self.assertIn("    2026-01-01 00:00:00,000 INFO src.access [forged] \\x1b[2J", lines)


class GunicornJsonLogTest(unittest.TestCase):
    """gunicorn.conf.py hands gunicorn the service's logging: its own lines and the service's are JSON alike."""

    def test_gunicorn_and_the_service_write_json_lines(self):
        server = GunicornServer(GUNICORN_WORKERS="1", LOG_LEVEL="INFO", LOG_FORMAT="json")
        server.start()
        try:
            server.get("/health/live", headers={"X-Request-ID": "under-gunicorn"})
        finally:
            server.stop()

        lines = parsed(server.log_path.read_text())
        gunicorn_messages = " ".join(line["message"] for line in lines if line["logger"] == "gunicorn.error")
        self.assertIn("Booting worker", gunicorn_messages)
        [access] = [line for line in lines if line["request_id"] == "under-gunicorn"]
        self.assertEqual((access["logger"], access["route"], access["status"]), ("src.access", "/health/live", 200))
