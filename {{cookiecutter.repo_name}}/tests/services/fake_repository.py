"""An in-memory repository: service tests run against it without any database."""

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from src.domain.errors import NotFoundError, VersionMismatchError
from src.services.abstract_repository import AbstractRepository
from src.services.pagination import PageRequest


class FakeRepository(AbstractRepository):
    def __init__(self, entity_class: type) -> None:
        self.entity_class = entity_class
        self.rows: dict[int, Any] = {}
        self.count_calls = 0

    def create(self, data: Mapping[str, Any]) -> Any:
        now = datetime.now(UTC)
        entity = self.entity_class(**data, id=len(self.rows) + 1, version=1, created_at=now, updated_at=now)
        self.rows[entity.id] = entity
        return entity

    def get(self, entity_id: int) -> Any:
        if entity_id not in self.rows:
            raise NotFoundError("Not found.")
        return self.rows[entity_id]

    def find(self, query_params: Mapping[str, Any], page: PageRequest | None = None) -> list[Any]:
        matches = [row for row in self.rows.values() if _matches(row, query_params)]
        if page is None:
            return matches
        return matches[page.offset : page.offset + page.per_page]

    def count(self, query_params: Mapping[str, Any]) -> int:
        self.count_calls += 1
        return len(self.find(query_params))

    def update(
        self,
        entity_id: int,
        data: Mapping[str, Any],
        expected_version: int | None = None,
        precondition: Callable[[Any], None] | None = None,
    ) -> Any:
        entity = self._at_version(entity_id, expected_version, precondition)
        self.rows[entity_id] = replace(entity, **data, version=entity.version + 1)
        return self.rows[entity_id]

    def delete(
        self, entity_id: int, expected_version: int | None = None, precondition: Callable[[Any], None] | None = None
    ) -> None:
        self._at_version(entity_id, expected_version, precondition)
        del self.rows[entity_id]

    def _at_version(
        self, entity_id: int, expected_version: int | None, precondition: Callable[[Any], None] | None
    ) -> Any:
        entity = self.get(entity_id)
        if expected_version is not None and entity.version != expected_version:
            raise VersionMismatchError("Changed by someone else.")
        if precondition is not None:
            precondition(entity)
        return entity


def _matches(row: Any, query_params: Mapping[str, Any]) -> bool:
    return all(getattr(row, name) == value for name, value in query_params.items())
