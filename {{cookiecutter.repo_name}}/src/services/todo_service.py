"""Use cases of the Todo example."""

from collections.abc import Mapping
from typing import Any

from src.domain.todo import Todo, validate_title
from src.services.repository_service import RepositoryService


class TodoService(RepositoryService):
    def create(self, data: Mapping[str, Any]) -> Todo:
        validate_title(data["title"])
        return super().create(data)

    def update(self, entity_id: int, data: Mapping[str, Any], **conditions: Any) -> Todo:
        """`conditions` (`expected_version`, `precondition`) pass through to `RepositoryService.update`."""
        if "title" in data:
            validate_title(data["title"])
        return super().update(entity_id, data, **conditions)
