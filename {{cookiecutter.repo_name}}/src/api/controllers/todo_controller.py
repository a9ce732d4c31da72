"""`/v1/todo`: the Todo example resource."""

from dependency_injector.wiring import Provide, inject
from flask.views import MethodView
from flask_smorest import Blueprint

from src.api.pagination import PAGINATION_HEADER_DOC, pagination_headers
from src.api.schemas.todo_schemas import TodoQuerySchema, TodoSchema, TodoUpdateSchema
from src.services.pagination import PageRequest
from src.services.todo_service import TodoService

blueprint = Blueprint("todo", __name__, url_prefix="/v1/todo", description="The Todo example resource.")
TODO_ID = "<int(max=2147483647):todo_id>"


@blueprint.route("")
class Todos(MethodView):
    @blueprint.arguments(TodoQuerySchema, location="query", as_kwargs=True)
    @blueprint.response(200, TodoSchema(many=True), headers=PAGINATION_HEADER_DOC)
    @inject
    def get(self, itemized, page, per_page, todo_service: TodoService = Provide["todo_service"], **filters):
        """List todos, a page at a time unless `itemized=true`."""
        if itemized:
            return todo_service.find(filters)
        result = todo_service.find_page(filters, PageRequest(page=page, per_page=per_page))
        return result.items, pagination_headers(result)

    @blueprint.arguments(TodoSchema)
    @blueprint.response(201, TodoSchema)
    @inject
    def post(self, data, todo_service: TodoService = Provide["todo_service"]):
        """Create a todo."""
        return todo_service.create(data)


@blueprint.route(f"/{TODO_ID}")
class TodoById(MethodView):
    @blueprint.response(200, TodoSchema)
    @inject
    def get(self, todo_id, todo_service: TodoService = Provide["todo_service"]):
        """Get one todo."""
        return todo_service.get(todo_id)

    @blueprint.arguments(TodoUpdateSchema)
    @blueprint.response(200, TodoSchema)
    @inject
    def patch(self, data, todo_id, todo_service: TodoService = Provide["todo_service"]):
        """Change some fields of a todo."""
        return todo_service.update(todo_id, data)

    @blueprint.response(204)
    @inject
    def delete(self, todo_id, todo_service: TodoService = Provide["todo_service"]):
        """Delete a todo."""
        todo_service.delete(todo_id)
