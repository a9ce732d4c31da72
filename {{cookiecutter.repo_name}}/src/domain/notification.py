"""The Notification entity: a message for the owner of a todo, written by a job."""

from dataclasses import dataclass
from datetime import datetime

from src.plumbing.domain import Entity

MESSAGE_MAX_LENGTH = 500


@dataclass(frozen=True)
class Notification(Entity):
    todo_id: int
    message: str
    id: int | None = None
    created_at: datetime | None = None
