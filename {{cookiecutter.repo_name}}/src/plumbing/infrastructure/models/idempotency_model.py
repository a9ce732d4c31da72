"""The answers stored for Idempotency-Keys, one row per caller and key."""

from datetime import datetime

from sqlalchemy import JSON, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from src.plumbing.infrastructure.models.model_extension import ModelExtension
from src.plumbing.infrastructure.models.types import UTCDateTime

SUBJECT_MAX_LENGTH = 255
KEY_MAX_LENGTH = 255


class IdempotencyKeyModel(ModelExtension):
    __tablename__ = "idempotency_key"

    subject: Mapped[str] = mapped_column(String(SUBJECT_MAX_LENGTH), primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_MAX_LENGTH), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    headers: Mapped[dict[str, str]] = mapped_column(JSON)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
