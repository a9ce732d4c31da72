"""TodoService against an in-memory repository: the use cases without a database."""

import unittest

from src.domain.todo import Todo
from src.plumbing.domain import NotFoundError, ValidationError, VersionMismatchError
from src.plumbing.services import Page, PageRequest
from src.services.todo_service import TodoFilters, TodoService
{%- if cookiecutter.worker == "y" %}
from tests.services.fake_outbox import FakeOutbox
{%- endif %}
from tests.services.fake_repository import FakeRepository


class TodoServiceTest(unittest.TestCase):
    def setUp(self) -> None:
        self.repository = FakeRepository(Todo)
        self.service = TodoService(self.repository{% if cookiecutter.worker == "y" %}, FakeOutbox(self.repository.database){% endif %})

    def titles(self, todos) -> list[str]:
        return [todo.title for todo in todos]

    def test_create_returns_the_stored_todo_in_its_own_unit_of_work(self):
        todo = self.service.create({"title": "Write tests"})

        self.assertEqual((todo.title, todo.completed, todo.version), ("Write tests", False, 1))
        self.assertEqual(self.service.get(todo.id), todo)
        self.assertEqual(self.repository.transactions.commits, 2)

    def test_create_refuses_a_blank_or_missing_title_and_stores_nothing(self):
        for data in ({"title": "   "}, {"description": "no title"}):
            with self.subTest(data=data), self.assertRaises(ValidationError) as raised:
                self.service.create(data)
            self.assertEqual(raised.exception.field, "title")
        self.assertEqual(self.repository.rows, {})

    def test_update_refuses_a_blank_title_and_keeps_the_old_one(self):
        todo = self.service.create({"title": "Keep me"})

        with self.assertRaises(ValidationError):
            self.service.update(todo.id, {"title": ""})
        self.assertEqual(self.service.get(todo.id).title, "Keep me")

    def test_update_changes_only_the_given_fields_and_bumps_the_version(self):
        todo = self.service.create({"title": "Old", "description": "stays"})

        updated = self.service.update(todo.id, {"completed": True})

        self.assertEqual((updated.title, updated.description, updated.completed), ("Old", "stays", True))
        self.assertEqual(updated.version, 2)

    def test_an_update_without_changes_returns_the_todo_as_it_is(self):
        todo = self.service.create({"title": "Same"})

        self.assertEqual(self.service.update(todo.id, {}, expected_version=1), todo)

    def test_a_change_based_on_an_outdated_version_is_refused(self):
        todo = self.service.create({"title": "v1"})
        self.service.update(todo.id, {"title": "v2"}, expected_version=todo.version)

        with self.assertRaises(VersionMismatchError):
            self.service.update(todo.id, {"title": "lost"}, expected_version=todo.version)
        with self.assertRaises(VersionMismatchError):
            self.service.delete(todo.id, expected_version={todo.version})
        self.assertEqual(self.service.get(todo.id).title, "v2")

    def test_any_of_several_expected_versions_will_do(self):
        todo = self.service.create({"title": "v1"})

        self.assertEqual(self.service.update(todo.id, {"title": "v2"}, expected_version={7, 1}).title, "v2")

    def test_delete_returns_the_removed_todo(self):
        todo = self.service.create({"title": "gone"})

        self.assertEqual(self.service.delete(todo.id), todo)
        self.assertFalse(self.service.exists(TodoFilters(title="gone")))

    def test_get_and_delete_of_a_missing_todo_raise_not_found(self):
        with self.assertRaises(NotFoundError):
            self.service.get(42)
        with self.assertRaises(NotFoundError):
            self.service.delete(42, expected_version=1)

    def test_find_is_the_first_match_and_exists_and_count_agree(self):
        self.service.create({"title": "a"})
        second = self.service.create({"title": "b"})
        self.service.create({"title": "b"})

        self.assertEqual(self.service.find(TodoFilters(title="b")), second)
        self.assertTrue(self.service.exists(TodoFilters(title="b")))
        self.assertEqual((self.service.count(TodoFilters(title="b")), self.service.count()), (2, 3))
        with self.assertRaises(NotFoundError):
            self.service.find(TodoFilters(title="c"))

    def test_get_all_is_a_list_unless_a_page_is_asked_for(self):
        for number in range(5):
            self.service.create({"title": f"todo {number}"})

        self.assertEqual(len(self.service.get_all()), 5)
        page = self.service.get_all(TodoFilters(), PageRequest(2, 2))

        self.assertIsInstance(page, Page)
        self.assertEqual((self.titles(page.items), page.total), (["todo 2", "todo 3"], 5))

    def test_a_short_last_page_needs_no_count(self):
        for number in range(3):
            self.service.create({"title": f"todo {number}"})

        page = self.service.get_all(TodoFilters(), PageRequest(2, 2))

        self.assertEqual((len(page.items), page.total), (1, 3))
        self.assertEqual(self.repository.count_calls, 0)

    def test_a_page_past_the_end_is_empty_and_still_reports_the_total(self):
        self.service.create({"title": "only one"})

        page = self.service.get_all(TodoFilters(), PageRequest(9, 10))

        self.assertEqual((page.items, page.total), ([], 1))

    def test_delete_all_needs_filters_and_deletes_only_matches(self):
        for title in ("a", "b", "a"):
            self.service.create({"title": title})

        with self.assertRaises(ValueError):
            self.service.delete_all(TodoFilters())
        self.assertEqual(self.service.delete_all(TodoFilters(title="a")), 2)
        self.assertEqual(self.titles(self.service.get_all()), ["b"])


class TwoWritesService(TodoService):
    """A use case that writes twice: the second todo's title breaks a rule only the storage checks."""

    def create_pair(self, first: dict, second: dict) -> None:
        with self.unit_of_work:
            self.repository.create(first)
            if not second.get("title"):
                raise ValidationError("The second todo needs a title.", field="title")
            self.repository.create(second)


class UnitOfWorkTest(unittest.TestCase):
    def test_a_failing_second_write_leaves_no_trace_of_the_first(self):
        repository = FakeRepository(Todo)
        service = TwoWritesService(repository{% if cookiecutter.worker == "y" %}, FakeOutbox(repository.database){% endif %})

        with self.assertRaises(ValidationError):
            service.create_pair({"title": "first"}, {"title": ""})

        self.assertEqual(repository.rows, {})
        self.assertEqual(repository.transactions.commits, 0)
