"""Bodies sent chunked, without `Content-Length`, to the service under gunicorn: read whole, or 413 past the limit."""

import http.client
import json
from collections.abc import Iterator

from src.config import load_config
from tests.resources.app_test_base import TEST_ENVIRONMENT, AppTestBase
from tests.resources.gunicorn_server import gunicorn_address
{%- if cookiecutter.auth == "jwt" %}
from tests.resources.tokens import bearer, signed
{%- endif %}

# The limit the server runs with: the service's configuration (the template's default or the team's) in the test
# environment, whatever the database.
SETTINGS = load_config({**TEST_ENVIRONMENT, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
MAX_CONTENT_LENGTH = SETTINGS["MAX_CONTENT_LENGTH"]
CHUNK_BYTES = 64 * 1024


def chunks(size: int) -> Iterator[bytes]:
    """A JSON body of `size` bytes for a todo, in chunks: http.client sends an iterable with chunked encoding."""
    body = ('{"title": "' + "x" * (size - len('{"title": ""}')) + '"}').encode()
    for start in range(0, len(body), CHUNK_BYTES):
        yield body[start : start + CHUNK_BYTES]


def post_chunked(size: int) -> tuple[int, str, dict]:
    headers = {"Content-Type": "application/json"}
{%- if cookiecutter.auth == "jwt" %}
    headers |= bearer(signed(scope="todo:write"))
{%- endif %}
    connection = http.client.HTTPConnection(*gunicorn_address(), timeout=30)
    try:
        connection.request("POST", "/v1/todo", body=chunks(size), headers=headers, encode_chunked=True)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type"), json.loads(response.read())
    finally:
        connection.close()


class ChunkedBodyTest(AppTestBase):
    """The server shares this run's database, which the test app has migrated and `setup_database` empties."""

    def setUp(self) -> None:
        self.setup_database()

    def test_a_chunked_body_within_the_limit_is_read_whole(self):
        status, content_type, body = post_chunked(200)

        self.assertEqual((status, content_type), (201, "application/json"))
        self.assertEqual(len(body["title"]), 200 - len('{"title": ""}'))
        self.assertEqual(self.client.get(f"/v1/todo/{body['id']}").json, body)

    def test_a_chunked_body_past_the_limit_is_413_in_json_and_stores_nothing(self):
        status, content_type, body = post_chunked(MAX_CONTENT_LENGTH + 1)

        self.assertEqual((status, content_type, body["code"]), (413, "application/json", 413))
        self.assertEqual(self.client.get("/v1/todo?itemized=true").json, [])
