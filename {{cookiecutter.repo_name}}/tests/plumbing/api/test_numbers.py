"""Numbers the service cannot hold are refused in the one error shape, wherever they come: never a 500."""

import json
import sys
import unittest
from collections.abc import Iterator
from contextlib import contextmanager

from marshmallow import ValidationError

from src.plumbing.api.schemas.fields import ID_RANGE, INTEGER_RANGE, DecimalString, StrictInteger
from tests.plumbing.api.log_capture import captured_log_lines
from tests.resources.app_test_base import AppTestBase

# One digit more than Python converts from text, and far more than that.
TOO_MANY_DIGITS = ["9" * (sys.get_int_max_str_digits() + 1), "1" * 8000]
# JSON has no such numbers; Python's decoder reads them as floats it cannot store in any field.
NOT_FINITE = ["1e400", "-1e400", "NaN", "Infinity", "-Infinity"]
# Where a number can sit in a body: a field that takes another type, an unknown field, deep inside, alone.
BODIES = [
    '{"title": "a", "completed": NUMBER}',
    '{"title": "a", "unknown": NUMBER}',
    '{"title": "a", "unknown": [{"deep": [NUMBER]}]}',
    "[NUMBER]",
    "NUMBER",
]


class NumbersTest(AppTestBase):
    def setUp(self) -> None:
        self.setup_database()

    def post(self, body: str):
        return self.client.post("/v1/todo", data=body, content_type="application/json")

    @contextmanager
    def nothing_logged_at_error(self) -> Iterator[None]:
        """No line at ERROR, so no traceback, while the block runs."""
        with captured_log_lines("json") as logged:
            yield
        self.assertNotIn("ERROR", [json.loads(line)["level"] for line in logged.getvalue().splitlines()])

    def test_numbers_in_a_json_body_anywhere_are_422(self):
        for number in TOO_MANY_DIGITS + NOT_FINITE + ["1" * 30]:
            for shape in BODIES:
                body = shape.replace("NUMBER", number)
                with self.subTest(body=body[:60]), self.nothing_logged_at_error():
                    self.assertError(self.post(body), 422)
        self.assertEqual(self.client.get("/v1/todo?itemized=true").json, [])

    def test_a_number_too_long_to_convert_names_the_limit(self):
        with self.nothing_logged_at_error():
            body = self.assertError(self.post(BODIES[0].replace("NUMBER", TOO_MANY_DIGITS[0])), 422)

        self.assertIn(str(sys.get_int_max_str_digits()), body["errors"]["json"]["_schema"][0])

    def test_numbers_in_the_query_string_are_422(self):
        for number in [*TOO_MANY_DIGITS, *NOT_FINITE, "1" * 30, "1.5"]:
            for parameter in ("page", "per_page"):
                with self.subTest(parameter=parameter, number=number[:20]), self.nothing_logged_at_error():
                    body = self.assertError(self.client.get(f"/v1/todo?{parameter}={number}"), 422)
                    self.assertIn(parameter, body["errors"]["query"])

    def test_ids_in_the_path_that_no_row_can_have_are_404(self):
        for number in [*TOO_MANY_DIGITS, "2147483648", "1e400", "NaN", "Infinity", "-1"]:
            with self.subTest(number=number[:20]), self.nothing_logged_at_error():
                self.assertError(self.client.get(f"/v1/todo/{number}"), 404)

    def test_an_if_match_of_huge_numbers_matches_no_version(self):
        created = self.client.post("/v1/todo", json={"title": "a"}).json
        url = f"/v1/todo/{created['id']}"
        for tag in [*TOO_MANY_DIGITS, "1e400", "NaN"]:
            with self.subTest(tag=tag[:20]), self.nothing_logged_at_error():
                self.assertError(
                    self.client.patch(url, json={"completed": True}, headers={"If-Match": f'"{tag}"'}), 412
                )


class NumberFieldsTest(unittest.TestCase):
    """The fields a scaffolded `int`, `ref` or `decimal` uses refuse every number their column cannot hold."""

    def test_integer_fields_refuse_floats_and_numbers_beyond_their_column(self):
        for field in (StrictInteger(validate=INTEGER_RANGE), StrictInteger(validate=ID_RANGE)):
            for value in (float("inf"), float("-inf"), float("nan"), 1.0, 2**31, -(2**31) - 1, 10**400, True):
                with self.subTest(field=field, value=value), self.assertRaises(ValidationError):
                    field.deserialize(value)

    def test_decimal_fields_refuse_numbers_and_strings_beyond_their_column(self):
        field = DecimalString(precision=10, scale=2)
        for value in (12.5, float("nan"), "NaN", "Infinity", "1e400", "123456789.00", "1" * 5000, "0.001"):
            with self.subTest(value=str(value)[:20]), self.assertRaises(ValidationError):
                field.deserialize(value)
