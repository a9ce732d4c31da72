"""`DomainEvent`: a fact the domain records when something happened, which other processes may react to."""

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4


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
        """The fields that describe what happened, as JSON can carry them."""
        data = asdict(self)
        del data["event_id"], data["occurred_at"]
        return data
