"""The composition root: which implementation serves each port."""

from dependency_injector import containers, providers

from src.infrastructure.databases import sqlalchemy_db
from src.infrastructure.databases.database_probe import DatabaseProbe
from src.infrastructure.repositories.service_context_repository import SQLServiceContextRepository
from src.infrastructure.repositories.todo_repository import SQLTodoRepository
from src.services.health_service import HealthService
from src.services.service_context_service import ServiceContextService
from src.services.todo_service import TodoService


class DependencyContainer(containers.DeclarativeContainer):
    # Where views and commands ask for their services with `Provide[...]`.
    wiring_config = containers.WiringConfiguration(packages=["src.api.controllers", "src.cli"])

    # Flask-SQLAlchemy's session of the current app context: the repositories of one request share it,
    # so the unit of work of a use case covers every repository it calls.
    session = providers.Object(sqlalchemy_db.session)

    todo_repository = providers.Factory(SQLTodoRepository, session=session)
    todo_service = providers.Factory(TodoService, repository=todo_repository)

    service_context_repository = providers.Factory(SQLServiceContextRepository, session=session)
    service_context_service = providers.Factory(ServiceContextService, repository=service_context_repository)

    database_probe = providers.Singleton(DatabaseProbe)
    health_service = providers.Factory(HealthService, probes=providers.List(database_probe))
