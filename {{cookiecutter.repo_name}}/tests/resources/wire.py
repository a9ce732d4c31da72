"""Entity values as the API writes them: in a JSON body, and in a query string."""

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID


def as_json(values: dict[str, Any]) -> dict[str, Any]:
    return {name: _json_value(value) for name, value in values.items()}


def as_query(value: Any) -> str:
    """A JSON value of a body or an answer, spelled as the query string filter on it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (Decimal, UUID)):
        return str(value)
    return value
