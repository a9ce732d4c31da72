"""Jobs that react to what happens to todos."""

import logging

from dependency_injector.wiring import Provide, inject

from src.domain.todo_events import TodoCompleted
from src.services.notification_service import NotificationService

logger = logging.getLogger(__name__)


@inject
def notify_todo_completed(
    event: TodoCompleted, notification_service: NotificationService = Provide["notification_service"]
) -> None:
    """Write a notification that the todo was completed; the worker runs it once per event."""
    notification_service.create({"todo_id": event.todo_id, "message": f"{event.title!r} was completed."})
    logger.info("Notified that todo %s was completed.", event.todo_id)
