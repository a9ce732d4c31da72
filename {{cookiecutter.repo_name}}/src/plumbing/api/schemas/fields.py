"""Fields that take only the JSON type they name, and text the database can store.

marshmallow's own fields convert on purpose (`"yes"` and `1` become `True`); an API that documents a
boolean should accept a boolean only. Each check runs before marshmallow's, through `Field.deserialize`.
"""

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from marshmallow import ValidationError, fields, missing, validate

from src.plumbing.domain.text import BLANK_CHARACTERS

NO_NUL_PATTERN = "^[^\\x00]*$"
# No NUL, and at least one character that `src.plumbing.domain.text.is_blank` does not call blank.
NOT_BLANK_PATTERN = f"^[^\\x00]*[^\\x00{BLANK_CHARACTERS}][^\\x00]*$"
QUERY_INTEGER = re.compile(r"-?[0-9]+")
# The range of an SQL INTEGER column, so that a value too large for it is a 422, not a database error.
INTEGER_RANGE = validate.Range(min=-(2**31), max=2**31 - 1)
ID_RANGE = validate.Range(min=1, max=2**31 - 1)


class StrictBoolean(fields.Boolean):
    """`true` or `false`, nothing that merely converts to one."""

    def deserialize(
        self, value: Any, attr: str | None = None, data: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> Any:
        if value is not missing and value is not None and not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return super().deserialize(value, attr, data, **kwargs)


class StrictInteger(fields.Integer):
    """A JSON integer: not a boolean, a float or a numeric string."""

    def deserialize(
        self, value: Any, attr: str | None = None, data: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> Any:
        if value is not missing and value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise self.make_error("invalid", input=value)
        return super().deserialize(value, attr, data, **kwargs)


class QueryInteger(fields.Integer):
    """An integer in a query string: ASCII digits only, so `1.0`, `+1`, ` 1` and `1_000` are refused."""

    def deserialize(
        self, value: Any, attr: str | None = None, data: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> Any:
        if value is not missing and not (isinstance(value, str) and QUERY_INTEGER.fullmatch(value)):
            raise self.make_error("invalid", input=value)
        return super().deserialize(value, attr, data, **kwargs)


class QueryBoolean(fields.Boolean):
    """`true` or `false` in a query string, spelled exactly so."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(truthy={"true"}, falsy={"false"}, **kwargs)


class Text(fields.String):
    """A string the database can store: no NUL character, no unpaired surrogate, within the given lengths.

    `not_blank=True` states in the OpenAPI document the domain's rule that the text is not blank; the
    domain entity checks that rule, so that it lives in one place.
    """

    def __init__(
        self, *, min_length: int | None = None, max_length: int | None = None, not_blank: bool = False, **kwargs: Any
    ) -> None:
        validators = [storable, *(check for check in _as_list(kwargs.pop("validate", None)) if check is not storable)]
        if min_length is not None or max_length is not None:
            validators.append(validate.Length(min=min_length, max=max_length))
        metadata = {"pattern": NOT_BLANK_PATTERN if not_blank else NO_NUL_PATTERN, **kwargs.pop("metadata", {})}
        super().__init__(validate=validators, metadata=metadata, **kwargs)


def storable(text: str) -> None:
    """PostgreSQL cannot store NUL in text, and no database can store half of a surrogate pair."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError("Must not contain NUL characters or unpaired surrogates.") from None
    if "\x00" in text:
        raise ValidationError("Must not contain NUL characters or unpaired surrogates.")


def _digits(most: int) -> str:
    """A regular expression of one to `most` ASCII digits."""
    return "[0-9]{1,MOST}".replace("MOST", str(most))


def _as_list(validators: Any) -> list[Any]:
    if validators is None:
        return []
    return list(validators) if isinstance(validators, (list, tuple)) else [validators]


class DecimalString(fields.Decimal):
    """An exact decimal that travels as a JSON string such as `"12.50"`, so no float ever rounds it.

    The pattern fits a `NUMERIC(precision, scale)` column: at most `precision - scale` digits before the
    point and `scale` after it, so a value the column cannot hold is a 422, not a database error.
    """

    def __init__(self, *, precision: int, scale: int, **kwargs: Any) -> None:
        whole = _digits(precision - scale) if precision > scale else "0"
        pattern = f"^-?{whole}" + (f"(\\.{_digits(scale)})?$" if scale else "$")
        metadata = {"type": "string", "format": "decimal", "pattern": pattern, **kwargs.pop("metadata", {})}
        super().__init__(places=scale, as_string=True, metadata=metadata, **kwargs)
        self.pattern = re.compile(pattern)

    def deserialize(
        self, value: Any, attr: str | None = None, data: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> Any:
        given = value is not missing and value is not None
        if given and not (isinstance(value, str) and self.pattern.fullmatch(value)):
            raise ValidationError(f"Not a decimal string that matches {self.pattern.pattern}.")
        return super().deserialize(value, attr, data, **kwargs)


class Timestamp(fields.AwareDateTime):
    """An ISO 8601 date and time with its UTC offset, stored in UTC; a naive one is refused."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="iso", **kwargs)

    def deserialize(
        self, value: Any, attr: str | None = None, data: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> Any:
        moment = super().deserialize(value, attr, data, **kwargs)
        if not isinstance(moment, datetime):
            return moment
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            raise ValidationError("Must lie between the years 1 and 9999 in UTC.") from None
