"""SQL storage of notifications."""

from src.domain.notification import Notification
from src.infrastructure.models.notification_model import NotificationModel
from src.plumbing.infrastructure import Repository


class SQLNotificationRepository(Repository[Notification]):
    base_class = NotificationModel
    entity_class = Notification
    DEFAULT_NOT_FOUND_MESSAGE = "Notification not found."
