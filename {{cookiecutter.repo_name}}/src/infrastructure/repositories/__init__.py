"""Repositories: SQLAlchemy implementations of the services' repository port."""

from src.infrastructure.repositories.repository import Repository
from src.infrastructure.repositories.todo_repository import SQLTodoRepository

__all__ = ["Repository", "SQLTodoRepository"]
