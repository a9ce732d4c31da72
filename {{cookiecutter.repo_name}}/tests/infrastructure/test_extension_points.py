"""The base classes work as the README shows: `ModelExtension.repr`, `Repository` and `RepositoryService`."""

from dataclasses import dataclass

from src.domain.errors import ValidationError
from src.infrastructure.models import TodoModel
from src.infrastructure.repositories.repository import Repository
from src.services.pagination import PageRequest
from src.services.repository_service import RepositoryService
from tests.resources.app_test_base import AppTestBase


class CompletedTodoRepository(Repository):
    base_class = TodoModel
    DEFAULT_NOT_FOUND_MESSAGE = "Todo was not found"

    def _apply_query_params(self, query, query_params):
        completed = self.get_query_param("completed", query_params)
        if completed is not None:
            query = query.filter_by(completed=completed)
        return query


class CompletedTodoService(RepositoryService):
    pass


@dataclass
class TodoHeadline:
    id: int
    title: str


class TodoHeadlineRepository(CompletedTodoRepository):
    entity_class = TodoHeadline


@dataclass
class LoudTodo:
    id: int
    loud_title: str


class LoudTodoRepository(CompletedTodoRepository):
    entity_class = LoudTodo


class CompletedByTitleRepository(CompletedTodoRepository):
    """Both kinds of filter at once: a declared equality filter and a hand-written one."""

    filter_columns = ("title",)


class NewestFirstRepository(Repository):
    base_class = TodoModel

    def _apply_query_params(self, query, query_params):
        return query.order_by(TodoModel.created_at.desc())


class ExtensionPointsTest(AppTestBase):
    def setUp(self) -> None:
        self.setup_database()
        self.service = CompletedTodoService(CompletedTodoRepository())

    def test_a_repository_without_entity_class_returns_models_and_applies_its_filters(self):
        self.service.create({"title": "open"})
        self.service.create({"title": "done", "completed": True})

        done = self.service.find({"completed": True})

        self.assertEqual([todo.title for todo in done], ["done"])
        self.assertIsInstance(done[0], TodoModel)

    def test_find_fills_an_entity_that_names_some_of_the_columns(self):
        self.service.create({"title": "open"})
        done = self.service.create({"title": "done", "completed": True})

        found = TodoHeadlineRepository().find({"completed": True})

        self.assertEqual(found, [TodoHeadline(id=done.id, title="done")])

    def test_create_and_get_fill_an_entity_that_names_some_of_the_columns(self):
        repository = TodoHeadlineRepository()
        created = repository.create({"title": "headline", "completed": True})

        self.assertEqual(created, TodoHeadline(id=created.id, title="headline"))
        self.assertEqual(repository.get(created.id), created)
        self.assertEqual(self.service.get(created.id).version, 1)

    def test_an_entity_field_that_is_not_a_column_is_read_from_the_model(self):
        TodoModel.loud_title = property(lambda model: model.title.upper())
        self.addCleanup(delattr, TodoModel, "loud_title")
        repository = LoudTodoRepository()
        todo = repository.create({"title": "quiet"})

        self.assertEqual(todo, LoudTodo(id=todo.id, loud_title="QUIET"))
        self.assertEqual(repository.get(todo.id), todo)
        self.assertEqual(repository.find({}), [todo])

    def test_a_field_the_model_does_not_have_is_refused_and_nothing_is_written(self):
        todo = self.service.create({"title": "kept"})

        for repository in (CompletedTodoRepository(), TodoHeadlineRepository()):
            with self.subTest(type(repository).__name__), self.assertRaises(ValidationError):
                repository.create({"title": "extra", "priority": 1})
            with self.subTest(type(repository).__name__), self.assertRaises(ValidationError):
                repository.update(todo.id, {"priority": 1})
        self.assertEqual([found.title for found in self.service.find({})], ["kept"])

    def test_model_repr_uses_the_repr_helper(self):
        todo = self.service.create({"title": "shown"})

        self.assertEqual(repr(todo), f"<TodoModel id={todo.id}, title='shown', completed=False>")

    def test_filter_columns_and_apply_query_params_filter_together(self):
        for title, completed in [("a", True), ("a", False), ("b", True), ("a", True)]:
            self.service.create({"title": title, "completed": completed})
        repository = CompletedByTitleRepository()

        for params, expected in [
            ({"title": "a", "completed": True}, 2),
            ({"title": "a"}, 3),
            ({"completed": True}, 3),
            ({"title": "b", "completed": False}, 0),
            ({"title": None}, 4),
            ({}, 4),
        ]:
            with self.subTest(params):
                self.assertEqual(len(repository.find(params)), expected)
                self.assertEqual(len(repository.find(params, PageRequest(page=1, per_page=10))), expected)
                self.assertEqual(repository.count(params), expected)

    def test_a_listing_ordered_by_apply_query_params_still_counts(self):
        first = self.service.create({"title": "first"})
        second = self.service.create({"title": "second"})

        repository = NewestFirstRepository()

        self.assertEqual([todo.id for todo in repository.find({})], [second.id, first.id])
        self.assertEqual(repository.count({}), 2)

    def test_filter_columns_naming_no_column_is_refused_with_the_name(self):
        class Misnamed(Repository):
            base_class = TodoModel
            filter_columns = ("colour",)

        with self.assertRaisesRegex(TypeError, "'colour'"):
            Misnamed().find({"colour": "red"})

    def test_get_query_param_reads_a_value_or_a_default(self):
        self.assertEqual(Repository.get_query_param("a", {"a": 1}), 1)
        self.assertIsNone(Repository.get_query_param("a", None))
        self.assertEqual(Repository.get_query_param("a", {}, default=2), 2)
