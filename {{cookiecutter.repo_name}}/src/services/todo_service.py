"""Use cases of todos."""

from src.services.repository_service import RepositoryService


class TodoService(RepositoryService):
    """Create, read, change and delete todos; `Todo.validate` holds their rules."""
