"""The Todo entity."""

from dataclasses import dataclass
from datetime import datetime

from src.plumbing.domain import Entity, ValidationError, is_blank

TITLE_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 2000


@dataclass(frozen=True)
class Todo(Entity):
    title: str
    description: str = ""
    completed: bool = False
    id: int | None = None
    version: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def validate(self) -> None:
        if is_blank(self.title):
            raise ValidationError("A todo needs a title that is not blank.", field="title")
