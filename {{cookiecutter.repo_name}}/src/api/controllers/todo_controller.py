"""`/v1/todo`: the operations on todos."""

from typing import Any

from dependency_injector.wiring import Provide
from flask.views import MethodView

from src.api.schemas.todo_schemas import TodoQuerySchema, TodoSchema
from src.domain.todo import Todo
from src.plumbing.api import Blueprint, ListQuery
from src.plumbing.services import ExpectedVersion, Page
from src.services.todo_service import TodoFilters, TodoService

blueprint = Blueprint("todo", __name__, url_prefix="/v1/todo", description="Todos.")


@blueprint.route("")
class Todos(MethodView):
    @blueprint.operation("listTodos", query=TodoQuerySchema, response=TodoSchema(many=True){% if cookiecutter.auth == "jwt" %}, scopes=["todo:read"]{% endif %})
    def get(
        self, query: ListQuery[TodoFilters], todo_service: TodoService = Provide["todo_service"]
    ) -> list[Todo] | Page[Todo]:
        """List todos, a page at a time unless `itemized=true`.

        Unknown query parameters are refused with 422, like unknown body fields.
        """
        return todo_service.get_all(query.filters, query.page)

    @blueprint.operation(
        "createTodo",
        body=TodoSchema,
        response=TodoSchema,
        status=201,
        conditional=True,
        links=blueprint.links_to_item("todo_id"),
{%- if cookiecutter.auth == "jwt" %}
        scopes=["todo:write"],
{%- endif %}
    )
    def post(self, todo: dict[str, Any], todo_service: TodoService = Provide["todo_service"]) -> Todo:
        """Create a todo.

        The answer's `ETag` is the one to send as `If-Match` to change or delete the new todo.
        """
        return todo_service.create(todo)


@blueprint.route("/<int(max=2147483647):todo_id>")
class TodoById(MethodView):
    @blueprint.operation("getTodo", response=TodoSchema, errors=[404], conditional=True{% if cookiecutter.auth == "jwt" %}, scopes=["todo:read"]{% endif %})
    def get(self, todo_id: int, todo_service: TodoService = Provide["todo_service"]) -> Todo:
        """Get one todo.

        The `ETag` header tags this version of the todo. With `If-None-Match` set to it, an unchanged todo
        answers 304 without a body.
        """
        return todo_service.get(todo_id)
{%- if cookiecutter.auth == "jwt" %}

    @blueprint.operation(
        "updateTodo",
        body=TodoSchema(partial=True),
        response=TodoSchema,
        errors=[404],
        conditional=True,
        scopes=["todo:write"],
    )
{%- else %}

    @blueprint.operation(
        "updateTodo", body=TodoSchema(partial=True), response=TodoSchema, errors=[404], conditional=True
    )
{%- endif %}
    def patch(
        self,
        changes: dict[str, Any],
        todo_id: int,
        expected_version: ExpectedVersion,
        todo_service: TodoService = Provide["todo_service"],
    ) -> Todo:
        """Change some fields of a todo.

        `If-Match` is required and must carry the todo's current `ETag` (from GET, POST or an earlier PATCH):
        without it the answer is 428, with an outdated one 412, so two clients never overwrite each other's
        changes unseen. `If-Match: *` accepts whatever version is current.
        """
        return todo_service.update(todo_id, changes, expected_version)

    @blueprint.operation("deleteTodo", status=204, errors=[404, 409], conditional=True{% if cookiecutter.auth == "jwt" %}, scopes=["todo:write"]{% endif %})
    def delete(
        self, todo_id: int, expected_version: ExpectedVersion, todo_service: TodoService = Provide["todo_service"]
    ) -> None:
        """Delete a todo; 409 while other rows still refer to it.

        `If-Match` works as for PATCH: required (428 without it), 412 when the todo changed since that `ETag`.
        """
        todo_service.delete(todo_id, expected_version)
