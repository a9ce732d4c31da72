"""In-memory storage: service tests run against it without any database."""

from collections.abc import Mapping
from dataclasses import fields, replace
from datetime import UTC, datetime
from typing import Any

from src.plumbing.domain import NotFoundError
from src.plumbing.services import AbstractRepository, AbstractUnitOfWork, Filters, Page, PageRequest, Selection
from src.plumbing.services.abstract_repository import narrows, requested_page

# Keys of a `QueryParams` dictionary that ask for a page rather than filter.
PAGING_KEYS = frozenset({"page", "per_page", "itemized"})


class FakeDatabase:
    """The tables of the fake repositories built on it, which its one unit of work rolls back together."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[int, Any]] = {}
        self.transaction = FakeUnitOfWork(self)


class FakeUnitOfWork(AbstractUnitOfWork):
    """Puts every table back as it was when the outermost block ends with an error; counts commits."""

    def __init__(self, database: FakeDatabase) -> None:
        self.database = database
        self.depth = 0
        self.commits = 0

    def __enter__(self) -> "FakeUnitOfWork":
        if self.depth == 0:
            self.saved = self._copy()
        self.depth += 1
        return self

    def __exit__(self, kind, error, traceback) -> None:
        self.depth -= 1
        if self.depth:
            return
        if error is None:
            self.commits += 1
        else:
            self.database.tables = self.saved

    def _copy(self) -> dict[str, dict[int, Any]]:
        return {name: dict(rows) for name, rows in self.database.tables.items()}

    def commit(self) -> None:
        if self.depth == 1:
            self.commits += 1
            self.saved = self._copy()


class FakeRepository(AbstractRepository):
    """A table of `entity_class` in `database` (a database of its own by default)."""

    def __init__(self, entity_class: type, database: FakeDatabase | None = None) -> None:
        self.entity_class = entity_class
        self.database = database or FakeDatabase()
        self.database.tables.setdefault(entity_class.__name__, {})
        self.count_calls = 0

    @property
    def rows(self) -> dict[int, Any]:
        return self.database.tables[self.entity_class.__name__]

    @property
    def transactions(self) -> FakeUnitOfWork:
        return self.database.transaction

    @property
    def versioned(self) -> bool:
        return any(field.name == "version" for field in fields(self.entity_class))

    def unit_of_work(self) -> FakeUnitOfWork:
        return self.database.transaction

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

    def find(self, filters: Selection) -> Any:
        matches = self._matching(filters)
        if not matches:
            raise NotFoundError("Not found.")
        return matches[0]

    def exists(self, filters: Selection) -> bool:
        return bool(self._matching(filters))

    def count(self, filters: Selection | None = None) -> int:
        self.count_calls += 1
        return len(self._matching(filters))

    def get_all(self, filters: Selection | None = None, page: PageRequest | None = None) -> Any:
        matches = self._matching(filters)
        page = requested_page(filters, page)
        if page is None:
            return matches
        items = matches[page.offset : page.offset + page.per_page]
        return Page.of(items, page, lambda: self.count(filters))

    def update_all(self, filters: Selection, data: Mapping[str, Any]) -> int:
        matches = self._bulk_matches(filters)
        for entity in matches:
            self.update(entity.id, data)
        return len(matches)

    def delete_all(self, filters: Selection) -> int:
        matches = self._bulk_matches(filters)
        for entity in matches:
            del self.rows[entity.id]
        return len(matches)

    def _bulk_matches(self, filters: Selection) -> list[Any]:
        if not narrows(filters):
            raise ValueError("A bulk write needs filters that say which rows it changes.")
        return self._matching(filters)

    def _matching(self, filters: Selection | None) -> list[Any]:
        """The rows that pass the filters, in order of id; a filter the entity has no field for is an error."""
        rows = [row for _, row in sorted(self.rows.items())]
        if isinstance(filters, Filters):
            return [row for row in rows if filters.matches(row)]
        names = {field.name for field in fields(self.entity_class)}
        given = {name: value for name, value in (filters or {}).items() if name not in PAGING_KEYS}
        unknown = sorted(set(given) - names)
        if unknown:
            raise TypeError(f"{self.entity_class.__name__} has no field {unknown[0]!r} to filter on.")
        return [row for row in rows if all(getattr(row, name) == value for name, value in given.items())]
