"""Use cases of todos, and the filters of their list."""

from dataclasses import dataclass

from src.domain.todo import Todo
from src.plumbing.services import Filters, RepositoryService, equal


@dataclass(frozen=True)
class TodoFilters(Filters):
    """Which todos a list keeps; a filter left at None keeps all."""

    title: str | None = equal()


class TodoService(RepositoryService[Todo]):
    """Create, read, change and delete todos; `Todo.validate` holds their rules."""
