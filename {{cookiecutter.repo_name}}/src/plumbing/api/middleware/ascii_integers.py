"""Integers in paths are ASCII digits: werkzeug's `int` converter also takes the digits of other scripts."""

from werkzeug.datastructures import ImmutableDict
from werkzeug.routing import IntegerConverter, Map


class AsciiIntegerConverter(IntegerConverter):
    """werkzeug's `int` converter, its range and OpenAPI schema included, matching `[0-9]+` instead of `\\d+`."""

    regex = r"[0-9]+"


class AsciiIntegerMap(Map):
    """The URL map of the service: every route's `<int:...>`, scaffolded ones too, takes ASCII digits only."""

    default_converters = ImmutableDict(Map.default_converters | {"int": AsciiIntegerConverter})
