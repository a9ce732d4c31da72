"""SQL storage of todos."""

from src.domain.todo import Todo
from src.infrastructure.models.todo_model import TodoModel
from src.plumbing.infrastructure import Repository


class SQLTodoRepository(Repository[Todo]):
    base_class = TodoModel
    entity_class = Todo
    DEFAULT_NOT_FOUND_MESSAGE = "Todo not found."
