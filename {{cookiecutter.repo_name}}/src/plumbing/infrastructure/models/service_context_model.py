"""The one-row table holding the service context."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from src.plumbing.domain.service_context import MESSAGE_MAX_LENGTH
from src.plumbing.infrastructure.models.model_extension import ModelExtension
from src.plumbing.infrastructure.models.types import UTCDateTime, utc_now

SINGLETON_ID = 1


class ServiceContextModel(ModelExtension):
    __tablename__ = "service_context"
    __table_args__ = (CheckConstraint(f"id = {SINGLETON_ID}", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    maintenance: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    message: Mapped[str | None] = mapped_column(String(MESSAGE_MAX_LENGTH))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)

    def __repr__(self) -> str:
        return self.repr(maintenance=self.maintenance, message=self.message)
