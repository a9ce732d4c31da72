"""TodoService against an in-memory repository: the use cases without a database."""

import unittest

from src.domain.errors import NotFoundError, ValidationError, VersionMismatchError
from src.domain.todo import Todo
from src.services.pagination import PageRequest
from src.services.todo_service import TodoService
from tests.services.fake_repository import FakeRepository


class TodoServiceTest(unittest.TestCase):
    def setUp(self) -> None:
        self.repository = FakeRepository(Todo)
        self.service = TodoService(self.repository)

    def test_create_returns_the_stored_todo(self):
        todo = self.service.create({"title": "Write tests"})

        self.assertEqual(todo.title, "Write tests")
        self.assertFalse(todo.completed)
        self.assertEqual(self.service.get(todo.id), todo)

    def test_create_rejects_a_blank_title_and_stores_nothing(self):
        with self.assertRaises(ValidationError):
            self.service.create({"title": "   "})
        self.assertEqual(self.repository.rows, {})

    def test_update_rejects_a_blank_title_and_keeps_the_old_one(self):
        todo = self.service.create({"title": "Keep me"})

        with self.assertRaises(ValidationError):
            self.service.update(todo.id, {"title": ""})
        self.assertEqual(self.service.get(todo.id).title, "Keep me")

    def test_update_changes_only_the_given_fields(self):
        todo = self.service.create({"title": "Old", "description": "stays"})

        updated = self.service.update(todo.id, {"completed": True})

        self.assertEqual((updated.title, updated.description, updated.completed), ("Old", "stays", True))

    def test_a_change_based_on_an_outdated_version_is_refused(self):
        todo = self.service.create({"title": "v1"})
        self.service.update(todo.id, {"title": "v2"}, expected_version=todo.version)

        with self.assertRaises(VersionMismatchError):
            self.service.update(todo.id, {"title": "lost"}, expected_version=todo.version)
        with self.assertRaises(VersionMismatchError):
            self.service.delete(todo.id, expected_version=todo.version)
        self.assertEqual(self.service.get(todo.id).title, "v2")

    def test_get_and_delete_of_a_missing_todo_raise_not_found(self):
        with self.assertRaises(NotFoundError):
            self.service.get(42)
        with self.assertRaises(NotFoundError):
            self.service.delete(42)

    def test_find_page_counts_the_total(self):
        for number in range(5):
            self.service.create({"title": f"todo {number}"})

        page = self.service.find_page({}, PageRequest(page=2, per_page=2))

        self.assertEqual([todo.title for todo in page.items], ["todo 2", "todo 3"])
        self.assertEqual(page.total, 5)

    def test_a_short_last_page_needs_no_count_query(self):
        for number in range(3):
            self.service.create({"title": f"todo {number}"})

        page = self.service.find_page({}, PageRequest(page=2, per_page=2))

        self.assertEqual((len(page.items), page.total), (1, 3))
        self.assertEqual(self.repository.count_calls, 0)

    def test_a_page_past_the_end_is_empty_and_still_reports_the_total(self):
        self.service.create({"title": "only one"})

        page = self.service.find_page({}, PageRequest(page=9, per_page=10))

        self.assertEqual((page.items, page.total), ([], 1))

    def test_find_filters_by_query_params(self):
        self.service.create({"title": "a"})
        self.service.create({"title": "b"})

        self.assertEqual([todo.title for todo in self.service.find({"title": "b"})], ["b"])
