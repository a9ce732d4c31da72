"""The ids of the events a consumer has handled, written in the transaction of the handler's effect."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from src.plumbing.infrastructure.models.model_extension import ModelExtension
from src.plumbing.infrastructure.models.types import UTCDateTime, utc_now


class HandledEventModel(ModelExtension):
    __tablename__ = "handled_event"

    event_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    # Indexed for `flask outbox purge`, which deletes the ids older than EVENT_RETENTION.
    handled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
