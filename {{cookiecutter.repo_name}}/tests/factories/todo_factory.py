"""Valid todos for tests: each call gives new values, unique fields included."""

from itertools import count
from typing import Any

_numbers = count(1)


def todo_fields(**changes) -> dict[str, Any]:
    """The fields of a new todo, as the entity holds them; `changes` replace some."""
    number = next(_numbers)
    return {
        "title": f"title {number}",
        "description": f"description {number}",
        "completed": number % 2 == 0,
    } | changes
