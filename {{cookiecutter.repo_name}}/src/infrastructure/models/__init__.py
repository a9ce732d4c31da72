"""Models, imported here so that metadata (and migrations) see every table."""

from src.infrastructure.models.todo_model import TodoModel

__all__ = ["TodoModel"]
