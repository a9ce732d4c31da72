"""Events from the outbox through RabbitMQ to the worker's jobs: once in effect, however often delivered."""

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar

from src.jobs import HANDLERS
from src.plumbing.domain import DomainEvent
from src.plumbing.infrastructure.outbox.dead_letters import DeadLetters
from src.plumbing.infrastructure.outbox.relay import OutgoingEvent
from src.plumbing.logs import RequestIdFilter
from tests.jobs.worker_test_base import WorkerTestBase
from tests.resources.broker import unique_queue, worker_environment


@dataclass(frozen=True, kw_only=True)
class PoisonArrived(DomainEvent):
    """An event whose job always fails."""

    note: str


def always_fails(event: PoisonArrived) -> None:
    raise RuntimeError(f"poison: {event.note}")


class RecordedLines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.addFilter(RequestIdFilter())
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class EventDeliveryTest(WorkerTestBase):
    queue: ClassVar[str] = unique_queue()
    environment: ClassVar[dict[str, str]] = worker_environment(
        queue, JOB_MAX_RETRIES="2", JOB_MIN_BACKOFF_MS="10", JOB_MAX_BACKOFF_MS="20"
    )
    handlers: ClassVar[dict] = {**HANDLERS, PoisonArrived: [always_fails]}

    def test_the_relay_delivers_each_event_to_its_job_and_marks_it_sent(self):
        lines = RecordedLines()
        jobs_logger = logging.getLogger("src.jobs")
        jobs_logger.addHandler(lines)
        jobs_logger.setLevel(logging.INFO)
        self.addCleanup(jobs_logger.setLevel, logging.NOTSET)
        self.addCleanup(jobs_logger.removeHandler, lines)
        todo = self.service.create({"title": "Ship it"})
        headers = {"If-Match": "*", "X-Request-ID": "req-7"}
        self.client.patch(f"/v1/todo/{todo.id}", json={"completed": True}, headers=headers)

        self.relay_all()
        self.wait_for_the_worker()

        self.assertEqual(self.notified_todos(), [todo.id])
        self.assertEqual(self.backlog(), 0)
        self.assertIn("req-7", [record.request_id for record in lines.records])

    def test_an_event_delivered_twice_takes_effect_once(self):
        event = OutgoingEvent("e" * 32, "TodoCompleted", {"todo_id": 5, "title": "x"}, datetime.now(UTC), "")

        self.publish(event)
        self.publish(event)
        self.wait_for_the_worker()

        self.assertEqual(self.notified_todos(), [5])

    def test_two_relays_at_once_deliver_every_event_once_in_effect(self):
        self.complete(20)

        relays = [threading.Thread(target=self.relay_all) for _ in range(2)]
        for relay in relays:
            relay.start()
        for relay in relays:
            relay.join(30)
        self.wait_for_the_worker()

        self.assertEqual(len(self.notified_todos()), 20)
        self.assertEqual(len(set(self.notified_todos())), 20)

    def test_a_poison_message_ends_among_the_dead_letters_and_the_others_flow(self):
        poison = PoisonArrived(note="always")
        self.publish(OutgoingEvent(poison.event_id, poison.name, poison.payload(), poison.occurred_at, ""))
        self.complete(3)
        self.relay_all()
        self.wait_for_the_worker()

        self.assertEqual(len(self.notified_todos()), 3)
        dead = DeadLetters(self.broker, self.queue)
        [letter] = dead.peek()
        self.assertEqual(letter["message_id"], poison.event_id)
        self.assertEqual(len(dead.peek()), 1, "peeking leaves the letters in place")

        self.assertEqual(dead.replay(), 1)
        self.wait_for_the_worker()
        self.assertEqual([letter["message_id"] for letter in dead.peek()], [poison.event_id])
