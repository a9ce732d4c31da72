"""Idempotency-Key: a retried POST gets the first answer and writes nothing twice, against real PostgreSQL."""

import http.client
import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text

from src.plumbing.infrastructure import sqlalchemy_db
from tests.resources.app_test_base import AppTestBase
from tests.resources.gunicorn_server import gunicorn_address
{%- if cookiecutter.auth == "jwt" %}
from tests.resources.tokens import bearer, signed
{%- endif %}

TODO = {"title": "water the plants", "description": ""}
CONCURRENT_REQUESTS = 20
RETRY_SECONDS = 10
EXPIRE = "UPDATE idempotency_key SET expires_at = now() - interval '1 second'"


def keyed(key: str) -> dict[str, str]:
    return {"Idempotency-Key": key}


def count(table: str) -> int:
    with sqlalchemy_db.engine.connect() as connection:
        return connection.scalar(text(f'SELECT count(*) FROM "{table}"'))


class IdempotencyKeyTest(AppTestBase):
    def setUp(self) -> None:
        self.setup_database()

    def test_a_retry_gets_the_first_answer_and_creates_nothing(self):
        first = self.client.post("/v1/todo", json=TODO, headers=keyed("order-1"))
        retry = self.client.post("/v1/todo", json=TODO, headers=keyed("order-1"))

        self.assertStatus(first, 201)
        self.assertStatus(retry, 201)
        self.assertEqual(retry.json, first.json)
        self.assertEqual(retry.headers["ETag"], first.headers["ETag"])
        self.assertEqual(retry.headers["Idempotent-Replayed"], "true")
        self.assertNotIn("Idempotent-Replayed", first.headers)
        self.assertNotEqual(retry.headers["X-Request-ID"], first.headers["X-Request-ID"])
        self.assertEqual(count("todo"), 1)

    def test_requests_without_a_key_are_each_processed(self):
        self.client.post("/v1/todo", json=TODO)
        self.client.post("/v1/todo", json=TODO)

        self.assertEqual(count("todo"), 2)
        self.assertEqual(count("idempotency_key"), 0)

    def test_the_same_key_with_another_body_is_refused(self):
        self.client.post("/v1/todo", json=TODO, headers=keyed("order-1"))
        changed = self.client.post("/v1/todo", json={**TODO, "title": "feed the cat"}, headers=keyed("order-1"))

        self.assertIn("different request", self.assertError(changed, 422)["message"])
        self.assertEqual(count("todo"), 1)

    def test_a_malformed_key_is_refused(self):
        for key in ("", "with space", "x" * 256, "é"):
            with self.subTest(key=key):
                self.assertError(self.client.post("/v1/todo", json=TODO, headers=keyed(key)), 400)
        self.assertEqual(count("todo"), 0)

    def test_a_failed_request_stores_nothing_so_its_key_can_be_retried(self):
        invalid = self.client.post("/v1/todo", json={"title": ""}, headers=keyed("order-1"))
        self.assertError(invalid, 422)
        self.assertEqual(count("idempotency_key"), 0)

        corrected = self.client.post("/v1/todo", json=TODO, headers=keyed("order-1"))

        self.assertStatus(corrected, 201)
        self.assertNotIn("Idempotent-Replayed", corrected.headers)
        self.assertEqual(count("todo"), 1)
{%- if cookiecutter.auth == "jwt" %}

    def test_another_subject_with_the_same_key_gets_its_own_answer(self):
        alice = self.client.post("/v1/todo", json=TODO, headers=keyed("order-1"))
        bob_token = bearer(signed(sub="bob", scope="todo:write"))
        bob = self.client.post("/v1/todo", json=TODO, headers={**keyed("order-1"), **bob_token})

        self.assertStatus(bob, 201)
        self.assertNotIn("Idempotent-Replayed", bob.headers)
        self.assertNotEqual(bob.json["id"], alice.json["id"])
        self.assertEqual((count("todo"), count("idempotency_key")), (2, 2))
{%- else %}

    def test_without_authentication_every_client_shares_the_keys(self):
        self.client.post("/v1/todo", json=TODO, headers=keyed("order-1"))
        another_client = self.app.test_client()
        retry = another_client.post("/v1/todo", json=TODO, headers=keyed("order-1"))

        self.assertEqual(retry.headers["Idempotent-Replayed"], "true")
        self.assertEqual(count("todo"), 1)
{%- endif %}

    def test_an_expired_answer_is_forgotten_and_deleted_by_the_cleanup(self):
        self.client.post("/v1/todo", json=TODO, headers=keyed("order-1"))
        self.client.post("/v1/todo", json=TODO, headers=keyed("order-2"))
        with sqlalchemy_db.engine.begin() as connection:
            connection.execute(text(f"{EXPIRE} WHERE key = 'order-1'"))

        retry = self.client.post("/v1/todo", json=TODO, headers=keyed("order-1"))
        self.assertNotIn("Idempotent-Replayed", retry.headers)
        self.assertEqual(count("todo"), 3)

        with sqlalchemy_db.engine.begin() as connection:
            connection.execute(text(EXPIRE))
        result = self.app.test_cli_runner().invoke(args=["delete_expired_idempotency_keys"])

        self.assertEqual(result.exit_code, 0, result.output)
        self.assertIn("Deleted 2 expired", result.output)
        self.assertEqual(count("idempotency_key"), 0)

    def test_an_answer_lives_for_the_configured_lifetime(self):
        self.client.post("/v1/todo", json=TODO, headers=keyed("order-1"))
        with sqlalchemy_db.engine.connect() as connection:
            lifetime = connection.scalar(text("SELECT extract(epoch FROM expires_at - now()) FROM idempotency_key"))

        self.assertAlmostEqual(float(lifetime), self.app.config["IDEMPOTENCY_KEY_LIFETIME"], delta=60)
        self.assertEqual(self.app.config["IDEMPOTENCY_KEY_LIFETIME"], 24 * 60 * 60)

    def test_concurrent_requests_with_one_key_write_one_row(self):
        start = threading.Barrier(CONCURRENT_REQUESTS)

        def send(_: int):
            client = self.app.test_client()
            start.wait()
            return client.post("/v1/todo", json=TODO, headers=keyed("order-1"))

        with ThreadPoolExecutor(max_workers=CONCURRENT_REQUESTS) as pool:
            answers = list(pool.map(send, range(CONCURRENT_REQUESTS)))

        statuses = sorted({answer.status_code for answer in answers})
        self.assertTrue(set(statuses) <= {201, 409}, statuses)
        created = {answer.json["id"] for answer in answers if answer.status_code == 201}
        self.assertEqual(len(created), 1)
        for answer in answers:
            if answer.status_code == 409:
                self.assertError(answer, 409)
        self.assertEqual((count("todo"), count("idempotency_key")), (1, 1))


class LostAnswerTest(AppTestBase):
    """The client hangs up before reading the answer; gunicorn finishes the request, and the retry gets its answer."""

    def setUp(self) -> None:
        self.setup_database()

    def test_a_retry_after_a_lost_answer_gets_it_without_a_second_todo(self):
        host, port = gunicorn_address()
        body = json.dumps(TODO)
        headers = {"Content-Type": "application/json", "Idempotency-Key": "lost-1"}
{%- if cookiecutter.auth == "jwt" %}
        headers.update(bearer(signed(scope="todo:write")))
{%- endif %}
        lines = ["POST /v1/todo HTTP/1.1", f"Host: {host}", f"Content-Length: {len(body)}", "Connection: close"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        with socket.create_connection((host, port), timeout=5) as connection:
            connection.sendall(("\r\n".join(lines) + "\r\n\r\n" + body).encode())
            # Closed without reading a byte of the answer.

        # The server finishes the request on its own; the client only learns of it by retrying.
        deadline = time.monotonic() + RETRY_SECONDS
        while count("idempotency_key") == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        client = http.client.HTTPConnection(host, port, timeout=5)
        client.request("POST", "/v1/todo", body=body, headers=headers)
        retry = client.getresponse()
        answer = retry.read()
        client.close()

        self.assertEqual(retry.status, 201, answer)
        self.assertEqual(retry.getheader("Idempotent-Replayed"), "true")
        self.assertEqual(json.loads(answer)["title"], TODO["title"])
        self.assertEqual(count("todo"), 1)
