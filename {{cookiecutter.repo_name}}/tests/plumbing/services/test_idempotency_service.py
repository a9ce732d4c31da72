"""`IdempotencyService` against an in-memory store: what is stored, replayed, refused and forgotten."""

from datetime import UTC, datetime, timedelta
from unittest import TestCase

from src.plumbing.domain.errors import ConflictError, ValidationError
from src.plumbing.services.idempotency_service import (
    AbstractIdempotencyRepository,
    IdempotencyService,
    KeyedRequest,
    StoredAnswer,
)
from tests.services.fake_repository import FakeDatabase

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
REQUEST = KeyedRequest(subject="alice", key="order-1", fingerprint="f1")


class FakeIdempotencyRepository(AbstractIdempotencyRepository):
    """Answers in a table of the fake database, so that its unit of work rolls them back; `held` keys are claimed."""

    def __init__(self, database: FakeDatabase) -> None:
        self.database = database
        self.held: set[tuple[str, str]] = set()

    @property
    def rows(self) -> dict:
        return self.database.tables.setdefault("idempotency_key", {})

    def claim(self, subject: str, key: str) -> bool:
        return (subject, key) not in self.held

    def find(self, subject: str, key: str, now: datetime) -> StoredAnswer | None:
        answer, expires_at = self.rows.get((subject, key), (None, now))
        return answer if expires_at > now else None

    def save(self, subject: str, key: str, answer: StoredAnswer, expires_at: datetime) -> None:
        self.rows[(subject, key)] = (answer, expires_at)

    def delete_expired(self, now: datetime) -> int:
        expired = [name for name, (_, expires_at) in self.rows.items() if expires_at <= now]
        for name in expired:
            del self.rows[name]
        return len(expired)


def answer(status: int = 201, fingerprint: str = "f1") -> StoredAnswer:
    return StoredAnswer(fingerprint, status, {"ETag": '"1"'}, b'{"id": 1}')


class IdempotencyServiceTest(TestCase):
    def setUp(self) -> None:
        self.database = FakeDatabase()
        self.repository = FakeIdempotencyRepository(self.database)
        self.now = NOW
        self.service = IdempotencyService(self.repository, self.database.transaction, clock=lambda: self.now)
        self.processed = 0

    def process(self, status: int = 201):
        def run() -> StoredAnswer:
            self.processed += 1
            return answer(status)

        return run

    def test_the_first_request_is_processed_and_a_retry_replays_its_answer(self):
        first = self.service.answer(REQUEST, self.process(), DAY)
        retry = self.service.answer(REQUEST, self.process(), DAY)

        self.assertEqual((first, retry), ((answer(), False), (answer(), True)))
        self.assertEqual(self.processed, 1)

    def test_another_request_with_the_key_is_refused(self):
        self.service.answer(REQUEST, self.process(), DAY)

        with self.assertRaises(ValidationError):
            self.service.answer(KeyedRequest("alice", "order-1", "f2"), self.process(), DAY)
        self.assertEqual(self.processed, 1)

    def test_a_key_held_by_a_running_request_is_a_conflict(self):
        self.repository.held.add(("alice", "order-1"))

        with self.assertRaises(ConflictError):
            self.service.answer(REQUEST, self.process(), DAY)
        self.assertEqual(self.processed, 0)

    def test_an_unsuccessful_answer_is_not_stored(self):
        self.service.answer(REQUEST, self.process(status=422), DAY)
        retry = self.service.answer(REQUEST, self.process(), DAY)

        self.assertEqual(retry, (answer(), False))
        self.assertEqual(self.processed, 2)

    def test_a_failure_rolls_the_answer_back_with_the_change(self):
        def fail() -> StoredAnswer:
            self.repository.save("alice", "order-1", answer(), NOW + DAY)
            raise RuntimeError("the use case failed after writing")

        with self.assertRaises(RuntimeError):
            self.service.answer(REQUEST, fail, DAY)
        self.assertEqual(self.repository.rows, {})

    def test_an_answer_expires_after_its_lifetime_and_the_cleanup_deletes_it(self):
        self.service.answer(REQUEST, self.process(), DAY)
        self.now = NOW + DAY

        self.assertEqual(self.service.answer(KeyedRequest("alice", "order-1", "f2"), self.process(), DAY)[1], False)
        self.now = NOW + 3 * DAY
        self.assertEqual(self.service.delete_expired(), 1)
