"""Fields that accept only the JSON type they name (marshmallow's own also take `"yes"` or `1`)."""

import re

from marshmallow import fields

# PostgreSQL text cannot hold NUL; the pattern tells clients (and contract tests) before they try.
NO_NUL_PATTERN = "^[^\\x00]*$"
QUERY_INTEGER = re.compile(r"-?[0-9]+")


class StrictBoolean(fields.Boolean):
    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class StrictInteger(fields.Integer):
    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid", input=value)
        return super()._deserialize(value, attr, data, **kwargs)


class QueryInteger(fields.Integer):
    """An integer in a query string: ASCII digits only, so `1.0`, `+1`, ` 1` and `1_000` are refused."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not QUERY_INTEGER.fullmatch(value):
            raise self.make_error("invalid", input=value)
        return super()._deserialize(value, attr, data, **kwargs)


class Text(fields.String):
    """A string the database can store: no NUL character and no unpaired surrogate."""

    default_error_messages = {"unstorable": "Must not contain NUL characters or unpaired surrogates."}

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.metadata = {"pattern": NO_NUL_PATTERN, **self.metadata}

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text or not _encodes(text):
            raise self.make_error("unstorable")
        return text


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
