"""The composition root: which implementation serves each port."""

from dependency_injector import providers

from src.infrastructure.repositories.todo_repository import SQLTodoRepository
from src.plumbing.container import PlumbingContainer
from src.services.todo_service import TodoService


class DependencyContainer(PlumbingContainer):
    """Views ask for a provider by its name (`Provide["todo_service"]`); `PlumbingContainer` adds the template's."""

    todo_repository = providers.Factory(SQLTodoRepository, session=PlumbingContainer.session)
    todo_service = providers.Factory(TodoService, repository=todo_repository{% if cookiecutter.worker == "y" %}, outbox=PlumbingContainer.outbox{% endif %})
