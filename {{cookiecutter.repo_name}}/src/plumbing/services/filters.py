"""`Filters`: which entities a query keeps, declared once per resource.

A resource subclasses `Filters` with a frozen dataclass whose fields are declared with `equal`, `at_least`,
`at_most`, `less_than`, `greater_than` or `one_of`. From that one declaration, the API derives the query string
and its documentation, the SQL repository its WHERE clause, and the in-memory fakes their matching.
"""

import operator
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

# The key of the dataclass field's metadata that holds its `Filter`.
FILTER = "filter"


@dataclass(frozen=True)
class Filter:
    """How one field of `Filters` narrows a query: `compare(entity_value, filter_value)` on `target`."""

    operator: str
    """One of `OPERATORS`' keys: the SQL repository builds its clause by this name."""
    target: str | None
    """The entity's field it compares; None means the filter's own name."""


def _one_of(value: Any, accepted: Collection[Any]) -> bool:
    return value in accepted


# Name → how a value of the entity compares to the filter's value.
OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq,
    "ge": operator.ge,
    "le": operator.le,
    "lt": operator.lt,
    "gt": operator.gt,
    "in": _one_of,
}


@dataclass(frozen=True)
class Condition:
    """One filter that was given a value: `target <operator> value`."""

    target: str
    operator: str
    value: Any

    def holds_for(self, entity: object) -> bool:
        if not hasattr(entity, self.target):
            raise TypeError(f"{type(entity).__name__} has no field {self.target!r} to filter on.")
        actual = getattr(entity, self.target)
        # As in SQL, a missing value matches no comparison.
        return actual is not None and OPERATORS[self.operator](actual, self.value)


def _declared(name: str, target: str | None) -> Any:
    return field(default=None, metadata={FILTER: Filter(name, target)})


def equal(target: str | None = None) -> Any:
    """Keeps the entities whose field equals the value."""
    return _declared("eq", target)


def at_least(target: str | None = None) -> Any:
    """Keeps the entities whose field is greater than or equal to the value."""
    return _declared("ge", target)


def at_most(target: str | None = None) -> Any:
    """Keeps the entities whose field is less than or equal to the value."""
    return _declared("le", target)


def less_than(target: str | None = None) -> Any:
    """Keeps the entities whose field is less than (before) the value."""
    return _declared("lt", target)


def greater_than(target: str | None = None) -> Any:
    """Keeps the entities whose field is greater than (after) the value."""
    return _declared("gt", target)


def one_of(target: str | None = None) -> Any:
    """Keeps the entities whose field is one of the values (a collection)."""
    return _declared("in", target)


class Filters:
    """Subclass it with `@dataclass(frozen=True)`; a field left at None does not filter."""

    def conditions(self) -> list[Condition]:
        """The filters that were given a value, in declaration order."""
        return [
            Condition(target, declared.operator, getattr(self, name))
            for name, target, declared in declarations(type(self))
            if getattr(self, name) is not None
        ]

    def matches(self, entity: object) -> bool:
        """Whether `entity` passes every condition; what the in-memory fakes use."""
        return all(condition.holds_for(entity) for condition in self.conditions())


def declarations(filters_class: type[Filters]) -> Iterator[tuple[str, str, Filter]]:
    """(field name, entity field it compares, its `Filter`) for every field of `filters_class`."""
    if not is_dataclass(filters_class):
        raise TypeError(f"{filters_class.__name__} must be a dataclass to declare filters.")
    for each in fields(filters_class):
        declared = each.metadata.get(FILTER)
        if not isinstance(declared, Filter):
            raise TypeError(
                f"{filters_class.__name__}.{each.name} is not declared with equal(), at_least(), at_most(), "
                "less_than(), greater_than() or one_of()."
            )
        yield each.name, declared.target or each.name, declared
