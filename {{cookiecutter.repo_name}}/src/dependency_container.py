"""The composition root: which implementation serves each port."""

from dependency_injector import containers, providers

from src.infrastructure.repositories.todo_repository import SQLTodoRepository
from src.services.todo_service import TodoService


class DependencyContainer(containers.DeclarativeContainer):
    wiring_config = containers.WiringConfiguration(packages=["src.api"])

    todo_repository = providers.Factory(SQLTodoRepository)
    todo_service = providers.Factory(TodoService, repository=todo_repository)
