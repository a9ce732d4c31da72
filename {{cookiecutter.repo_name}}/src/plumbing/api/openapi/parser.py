"""webargs' Flask parser, answering 400 to a JSON body nested too deeply to parse."""

from typing import Any

from flask import Request
from flask_smorest import abort
from marshmallow import Schema
from webargs.flaskparser import FlaskParser

TOO_DEEP_MESSAGE = "The JSON body is nested too deeply to read."


class RequestParser(FlaskParser):
    def load_json(self, req: Request, schema: Schema) -> Any:
        try:
            return super().load_json(req, schema)
        except RecursionError:
            # Python's JSON decoder gives up on nesting deeper than its recursion limit, about a thousand levels.
            abort(400, message=TOO_DEEP_MESSAGE)
