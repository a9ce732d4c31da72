"""A list's query string derived from a `Filters` declaration: ranges and membership, typed, refused when wrong.

A blueprint of this test's own lists todos with filters the project's Todo list does not have.
"""

from dataclasses import dataclass
from datetime import datetime

from dependency_injector.wiring import Provide
from flask.views import MethodView

from src.api.schemas.todo_schemas import TodoSchema
from src.plumbing.api import Blueprint, list_query
from src.plumbing.services import Filters, at_least, less_than, one_of
from src.services.todo_service import TodoService
from tests.resources.app_test_base import AppTestBase

search = Blueprint("todo_search", __name__, url_prefix="/v1/todo-search")


@dataclass(frozen=True)
class SearchFilters(Filters):
    titles: tuple[str, ...] | None = one_of("title")
    id_from: int | None = at_least("id")
    created_before: datetime | None = less_than("created_at")


SearchQuerySchema = list_query(TodoSchema, SearchFilters)


@search.route("")
class SearchTodos(MethodView):
    @search.operation(query=SearchQuerySchema, response=TodoSchema(many=True))
    def get(self, query, todo_service: TodoService = Provide["todo_service"]):
        """Search todos."""
        return todo_service.get_all(query.filters, query.page)


class ListFiltersTest(AppTestBase):
    blueprints = (search,)

    def setUp(self) -> None:
        self.setup_database()
        self.ids = [self.client.post("/v1/todo", json={"title": title}).json["id"] for title in "abcab"]

    def titles(self, query: str) -> list[str]:
        answer = self.client.get(f"/v1/todo-search?itemized=true&{query}")
        self.assert200(answer)
        return [todo["title"] for todo in answer.json]

    def test_membership_and_ranges_filter_the_list(self):
        self.assertEqual(self.titles("titles=a&titles=c"), ["a", "c", "a"])
        self.assertEqual(self.titles(f"id_from={self.ids[3]}"), ["a", "b"])
        self.assertEqual(self.titles(f"titles=b&id_from={self.ids[2]}"), ["b"])
        self.assertEqual(self.titles("created_before=2000-01-01T00:00:00Z"), [])
        self.assertEqual(len(self.titles("created_before=2999-01-01T00:00:00%2B02:00")), 5)

    def test_a_page_of_filtered_todos_carries_its_pagination_header(self):
        answer = self.client.get("/v1/todo-search?titles=a&titles=b&page=2&per_page=3")

        self.assert200(answer)
        self.assertEqual([todo["title"] for todo in answer.json], ["b"])
        self.assertIn('"total": 4', answer.headers["X-Pagination"])

    def test_values_of_the_wrong_type_or_size_are_refused_with_422_and_change_nothing(self):
        for query in (
            "id_from=one",
            "created_before=2026-01-01T00:00:00",
            "created_before=yesterday",
            f"titles={'x' * 201}",
            "title=a",
        ):
            with self.subTest(query=query):
                answer = self.client.get(f"/v1/todo-search?{query}")
                self.assertEqual(answer.status_code, 422, answer.data)
                self.assertEqual(answer.json["code"], 422)
        self.assertEqual(len(self.titles("")), 5)

    def test_a_number_beyond_any_id_is_a_filter_that_keeps_nothing_not_an_error(self):
        self.assertEqual(self.titles(f"id_from={10**30}"), [])

    def test_the_document_lists_each_filter_with_its_type_and_meaning(self):
        operation = self.client.get("/openapi.json").json["paths"]["/v1/todo-search"]["get"]
        parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}

        self.assertEqual(parameters["titles"]["schema"]["type"], "array")
        self.assertIn("one of these", parameters["titles"]["description"])
        self.assertEqual(parameters["id_from"]["schema"]["type"], "integer")
        self.assertIn("`id` is this or greater", parameters["id_from"]["description"])
        self.assertEqual(parameters["created_before"]["schema"]["format"], "date-time")
        self.assertTrue({"page", "per_page", "itemized"} <= set(parameters))
