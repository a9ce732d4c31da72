"""`IdempotencyService`: a keyed request is processed once; its retries get the answer it stored."""

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from src.plumbing.domain.errors import ConflictError, ValidationError
from src.plumbing.services.unit_of_work import AbstractUnitOfWork

IN_PROGRESS_MESSAGE = "A request with this Idempotency-Key is still being processed; retry once it has finished."
REUSED_KEY_MESSAGE = "This Idempotency-Key was used for a different request; send a new key for a new request."


@dataclass(frozen=True)
class KeyedRequest:
    """Whose key it is (`subject`, empty without authentication), the key, and what the request was."""

    subject: str
    key: str
    fingerprint: str


@dataclass(frozen=True)
class StoredAnswer:
    fingerprint: str
    status: int
    headers: dict[str, str]
    body: bytes


class AbstractIdempotencyRepository(ABC):
    @abstractmethod
    def claim(self, subject: str, key: str) -> bool:
        """Hold the key until the transaction ends; False while another transaction holds it."""

    @abstractmethod
    def find(self, subject: str, key: str, now: datetime) -> StoredAnswer | None:
        """The answer stored for the key, unless it expired before `now`."""

    @abstractmethod
    def save(self, subject: str, key: str, answer: StoredAnswer, expires_at: datetime) -> None: ...

    @abstractmethod
    def delete_expired(self, now: datetime) -> int:
        """Delete every answer that expired before `now`; return how many there were."""


class IdempotencyService:
    """Only successful answers are stored, in the transaction of the change they report.

    A request that fails rolls its transaction back, the stored answer included, so its retry with the same
    key is processed afresh.
    """

    def __init__(
        self, repository: AbstractIdempotencyRepository, unit_of_work: AbstractUnitOfWork, clock: Callable[[], datetime]
    ) -> None:
        self.repository = repository
        self.unit_of_work = unit_of_work
        self.clock = clock

    def answer(
        self, request: KeyedRequest, process: Callable[[], StoredAnswer], lifetime: timedelta
    ) -> tuple[StoredAnswer, bool]:
        """The answer to `request`, and whether it is a replay of the one stored for its key."""
        with self.unit_of_work:
            if not self.repository.claim(request.subject, request.key):
                raise ConflictError(IN_PROGRESS_MESSAGE)
            now = self.clock()
            stored = self.repository.find(request.subject, request.key, now)
            if stored is not None:
                if stored.fingerprint != request.fingerprint:
                    raise ValidationError(REUSED_KEY_MESSAGE)
                return stored, True
            answer = process()
            if 200 <= answer.status < 300:
                self.repository.save(request.subject, request.key, answer, now + lifetime)
            return answer, False

    def delete_expired(self) -> int:
        with self.unit_of_work:
            return self.repository.delete_expired(self.clock())
