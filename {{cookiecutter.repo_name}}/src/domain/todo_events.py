"""What happens to todos that other processes may react to."""

from dataclasses import dataclass

from src.plumbing.domain import DomainEvent


@dataclass(frozen=True, kw_only=True)
class TodoCompleted(DomainEvent):
    todo_id: int
    title: str
