"""What gunicorn answers itself, before the app: requests over its limits and requests that are not HTTP."""

import http.client
import json
import socket
import unittest

from src.config import load_config
from tests.resources.app_test_base import TEST_ENVIRONMENT
from tests.resources.gunicorn_server import gunicorn_address
{%- if cookiecutter.auth == "jwt" %}
from tests.resources.tokens import signed
{%- endif %}

# The defaults of gunicorn.conf.py, as docs/deployment.md documents them.
REQUEST_LINE_LIMIT = 8190
HEADER_FIELDS_LIMIT = 100
HEADER_FIELD_SIZE_LIMIT = 8190
# The service's own limits, as README.md and docs/auth.md document them; a team's `src/config.py` may change the
# body limit, so it is read as the server reads it (its database plays no part in it).
MAX_CONTENT_LENGTH = load_config({**TEST_ENVIRONMENT, "SQLALCHEMY_DATABASE_URI": "sqlite://"})["MAX_CONTENT_LENGTH"]
{%- if cookiecutter.auth == "jwt" %}
MAX_TOKEN_BYTES = 8000
{%- endif %}
SOCKET_TIMEOUT_SECONDS = 10


class Answer:
    """One HTTP answer, read until the server closed the connection."""

    def __init__(self, raw: bytes):
        head, _, self.body = raw.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        self.status = int(status_line.split(" ")[1])
        fields = (line.partition(":") for line in header_lines)
        self.headers = {name.lower(): value.strip() for name, _, value in fields}


def exchange(raw_request: bytes) -> Answer:
    with socket.create_connection(gunicorn_address(), timeout=SOCKET_TIMEOUT_SECONDS) as connection:
        connection.sendall(raw_request)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    return Answer(received)


def request(target: str = "/health/live", headers: tuple[str, ...] = ()) -> bytes:
    """A GET with `Host`, `headers` and `Connection: close`, so every answer ends with the connection."""
    lines = [f"GET {target} HTTP/1.1", "Host: 127.0.0.1", *headers, "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def request_line_of(length: int) -> bytes:
    """A list request whose request line, without its CRLF, is `length` bytes: the filter fills it up."""
    target = "/v1/todo?title="
    return request(target + "x" * (length - len(f"GET {target} HTTP/1.1")))


def fields_in_all(count: int) -> bytes:
    """`count` header fields in all, counting `Host` and `Connection`."""
    return request(headers=tuple(f"X-Field-{number}: 1" for number in range(count - 2)))


def field_line_of(size: int) -> bytes:
    """One header field whose line, its CRLF included, is `size` bytes."""
    name = "X-Padding: "
    return request(headers=(name + "x" * (size - len(name) - 2),))


def posted(size: int) -> Answer:
    """The answer to a POST of a JSON body of `size` bytes, on a connection kept alive so that it is read whole.

    A server that answers before it reads the body and then closes would reset the connection under the answer.
    """
    body = '{"title": "' + "x" * (size - len('{"title": ""}')) + '"}'
    headers = {"Content-Type": "application/json"}
{%- if cookiecutter.auth == "jwt" %}
    headers["Authorization"] = f"Bearer {signed(scope='todo:write')}"
{%- endif %}
    connection = http.client.HTTPConnection(*gunicorn_address(), timeout=SOCKET_TIMEOUT_SECONDS)
    try:
        connection.request("POST", "/v1/todo", body=body.encode(), headers=headers)
        response = connection.getresponse()
        head = f"HTTP/1.1 {response.status} {response.reason}\r\n" + "".join(
            f"{name}: {value}\r\n" for name, value in response.getheaders()
        )
        return Answer(head.encode("latin-1") + b"\r\n" + response.read())
    finally:
        connection.close()
{%- if cookiecutter.auth == "jwt" %}


def with_token_of(length: int) -> bytes:
    """A read with a bearer token of `length` bytes that is no JWT: the service reads it only up to its limit."""
    return request("/v1/todo", headers=(f"Authorization: Bearer {'a' * length}",))
{%- endif %}


class ProtocolLimitsTest(unittest.TestCase):
    def test_a_request_line_at_the_limit_reaches_the_service_and_one_byte_more_gets_414(self):
{%- if cookiecutter.auth == "jwt" %}
        # The request carries no token, so the service itself refuses it, in JSON.
        self.assertServiceError(exchange(request_line_of(REQUEST_LINE_LIMIT)), 401)
{%- else %}
        # The title filter is far over its length, so the service itself refuses it, in JSON.
        self.assertServiceError(exchange(request_line_of(REQUEST_LINE_LIMIT)), 422)
{%- endif %}
        self.assertRefused(exchange(request_line_of(REQUEST_LINE_LIMIT + 1)), 414, "URI Too Long")

    def test_as_many_header_fields_as_the_limit_are_served_and_one_more_gets_431(self):
        self.assertLive(exchange(fields_in_all(HEADER_FIELDS_LIMIT)))
        self.assertRefused(exchange(fields_in_all(HEADER_FIELDS_LIMIT + 1)), 431, "Request Header Fields Too Large")

    def test_a_header_field_at_the_size_limit_is_served_and_one_byte_more_gets_431(self):
        self.assertLive(exchange(field_line_of(HEADER_FIELD_SIZE_LIMIT)))
        self.assertRefused(exchange(field_line_of(HEADER_FIELD_SIZE_LIMIT + 1)), 431, "Request Header Fields Too Large")

    def test_a_body_at_max_content_length_reaches_the_service_and_one_byte_more_gets_its_413(self):
        # Bodies of JSON the schema refuses: the service answers both itself, in JSON.
        self.assertServiceError(posted(MAX_CONTENT_LENGTH), 422)
        self.assertServiceError(posted(MAX_CONTENT_LENGTH + 1), 413)
{%- if cookiecutter.auth == "jwt" %}

    def test_a_token_at_the_service_s_limit_is_read_one_byte_more_gets_its_401_and_a_longer_line_431(self):
        self.assertIn("not valid", self.assertServiceError(exchange(with_token_of(MAX_TOKEN_BYTES)), 401)["message"])
        self.assertIn("longer", self.assertServiceError(exchange(with_token_of(MAX_TOKEN_BYTES + 1)), 401)["message"])
        longest = HEADER_FIELD_SIZE_LIMIT - len("Authorization: Bearer \r\n")
        self.assertIn("longer", self.assertServiceError(exchange(with_token_of(longest)), 401)["message"])
        self.assertRefused(exchange(with_token_of(longest + 1)), 431, "Request Header Fields Too Large")
{%- endif %}

    def test_a_malformed_request_line_gets_400(self):
        for raw in (b"GET /health/live\r\n\r\n", b"HELLO\r\n\r\n", b"GET /health/live HTTP/1.1 extra\r\n\r\n"):
            with self.subTest(raw=raw):
                self.assertRefused(exchange(raw), 400, "Bad Request")

    def assertRefused(self, answer: Answer, status: int, reason: str) -> None:
        """gunicorn's own page, as documented; the connection ends, and the next connection is served."""
        self.assertEqual(answer.status, status)
        self.assertEqual(answer.headers["content-type"], "text/html")
        self.assertEqual(answer.headers["connection"], "close")
        self.assertIn(f"<title>{reason}</title>".encode(), answer.body)
        self.assertLive(exchange(request()))

    def assertLive(self, answer: Answer) -> None:
        self.assertEqual((answer.status, answer.headers["content-type"]), (200, "application/json"))
        self.assertEqual(json.loads(answer.body), {"status": "ok"})

    def assertServiceError(self, answer: Answer, status: int) -> dict:
        self.assertEqual((answer.status, answer.headers["content-type"]), (status, "application/json"))
        body = json.loads(answer.body)
        self.assertEqual(body["code"], status)
        return body
