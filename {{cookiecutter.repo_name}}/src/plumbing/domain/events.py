"""`DomainEvent`: a fact the domain records when something happened, which other processes may react to."""

from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

# The fields of every event, which travel beside its payload rather than in it.
ENVELOPE = frozenset(("event_id", "occurred_at"))


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """Subclass it with the fields that describe what happened (`TodoCompleted(todo_id=7)`).

    Every event carries an id of its own, which consumers use to handle it once however often it arrives.
    """

    event_id: str = field(default_factory=lambda: uuid4().hex)
    occurred_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def name(self) -> str:
        return type(self).__name__

    def payload(self) -> dict[str, Any]:
        """The fields that describe what happened; stored as JSON, so numbers, strings, booleans, lists and dicts."""
        return {each.name: getattr(self, each.name) for each in fields(self) if each.name not in ENVELOPE}
