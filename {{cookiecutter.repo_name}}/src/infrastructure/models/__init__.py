"""Models, imported here so that metadata (and migrations) see every table."""

from src.infrastructure.models.model_extension import ModelExtension
from src.infrastructure.models.service_context_model import ServiceContextModel
from src.infrastructure.models.todo_model import TodoModel

__all__ = ["ModelExtension", "ServiceContextModel", "TodoModel"]
