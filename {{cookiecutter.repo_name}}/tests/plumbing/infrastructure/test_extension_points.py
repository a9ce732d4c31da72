"""The reference README's examples, at the paths it names: `ModelExtension.repr`, `Repository`, `RepositoryService`."""

from dataclasses import dataclass

from sqlalchemy import select

from src.infrastructure.models import TodoModel
from src.infrastructure.models.model_extension import ModelExtension
from src.infrastructure.repositories import Repository
from src.plumbing.domain import Entity, NotFoundError, ValidationError
from src.plumbing.infrastructure import sqlalchemy_db
from src.plumbing.services import Page
from src.services.repository_service import RepositoryService
from tests.resources.app_test_base import AppTestBase


class MyExampleRepository(Repository):
    base_class = TodoModel
    DEFAULT_NOT_FOUND_MESSAGE = "Todo was not found"

    def _apply_query_params(self, query, query_params):
        completed = self.get_query_param("completed", query_params)
        if completed is not None:
            query = query.filter_by(completed=completed)
        return query


class MyExampleService(RepositoryService):
    pass


@dataclass(frozen=True)
class TodoHeadline(Entity):
    id: int | None = None
    title: str = ""


class TodoHeadlineRepository(MyExampleRepository):
    entity_class = TodoHeadline


@dataclass(frozen=True)
class LoudTodo(Entity):
    id: int
    loud_title: str


class LoudTodoRepository(Repository):
    base_class = TodoModel
    entity_class = LoudTodo


class CompletedByTitleRepository(Repository):
    """Declared equality filters and a hand-written one together."""

    base_class = TodoModel
    filter_columns = ("title",)

    def _apply_query_params(self, query, query_params):
        query = super()._apply_query_params(query, query_params)
        completed = self.get_query_param("completed", query_params)
        return query if completed is None else query.where(TodoModel.completed == completed)


class NewestFirstRepository(Repository):
    base_class = TodoModel

    def _apply_query_params(self, query, query_params):
        return query.order_by(TodoModel.created_at.desc())


class ExtensionPointsTest(AppTestBase):
    def setUp(self) -> None:
        self.setup_database()
        self.session = sqlalchemy_db.session
        self.service = MyExampleService(MyExampleRepository(self.session))

    def create(self, *titles_and_completed) -> list:
        return [
            self.service.create({"title": title, "completed": completed}) for title, completed in titles_and_completed
        ]

    def test_the_reference_operations_keep_their_meanings(self):
        first, _, third = self.create(("a", False), ("b", True), ("c", True))

        self.assertEqual(self.service.get(first.id), first)
        self.assertEqual(self.service.find({"completed": True}).title, "b")
        self.assertTrue(self.service.exists({"completed": False}))
        self.assertEqual((self.service.count({"completed": True}), self.service.count()), (2, 3))
        self.assertEqual([todo.title for todo in self.service.get_all({"completed": True})], ["b", "c"])
        self.assertEqual(self.service.update(third.id, {"title": "C"}).title, "C")
        self.assertEqual(self.service.delete(first.id).title, "a")
        self.assertEqual(self.service.delete_all({"completed": True}), 2)
        self.assertEqual(self.service.count(), 0)

    def test_a_repository_built_without_a_session_uses_the_apps(self):
        """`MyExampleService(MyExampleRepository())`, inside an app context, as the reference README implies."""
        service = MyExampleService(MyExampleRepository())

        created = service.create({"title": "no session given", "completed": True})

        self.assertIs(service.repository.session, sqlalchemy_db.session)
        self.assertEqual(self.service.find({"completed": True}), created)

    def test_not_found_uses_the_repository_message(self):
        for call in (lambda: self.service.get(123456), lambda: self.service.find({"completed": True})):
            with self.assertRaises(NotFoundError) as raised:
                call()
            self.assertEqual(raised.exception.message, "Todo was not found")
        self.assertFalse(self.service.exists({"completed": True}))

    def test_delete_all_refuses_to_run_without_parameters(self):
        self.create(("kept", False))

        for query_params in (None, {}):
            with self.subTest(query_params=query_params), self.assertRaises(ValueError):
                self.service.delete_all(query_params)
        self.assertEqual(self.service.count(), 1)

    def test_get_all_pages_when_asked_and_counts_only_when_it_must(self):
        self.create(*[(f"todo {number}", number % 2 == 0) for number in range(5)])

        page = self.service.get_all({"page": 2, "per_page": 2})
        last = self.service.get_all({"page": 3, "per_page": 2})
        filtered = self.service.get_all({"completed": True, "page": 1, "per_page": 2})

        self.assertIsInstance(page, Page)
        self.assertEqual(([todo.title for todo in page.items], page.total), (["todo 2", "todo 3"], 5))
        self.assertEqual(([todo.title for todo in last.items], last.total), (["todo 4"], 5))
        self.assertEqual((len(filtered.items), filtered.total), (2, 3))

    def test_without_entity_class_services_receive_a_record_of_every_column(self):
        todo = self.service.create({"title": "record"})

        self.assertEqual(type(todo).__name__, "TodoModelRecord")
        self.assertEqual((todo.title, todo.completed, todo.version), ("record", False, 1))
        self.assertIsNotNone(todo.created_at)

    def test_an_entity_may_name_some_of_the_columns(self):
        repository = TodoHeadlineRepository(self.session)
        with repository.unit_of_work():
            created = repository.create({"title": "headline", "completed": True})

        self.assertEqual(created, TodoHeadline(id=created.id, title="headline"))
        self.assertEqual(repository.get_all({"completed": True}), [created])

    def test_an_entity_field_that_is_not_a_column_is_refused_by_name(self):
        with self.assertRaisesRegex(TypeError, "LoudTodo.loud_title"):
            LoudTodoRepository(self.session)

    def test_a_field_the_model_does_not_have_is_refused_and_nothing_is_written(self):
        todo = self.service.create({"title": "kept"})

        for repository in (MyExampleRepository(self.session), TodoHeadlineRepository(self.session)):
            with self.subTest(type(repository).__name__), self.assertRaises(ValidationError):
                repository.create({"title": "extra", "no_such_column": 1})
            with self.subTest(type(repository).__name__), self.assertRaises(ValidationError):
                repository.update(todo.id, {"no_such_column": 1})
        self.assertEqual([found.title for found in self.service.get_all()], ["kept"])

    def test_model_repr_uses_the_repr_helper(self):
        todo = self.service.create({"title": "shown"})

        model = self.session.scalars(select(TodoModel)).one()

        self.assertIsInstance(model, ModelExtension)
        self.assertEqual(repr(model), f"<TodoModel id={todo.id}, title='shown'>")

    def test_filter_columns_and_apply_query_params_filter_together(self):
        self.create(("a", True), ("a", False), ("b", True), ("a", True))
        repository = CompletedByTitleRepository(self.session)

        for params, expected in [
            ({"title": "a", "completed": True}, 2),
            ({"title": "a"}, 3),
            ({"completed": True}, 3),
            ({"title": "b", "completed": False}, 0),
            ({"title": None}, 4),
            ({}, 4),
        ]:
            with self.subTest(params):
                self.assertEqual(len(repository.get_all(params)), expected)
                self.assertEqual(len(repository.get_all({**params, "page": 1, "per_page": 10}).items), expected)
                self.assertEqual(repository.count(params), expected)

    def test_a_listing_ordered_by_apply_query_params_still_counts(self):
        first, second = self.create(("first", False), ("second", False))

        repository = NewestFirstRepository(self.session)

        self.assertEqual([todo.id for todo in repository.get_all()], [second.id, first.id])
        self.assertEqual(repository.count(), 2)

    def test_get_query_param_reads_a_value_or_a_default(self):
        self.assertEqual(Repository.get_query_param("a", {"a": 1}), 1)
        self.assertIsNone(Repository.get_query_param("a", None))
        self.assertEqual(Repository.get_query_param("a", {}, default=2), 2)
