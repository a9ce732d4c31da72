"""Table of notifications."""

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from src.domain.notification import MESSAGE_MAX_LENGTH
from src.plumbing.infrastructure import ModelExtension, UTCDateTime, utc_now


class NotificationModel(ModelExtension):
    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    todo_id: Mapped[int] = mapped_column(Integer, index=True)
    message: Mapped[str] = mapped_column(String(MESSAGE_MAX_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
