"""SQLTodoRepository against PostgreSQL: statements, versions, timestamps and failed writes."""

from datetime import UTC

from sqlalchemy import func, select
from sqlalchemy.exc import DataError
from sqlalchemy.orm import Session

from src.domain.todo import Todo
from src.infrastructure.models import TodoModel
from src.infrastructure.repositories import SQLTodoRepository
from src.plumbing.domain import NotFoundError, ValidationError, VersionMismatchError
from src.plumbing.infrastructure import sqlalchemy_db
from src.plumbing.services import PageRequest
from src.services.todo_service import TodoFilters
from tests.resources.app_test_base import AppTestBase


class TodoRepositoryTest(AppTestBase):
    def setUp(self) -> None:
        self.setup_database()
        self.repository = SQLTodoRepository(sqlalchemy_db.session)

    def stored(self, title: str, **fields) -> Todo:
        with self.repository.unit_of_work():
            return self.repository.create({"title": title, **fields})

    def rows(self) -> int:
        with sqlalchemy_db.engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(TodoModel))

    def test_create_returns_a_plain_entity_with_version_1_and_aware_utc_timestamps(self):
        todo = self.stored("Buy milk")

        self.assertIsInstance(todo, Todo)
        self.assertEqual((todo.version, todo.description, todo.completed), (1, "", False))
        self.assertEqual(todo.created_at.tzinfo, UTC)
        self.assertEqual(self.repository.get(todo.id), todo)

    def test_get_of_a_missing_id_raises_not_found_with_the_repository_message(self):
        with self.assertRaises(NotFoundError) as raised:
            self.repository.get(123456)
        self.assertEqual(raised.exception.message, "Todo not found.")

    def test_title_filters_and_pages_come_in_id_order(self):
        for title in ["a", "b", "a", "c", "a"]:
            self.stored(title)

        first = self.repository.get_all(TodoFilters(title="a"), PageRequest(1, 2))
        second = self.repository.get_all(TodoFilters(title="a"), PageRequest(2, 2))

        ids = [todo.id for todo in first.items + second.items]
        self.assertEqual((len(ids), ids), (3, sorted(ids)))
        self.assertEqual((first.total, second.total), (3, 3))
        self.assertEqual(self.repository.count(TodoFilters(title="a")), 3)

    def test_update_changes_the_row_and_bumps_the_version(self):
        todo = self.stored("Draft")

        with self.repository.unit_of_work():
            updated = self.repository.update(todo.id, {"title": "Final", "completed": True})

        self.assertEqual((updated.title, updated.completed, updated.version), ("Final", True, 2))
        self.assertGreaterEqual(updated.updated_at, todo.updated_at)
        self.assertEqual(updated.created_at, todo.created_at)

    def test_a_write_at_an_outdated_version_is_refused_and_changes_nothing(self):
        todo = self.stored("shared")

        with self.repository.unit_of_work():
            self.repository.update(todo.id, {"title": "first"}, expected_version=1)
        for write in (
            lambda: self.repository.update(todo.id, {"title": "second"}, expected_version=1),
            lambda: self.repository.delete(todo.id, expected_version=1),
        ):
            with self.assertRaises(VersionMismatchError), self.repository.unit_of_work():
                write()
        self.assertEqual((self.repository.get(todo.id).title, self.repository.get(todo.id).version), ("first", 2))

    def test_of_two_writers_at_the_same_version_the_database_refuses_the_second(self):
        todo = self.stored("shared")
        first, second = (SQLTodoRepository(Session(sqlalchemy_db.engine)) for _ in range(2))
        self.addCleanup(first.session.close)
        self.addCleanup(second.session.close)
        self.assertEqual(second.get(todo.id).version, 1)  # the second writer has read version 1 too

        with first.unit_of_work():
            first.update(todo.id, {"title": "first"}, expected_version=1)
        with self.assertRaises(VersionMismatchError), second.unit_of_work():
            second.update(todo.id, {"title": "second"}, expected_version=1)

        self.assertEqual(self.repository.get(todo.id).title, "first")

    def test_a_write_to_a_missing_row_is_not_found_even_with_a_version(self):
        for write in (
            lambda: self.repository.update(999999, {"title": "x"}, expected_version=1),
            lambda: self.repository.delete(999999, expected_version=1),
            lambda: self.repository.delete(999999),
        ):
            with self.assertRaises(NotFoundError), self.repository.unit_of_work():
                write()

    def test_delete_returns_the_row_it_removed(self):
        todo = self.stored("Temporary")

        with self.repository.unit_of_work():
            removed = self.repository.delete(todo.id)

        self.assertEqual(removed, todo)
        self.assertEqual(self.rows(), 0)

    def test_a_failed_write_rolls_back_and_leaves_the_table_unchanged(self):
        kept = self.stored("Kept")

        with self.assertRaises(DataError), self.repository.unit_of_work():
            self.repository.create({"title": "x" * 5000})  # longer than the column: the database refuses
        with self.assertRaises(DataError), self.repository.unit_of_work():
            self.repository.update(kept.id, {"title": "y" * 5000})

        self.assertEqual(self.rows(), 1)
        self.assertEqual(self.repository.get(kept.id).title, "Kept")

    def test_unknown_fields_are_refused_before_anything_is_written(self):
        with self.assertRaises(ValidationError) as raised:
            self.repository.create({"title": "ok", "owner": "nobody"})
        self.assertEqual(raised.exception.field, "owner")
        self.assertEqual(self.rows(), 0)
