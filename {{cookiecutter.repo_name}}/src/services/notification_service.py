"""Use cases of notifications."""

from src.domain.notification import Notification
from src.plumbing.services import RepositoryService


class NotificationService(RepositoryService[Notification]):
    """Store and read the notifications that jobs write."""
