"""Use cases of todos, and the filters of their list."""

{% if cookiecutter.worker == "y" -%}
from collections.abc import Mapping
{% endif -%}
from dataclasses import dataclass
{%- if cookiecutter.worker == "y" %}
from typing import Any
{%- endif %}

from src.domain.todo import Todo
{%- if cookiecutter.worker == "y" %}
from src.domain.todo_events import TodoCompleted
from src.plumbing.services import (
    AbstractOutbox,
    AbstractRepository,
    AbstractUnitOfWork,
    ExpectedVersion,
    Filters,
    RepositoryService,
    equal,
)
{%- else %}
from src.plumbing.services import Filters, RepositoryService, equal
{%- endif %}


@dataclass(frozen=True)
class TodoFilters(Filters):
    """Which todos a list keeps; a filter left at None keeps all."""

    title: str | None = equal()


class TodoService(RepositoryService[Todo]):
{%- if cookiecutter.worker == "y" %}
    """Create, read, change and delete todos; `Todo.validate` holds their rules. Completing one records
    `TodoCompleted` in the outbox, in the unit of work that stores the change.
    """

    def __init__(
        self,
        repository: AbstractRepository[Todo],
        outbox: AbstractOutbox,
        unit_of_work: AbstractUnitOfWork | None = None,
    ) -> None:
        super().__init__(repository, unit_of_work)
        self.outbox = outbox
        self.completes = False

    def check(self, entity: Todo, previous: Todo | None) -> None:
        # The last check before a write sees the version that the write replaces, even after a retry.
        self.completes = previous is not None and entity.completed and not previous.completed

    def update(self, entity_id: Any, data: Mapping[str, Any], expected_version: ExpectedVersion = None) -> Todo:
        with self.unit_of_work:
            self.completes = False
            todo = super().update(entity_id, data, expected_version)
            if self.completes and todo.id is not None:
                self.outbox.add(TodoCompleted(todo_id=todo.id, title=todo.title))
            return todo
{%- else %}
    """Create, read, change and delete todos; `Todo.validate` holds their rules."""
{%- endif %}
