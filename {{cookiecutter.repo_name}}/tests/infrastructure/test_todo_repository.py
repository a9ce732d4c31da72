"""SQLTodoRepository against PostgreSQL: queries, pagination, transactions and timestamps."""

from datetime import UTC

from sqlalchemy import func, select
from sqlalchemy.exc import DataError

from src.domain.errors import NotFoundError, ValidationError
from src.domain.todo import Todo
from src.infrastructure.databases import sqlalchemy_db
from src.infrastructure.models import TodoModel
from src.infrastructure.repositories import SQLTodoRepository
from src.services.pagination import PageRequest
from tests.resources.app_test_base import AppTestBase


class TodoRepositoryTest(AppTestBase):
    def setUp(self) -> None:
        self.setup_database()
        self.repository = SQLTodoRepository()

    def rows(self) -> int:
        return sqlalchemy_db.session.scalar(select(func.count()).select_from(TodoModel))

    def test_create_returns_a_plain_entity_with_aware_utc_timestamps(self):
        todo = self.repository.create({"title": "Buy milk"})

        self.assertIsInstance(todo, Todo)
        self.assertIsNotNone(todo.id)
        self.assertEqual(todo.version, 1)
        self.assertEqual(todo.created_at.tzinfo, UTC)
        self.assertEqual(self.repository.get(todo.id).created_at, todo.created_at)

    def test_get_of_a_missing_id_raises_not_found_with_the_repository_message(self):
        with self.assertRaises(NotFoundError) as raised:
            self.repository.get(123456)
        self.assertEqual(raised.exception.message, "Todo not found.")

    def test_find_filters_by_title_and_pages_in_id_order(self):
        for title in ["a", "b", "a", "c", "a"]:
            self.repository.create({"title": title})

        first_page = self.repository.find({"title": "a"}, PageRequest(page=1, per_page=2))
        second_page = self.repository.find({"title": "a"}, PageRequest(page=2, per_page=2))

        self.assertEqual(len(first_page), 2)
        self.assertEqual(len(second_page), 1)
        ids = [todo.id for todo in first_page + second_page]
        self.assertEqual(ids, sorted(ids))
        self.assertEqual(self.repository.count({"title": "a"}), 3)
        self.assertEqual(self.repository.count({}), 5)

    def test_update_changes_the_row_and_bumps_the_version(self):
        todo = self.repository.create({"title": "Draft"})

        updated = self.repository.update(todo.id, {"title": "Final", "completed": True})

        self.assertEqual((updated.title, updated.completed, updated.version), ("Final", True, 2))
        self.assertGreaterEqual(updated.updated_at, todo.updated_at)

    def test_delete_removes_the_row_and_a_second_delete_is_not_found(self):
        todo = self.repository.create({"title": "Temporary"})

        self.repository.delete(todo.id)

        self.assertEqual(self.rows(), 0)
        with self.assertRaises(NotFoundError):
            self.repository.delete(todo.id)

    def test_a_failed_write_rolls_back_and_leaves_the_table_unchanged(self):
        kept = self.repository.create({"title": "Kept"})

        with self.assertRaises(DataError):
            self.repository.create({"title": "x" * 5000})  # longer than the column: the database refuses
        with self.assertRaises(DataError):
            self.repository.update(kept.id, {"title": "y" * 5000})

        self.assertEqual(self.rows(), 1)
        self.assertEqual(self.repository.get(kept.id).title, "Kept")

    def test_unknown_fields_are_rejected_before_anything_is_written(self):
        with self.assertRaises(ValidationError):
            self.repository.create({"title": "ok", "owner": "nobody"})
        self.assertEqual(self.rows(), 0)
