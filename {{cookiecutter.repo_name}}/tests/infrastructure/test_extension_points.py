"""The base classes work as the README shows: `ModelExtension.repr`, `Repository` and `RepositoryService`."""

from dataclasses import dataclass

from src.domain.errors import ValidationError
from src.infrastructure.models import TodoModel
from src.infrastructure.repositories.repository import Repository
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

    def test_get_query_param_reads_a_value_or_a_default(self):
        self.assertEqual(Repository.get_query_param("a", {"a": 1}), 1)
        self.assertIsNone(Repository.get_query_param("a", None))
        self.assertEqual(Repository.get_query_param("a", {}, default=2), 2)
