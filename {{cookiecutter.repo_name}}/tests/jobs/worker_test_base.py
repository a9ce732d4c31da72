"""Test bases of the jobs: the app on a RabbitMQ queue of the class's own, with or without a worker in the process."""

from collections.abc import Callable
from typing import ClassVar

import dramatiq
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from sqlalchemy import select
from sqlalchemy.orm import Session

from src.infrastructure.models import NotificationModel
from src.jobs import HANDLERS
from src.plumbing.infrastructure.databases import sqlalchemy_db
from src.plumbing.infrastructure.outbox.broker import DramatiqPublisher
from src.plumbing.infrastructure.outbox.relay import OutboxRelay, OutgoingEvent, outbox_backlog
from src.plumbing.jobs import event_broker
from tests.resources.app_test_base import AppTestBase
from tests.resources.broker import delete_queues, rabbitmq_url

WAIT_MILLISECONDS = 20_000


class BrokerTestBase(AppTestBase):
    """A broker to look into the class's queue, which is deleted when each test ends."""

    queue: ClassVar[str]

    def setUp(self) -> None:
        self.setup_database()
        self.broker = RabbitmqBroker(url=rabbitmq_url(), confirm_delivery=True)
        self.addCleanup(delete_queues, self.broker, self.queue)


class WorkerTestBase(AppTestBase):
    """Subclasses set `environment` from `worker_environment`, and may add `handlers` of their own."""

    queue: ClassVar[str]
    handlers: ClassVar[dict] = HANDLERS

    def setUp(self) -> None:
        self.setup_database()
        self.broker = event_broker(self.app, self.handlers)
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

    def relay_all(self, publish: Callable[[OutgoingEvent], None] | None = None) -> None:
        """Relay until nothing waits, through `publish` or the worker's broker."""
        with Session(self.engine) as session:
            relay = OutboxRelay(session, publish or self.publish)
            while relay.relay_batch():
                pass

    def wait_for_the_worker(self) -> None:
        self.broker.join(self.queue, timeout=WAIT_MILLISECONDS)
        self.worker.join()

    def notified_todos(self) -> list[int]:
        with Session(self.engine) as session:
            return list(session.scalars(select(NotificationModel.todo_id).order_by(NotificationModel.todo_id)))

    def backlog(self) -> int:
        with Session(self.engine) as session:
            return outbox_backlog(session)[0]
