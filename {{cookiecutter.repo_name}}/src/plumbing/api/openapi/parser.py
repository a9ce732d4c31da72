"""webargs' Flask parser: 400 for a JSON body nested too deeply to parse, 422 for a number too long to convert."""

import sys
from typing import Any

from flask import Request
from flask_smorest import abort
from marshmallow import Schema
from webargs.flaskparser import FlaskParser

TOO_DEEP_MESSAGE = "The JSON body is nested too deeply to read."
TOO_LONG_NUMBER_MESSAGE = f"A number has more than {sys.get_int_max_str_digits()} digits, more than any field holds."


class RequestParser(FlaskParser):
    def load_json(self, req: Request, schema: Schema) -> Any:
        try:
            return super().load_json(req, schema)
        except RecursionError:
            # Python's JSON decoder gives up on nesting deeper than its recursion limit, about a thousand levels.
            abort(400, message=TOO_DEEP_MESSAGE)
        except ValueError:
            # Valid JSON, but a number the decoder refuses to convert: an integer of more digits than Python's
            # limit (4300). webargs answers only malformed JSON itself.
            abort(422, errors={"json": {"_schema": [TOO_LONG_NUMBER_MESSAGE]}})
