"""Events from the outbox through RabbitMQ to the worker's jobs: once in effect, however often delivered."""

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar

import dramatiq
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from src.infrastructure.models import NotificationModel
from src.jobs import HANDLERS
from src.plumbing.domain import DomainEvent
from src.plumbing.infrastructure.databases import sqlalchemy_db
from src.plumbing.infrastructure.models.outbox_model import OutboxModel
from src.plumbing.infrastructure.outbox.broker import DramatiqPublisher
from src.plumbing.infrastructure.outbox.dead_letters import DeadLetters
from src.plumbing.infrastructure.outbox.relay import OutboxRelay, OutgoingEvent
from src.plumbing.jobs import event_broker
from src.plumbing.logs import RequestIdFilter
from tests.resources.app_test_base import AppTestBase
from tests.resources.broker import delete_queues, rabbitmq_url, unique_queue

WAIT_SECONDS = 20 * 1000


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


class EventDeliveryTest(AppTestBase):
    queue: ClassVar[str] = unique_queue()
    environment: ClassVar[dict[str, str]] = {
        "BROKER_URL": rabbitmq_url(),
        "EVENTS_QUEUE": queue,
        "JOB_MAX_RETRIES": "2",
        "JOB_MIN_BACKOFF_MS": "10",
        "JOB_MAX_BACKOFF_MS": "20",
    }

    def setUp(self) -> None:
        self.setup_database()
        self.broker = event_broker(self.app, {**HANDLERS, PoisonArrived: [always_fails]})
        self.worker = dramatiq.Worker(self.broker, worker_threads=2, worker_timeout=100)
        self.worker.start()
        self.addCleanup(delete_queues, self.broker, self.queue)
        self.addCleanup(self.worker.stop)
        self.publish = DramatiqPublisher(self.broker, self.queue)
        self.service = self.app.container.todo_service()
        self.engine = sqlalchemy_db.engine  # relay threads have no app context of their own

    def complete(self, count: int) -> None:
        for number in range(count):
            todo = self.service.create({"title": f"todo {number}"})
            self.service.update(todo.id, {"completed": True})

    def relay_all(self) -> None:
        with Session(self.engine) as session:
            relay = OutboxRelay(session, self.publish)
            while relay.relay_batch():
                pass

    def wait_for_the_worker(self) -> None:
        self.broker.join(self.queue, timeout=WAIT_SECONDS)
        self.worker.join()

    def notifications(self) -> list[int]:
        with Session(self.engine) as session:
            return list(session.scalars(select(NotificationModel.todo_id).order_by(NotificationModel.todo_id)))

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

        self.assertEqual(self.notifications(), [todo.id])
        with Session(self.engine) as session:
            unsent = session.scalar(select(func.count()).where(OutboxModel.sent_at.is_(None)))
        self.assertEqual(unsent, 0)
        self.assertIn("req-7", [record.request_id for record in lines.records])

    def test_an_event_delivered_twice_takes_effect_once(self):
        event = OutgoingEvent("e" * 32, "TodoCompleted", {"todo_id": 5, "title": "x"}, datetime.now(UTC), "")

        self.publish(event)
        self.publish(event)
        self.wait_for_the_worker()

        self.assertEqual(self.notifications(), [5])

    def test_two_relays_at_once_deliver_every_event_once_in_effect(self):
        self.complete(20)

        relays = [threading.Thread(target=self.relay_all) for _ in range(2)]
        for relay in relays:
            relay.start()
        for relay in relays:
            relay.join(30)
        self.wait_for_the_worker()

        self.assertEqual(len(self.notifications()), 20)
        self.assertEqual(len(set(self.notifications())), 20)

    def test_a_poison_message_ends_among_the_dead_letters_and_the_others_flow(self):
        poison = PoisonArrived(note="always")
        self.publish(OutgoingEvent(poison.event_id, poison.name, poison.payload(), poison.occurred_at, ""))
        self.complete(3)
        self.relay_all()
        self.wait_for_the_worker()

        self.assertEqual(len(self.notifications()), 3)
        dead = DeadLetters(self.broker, self.queue)
        [letter] = dead.peek()
        self.assertEqual(letter["message_id"], poison.event_id)
        self.assertEqual(len(dead.peek()), 1, "peeking leaves the letters in place")

        self.assertEqual(dead.replay(), 1)
        self.wait_for_the_worker()
        self.assertEqual([letter["message_id"] for letter in dead.peek()], [poison.event_id])
