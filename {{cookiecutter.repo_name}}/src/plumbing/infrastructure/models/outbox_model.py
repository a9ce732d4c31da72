"""The outbox table: events committed with their change and waiting for the relay, and the ones it sent."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from src.plumbing.infrastructure.models.model_extension import ModelExtension
from src.plumbing.infrastructure.models.types import UTCDateTime, utc_now

EVENT_NAME_MAX_LENGTH = 100
REQUEST_ID_MAX_LENGTH = 128


class OutboxModel(ModelExtension):
    __tablename__ = "outbox"

    # Rows of one aggregate get ids in the order their changes commit (the aggregate's row lock orders them),
    # so the relay sends them in that order.
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(EVENT_NAME_MAX_LENGTH))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    request_id: Mapped[str] = mapped_column(String(REQUEST_ID_MAX_LENGTH), default="")
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    def __repr__(self) -> str:
        return self.repr(id=self.id, name=self.name, sent_at=self.sent_at)
