"""Models, imported here so that metadata (and migrations) see every table."""
{% if cookiecutter.worker == "y" %}
from src.infrastructure.models.notification_model import NotificationModel
{%- endif %}
from src.infrastructure.models.todo_model import TodoModel

__all__ = [{% if cookiecutter.worker == "y" %}"NotificationModel", {% endif %}"TodoModel"]
