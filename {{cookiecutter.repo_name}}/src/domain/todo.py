"""The Todo entity."""

from dataclasses import dataclass
from datetime import datetime

from src.domain.errors import ValidationError

TITLE_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 2000


@dataclass
class Todo:
    title: str
    description: str = ""
    completed: bool = False
    id: int | None = None
    version: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        validate_title(self.title)


def validate_title(title: str) -> None:
    """A title must say something: blank titles are rejected."""
    if not title.strip():
        raise ValidationError("A todo needs a title that is not blank.")
