"""SQL storage of todos."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Select

from src.domain.todo import Todo
from src.infrastructure.models.todo_model import TodoModel
from src.infrastructure.repositories.repository import Repository


class SQLTodoRepository(Repository):
    base_class = TodoModel
    entity_class = Todo
    DEFAULT_NOT_FOUND_MESSAGE = "Todo not found."

    def _apply_query_params(self, query: Select, query_params: Mapping[str, Any]) -> Select:
        title = self.get_query_param("title", query_params)
        if title:
            query = query.filter_by(title=title)
        return query
