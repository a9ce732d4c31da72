"""In-memory storage: service tests run against it without any database."""

import copy
from collections.abc import Mapping
from dataclasses import fields, replace
from datetime import UTC, datetime
from typing import Any

from src.plumbing.domain import NotFoundError
from src.plumbing.services import AbstractRepository, AbstractUnitOfWork, QueryParams
from src.plumbing.services.pagination import Page, page_asked_for


class FakeUnitOfWork(AbstractUnitOfWork):
    """Puts back `store.<attribute>` as it was when the outermost block ends with an error; counts commits."""

    def __init__(self, store: Any, attribute: str) -> None:
        self.store = store
        self.attribute = attribute
        self.depth = 0
        self.commits = 0

    def __enter__(self) -> "FakeUnitOfWork":
        if self.depth == 0:
            self.saved = copy.copy(getattr(self.store, self.attribute))
        self.depth += 1
        return self

    def __exit__(self, kind, error, traceback) -> None:
        self.depth -= 1
        if self.depth:
            return
        if error is None:
            self.commits += 1
        else:
            setattr(self.store, self.attribute, self.saved)


class FakeRepository(AbstractRepository):
    def __init__(self, entity_class: type) -> None:
        self.entity_class = entity_class
        self.rows: dict[int, Any] = {}
        self.count_calls = 0
        self.transactions = FakeUnitOfWork(self, "rows")

    @property
    def versioned(self) -> bool:
        return any(field.name == "version" for field in fields(self.entity_class))

    def unit_of_work(self) -> FakeUnitOfWork:
        return self.transactions

    def create(self, data: Mapping[str, Any]) -> Any:
        now = datetime.now(UTC)
        version = {"version": 1} if self.versioned else {}
        entity = self.entity_class(**data, id=max(self.rows, default=0) + 1, **version, created_at=now, updated_at=now)
        self.rows[entity.id] = entity
        return entity

    def get(self, entity_id: int) -> Any:
        if entity_id not in self.rows:
            raise NotFoundError("Not found.")
        return self.rows[entity_id]

    def update(self, entity_id: int, data: Mapping[str, Any], expected_version: int | None = None) -> Any:
        entity = self.get(entity_id)
        entity.check_version(expected_version)
        version = {"version": entity.version + 1} if self.versioned else {}
        self.rows[entity_id] = replace(entity, **data, **version, updated_at=datetime.now(UTC))
        return self.rows[entity_id]

    def delete(self, entity_id: int, expected_version: int | None = None) -> Any:
        self.get(entity_id).check_version(expected_version)
        return self.rows.pop(entity_id)

    def find(self, query_params: QueryParams) -> Any:
        matches = self._matching(query_params)
        if not matches:
            raise NotFoundError("Not found.")
        return matches[0]

    def exists(self, query_params: QueryParams) -> bool:
        return bool(self._matching(query_params))

    def count(self, query_params: QueryParams | None = None) -> int:
        self.count_calls += 1
        return len(self._matching(query_params))

    def get_all(self, query_params: QueryParams | None = None) -> list[Any] | Page:
        matches = self._matching(query_params)
        asked = page_asked_for(query_params)
        if asked is None:
            return matches
        page, per_page = asked
        offset = (page - 1) * per_page
        items = matches[offset : offset + per_page]
        total = offset + len(items) if 0 < len(items) < per_page else self.count(query_params)
        return Page(items=items, total=total, page=page, per_page=per_page)

    def delete_all(self, query_params: QueryParams) -> int:
        if not query_params:
            raise ValueError("delete_all needs query parameters.")
        matches = self._matching(query_params)
        for entity in matches:
            del self.rows[entity.id]
        return len(matches)

    def _matching(self, query_params: QueryParams | None) -> list[Any]:
        names = {field.name for field in fields(self.entity_class)}
        filters = {name: value for name, value in (query_params or {}).items() if name in names}
        return [row for _, row in sorted(self.rows.items()) if all(getattr(row, k) == v for k, v in filters.items())]
