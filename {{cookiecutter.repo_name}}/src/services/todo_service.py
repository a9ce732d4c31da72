"""Use cases of todos."""

from src.plumbing.services import RepositoryService


class TodoService(RepositoryService):
    """Create, read, change and delete todos; `Todo.validate` holds their rules."""
