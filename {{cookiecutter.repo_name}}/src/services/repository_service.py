"""`RepositoryService`: CRUD use cases that delegate to an injected repository."""

from collections.abc import Callable, Mapping
from typing import Any

from src.services.abstract_repository import AbstractRepository
from src.services.pagination import Page, PageRequest


class RepositoryService:
    """Subclass it and add use cases; the CRUD operations come for free."""

    def __init__(self, repository: AbstractRepository) -> None:
        self.repository = repository

    def create(self, data: Mapping[str, Any]) -> Any:
        return self.repository.create(data)

    def get(self, entity_id: Any) -> Any:
        return self.repository.get(entity_id)

    def find(self, query_params: Mapping[str, Any] | None = None) -> list[Any]:
        """Every entity that matches, unpaginated."""
        return self.repository.find(query_params or {})

    def find_page(self, query_params: Mapping[str, Any], request: PageRequest) -> Page:
        items = self.repository.find(query_params, request)
        if items and len(items) < request.per_page:
            # A short, non-empty page is the last one, so its total needs no count query.
            total = request.offset + len(items)
        else:
            total = self.repository.count(query_params)
        return Page(items=items, total=total, request=request)

    def update(
        self,
        entity_id: Any,
        data: Mapping[str, Any],
        expected_version: int | None = None,
        precondition: Callable[[Any], None] | None = None,
    ) -> Any:
        return self.repository.update(entity_id, data, expected_version, precondition)

    def delete(
        self, entity_id: Any, expected_version: int | None = None, precondition: Callable[[Any], None] | None = None
    ) -> None:
        self.repository.delete(entity_id, expected_version, precondition)
