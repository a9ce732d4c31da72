"""`SQLIdempotencyRepository`: stored answers in the `idempotency_key` table, claimed with a PostgreSQL lock."""

from datetime import datetime

from sqlalchemy import delete, func, select

from src.plumbing.infrastructure.databases.unit_of_work import AnySession
from src.plumbing.infrastructure.models.idempotency_model import IdempotencyKeyModel
from src.plumbing.services.idempotency_service import AbstractIdempotencyRepository, StoredAnswer


class SQLIdempotencyRepository(AbstractIdempotencyRepository):
    def __init__(self, session: AnySession) -> None:
        self.session = session

    def claim(self, subject: str, key: str) -> bool:
        """A transaction-scoped advisory lock on PostgreSQL, taken without waiting: a concurrent retry gets 409.

        SQLite writes one transaction at a time, so the primary key alone keeps a key to one row there.
        """
        if self.session.get_bind().dialect.name != "postgresql":
            return True
        lock = func.hashtextextended(subject + "\x1f" + key, 0)
        return bool(self.session.scalar(select(func.pg_try_advisory_xact_lock(lock))))

    def find(self, subject: str, key: str, now: datetime) -> StoredAnswer | None:
        row = self.session.get(IdempotencyKeyModel, (subject, key))
        if row is None:
            return None
        if row.expires_at <= now:
            # The cleanup has not come yet: the key counts as new, and its answer makes room for the next one.
            self.session.delete(row)
            return None
        return StoredAnswer(fingerprint=row.fingerprint, status=row.status, headers=row.headers, body=row.body)

    def save(self, subject: str, key: str, answer: StoredAnswer, expires_at: datetime) -> None:
        self.session.add(
            IdempotencyKeyModel(
                subject=subject,
                key=key,
                fingerprint=answer.fingerprint,
                status=answer.status,
                headers=answer.headers,
                body=answer.body,
                expires_at=expires_at,
            )
        )

    def delete_expired(self, now: datetime) -> int:
        expired = delete(IdempotencyKeyModel).where(IdempotencyKeyModel.expires_at <= now)
        return self.session.connection().execute(expired).rowcount
