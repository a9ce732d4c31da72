"""`/v1/todo`: the Todo example resource."""

from dependency_injector.wiring import Provide, inject
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from src.api.documentation_only import documentation_only
from src.api.error_responses import BODY_ERRORS, documents_errors
from src.api.etags import documents_etag, etag_headers, require_current_version
from src.api.pagination import PAGINATION_HEADER_DOC, pagination_headers
from src.api.schemas.todo_schemas import TodoQuerySchema, TodoSchema, TodoUpdateSchema
from src.services.pagination import PageRequest
from src.services.todo_service import TodoService

blueprint = Blueprint("todo", __name__, url_prefix="/v1/todo", description="The Todo example resource.")
TODO_ID = "<int(max=2147483647):todo_id>"
TODO_BY_ID = "#/paths/~1v1~1todo~1{todo_id}"


def next_calls(todo_id: str) -> dict:
    """OpenAPI links from an answer to the calls a client makes next on the same todo, with its ETag."""
    conditional = {"todo_id": todo_id, "header.If-Match": "$response.header.ETag"}
    return {
        "GetTodo": {"operationRef": f"{TODO_BY_ID}/get", "parameters": {"todo_id": todo_id}},
        "ChangeTodo": {"operationRef": f"{TODO_BY_ID}/patch", "parameters": conditional},
        "DeleteTodo": {"operationRef": f"{TODO_BY_ID}/delete", "parameters": conditional},
    }


@blueprint.route("")
class Todos(MethodView):
    @blueprint.arguments(TodoQuerySchema(), location="query", unknown=RAISE, as_kwargs=True)
    @blueprint.response(200, TodoSchema(many=True), headers=PAGINATION_HEADER_DOC)
    @documents_errors(blueprint, 422, 503)
    @inject
    def get(self, itemized, page, per_page, todo_service: TodoService = Provide["todo_service"], **filters):
        """List todos, a page at a time unless `itemized=true`.

        Unknown query parameters are refused with 422, like unknown body fields.
        """
        if itemized:
            return todo_service.find(filters)
        result = todo_service.find_page(filters, PageRequest(page=page, per_page=per_page))
        return result.items, pagination_headers(result)

    @blueprint.arguments(TodoSchema())
    @blueprint.response(201, TodoSchema)
    @documents_etag(blueprint)
    @documents_errors(blueprint, *BODY_ERRORS, 503)
    @documentation_only(blueprint.doc(responses={201: {"links": next_calls("$response.body#/id")}}))
    @inject
    def post(self, data, todo_service: TodoService = Provide["todo_service"]):
        """Create a todo.

        The answer's `ETag` is the one to send as `If-Match` to change or delete the new todo.
        """
        todo = todo_service.create(data)
        return todo, etag_headers(todo)


@blueprint.route(f"/{TODO_ID}")
class TodoById(MethodView):
    @blueprint.response(200, TodoSchema)
    @documents_etag(blueprint)
    @documents_errors(blueprint, 404, 503)
    @documentation_only(blueprint.doc(responses={200: {"links": next_calls("$request.path.todo_id")}}))
    @inject
    def get(self, todo_id, todo_service: TodoService = Provide["todo_service"]):
        """Get one todo.

        The `ETag` header tags this version of the todo. With `If-None-Match` set to it, an unchanged todo
        answers 304 without a body.
        """
        todo = todo_service.get(todo_id)
        return todo, etag_headers(todo)

    @blueprint.arguments(TodoUpdateSchema())
    @blueprint.response(200, TodoSchema)
    @documents_etag(blueprint)
    @documents_errors(blueprint, *BODY_ERRORS, 404, 503)
    @documentation_only(blueprint.doc(responses={200: {"links": next_calls("$request.path.todo_id")}}))
    @inject
    def patch(self, data, todo_id, todo_service: TodoService = Provide["todo_service"]):
        """Change some fields of a todo.

        `If-Match` is required and must carry the todo's current `ETag` (from GET, POST or an earlier PATCH):
        without it the answer is 428, with an outdated one 412, so two clients never overwrite each other's
        changes unseen. `If-Match: *` accepts whatever version is current.
        """
        updated = todo_service.update(todo_id, data, precondition=require_current_version)
        return updated, etag_headers(updated)

    @blueprint.response(204)
    @documents_etag(blueprint)
    @documents_errors(blueprint, 404, 503)
    @inject
    def delete(self, todo_id, todo_service: TodoService = Provide["todo_service"]):
        """Delete a todo.

        `If-Match` works as for PATCH: required (428 without it), 412 when the todo changed since that `ETag`.
        """
        todo_service.delete(todo_id, precondition=require_current_version)
