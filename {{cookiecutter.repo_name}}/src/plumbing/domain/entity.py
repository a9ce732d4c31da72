"""`Entity`: the base of the domain's entities, which check their own rules and versions."""

from collections.abc import Collection
from dataclasses import Field
from typing import Any, ClassVar

from src.plumbing.domain.errors import VersionMismatchError

VERSION_MISMATCH_MESSAGE = "The object was changed by someone else; read it again and retry."


class Entity:
    """Subclass it with a dataclass; services call `validate` on the entity a write would store."""

    # Set by `@dataclass` on each subclass; declared so that type checkers know every entity is a dataclass.
    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]

    def validate(self) -> None:
        """Raise `ValidationError` when the entity breaks a business rule; the base has none."""

    def check_version(self, expected: int | Collection[int] | None) -> None:
        """Raise `VersionMismatchError` unless the entity is at `expected` (or one of them); None accepts any."""
        if expected is None:
            return
        accepted = {expected} if isinstance(expected, int) else expected
        if getattr(self, "version", None) not in accepted:
            raise VersionMismatchError(VERSION_MISMATCH_MESSAGE)
