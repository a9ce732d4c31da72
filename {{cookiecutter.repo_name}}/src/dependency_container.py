"""The composition root: which implementation serves each port."""

from dependency_injector import providers
{% if cookiecutter.worker == "y" %}
from src.infrastructure.repositories.notification_repository import SQLNotificationRepository
{%- endif %}
from src.infrastructure.repositories.todo_repository import SQLTodoRepository
from src.plumbing.container import PlumbingContainer
{%- if cookiecutter.worker == "y" %}
from src.services.notification_service import NotificationService
{%- endif %}
from src.services.todo_service import TodoService


class DependencyContainer(PlumbingContainer):
    """Views ask for a provider by its name (`Provide["todo_service"]`); `PlumbingContainer` adds the template's."""

    todo_repository = providers.Factory(SQLTodoRepository, session=PlumbingContainer.session)
    todo_service = providers.Factory(TodoService, repository=todo_repository{% if cookiecutter.worker == "y" %}, outbox=PlumbingContainer.outbox{% endif %})
{%- if cookiecutter.worker == "y" %}

    notification_repository = providers.Factory(SQLNotificationRepository, session=PlumbingContainer.session)
    notification_service = providers.Factory(NotificationService, repository=notification_repository)
{%- endif %}
