"""The team's repositories: SQL implementations of the services' ports, on the template's `Repository`."""

from src.infrastructure.repositories.repository import Repository
from src.infrastructure.repositories.todo_repository import SQLTodoRepository

__all__ = ["Repository", "SQLTodoRepository"]
