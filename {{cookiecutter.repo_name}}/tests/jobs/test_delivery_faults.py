"""Faults between the outbox and the jobs: a relay that dies before marking sent, a broker out of reach."""

from typing import ClassVar
from urllib.parse import urlsplit

import dramatiq
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.errors import BrokerConnectionError
from sqlalchemy import select
from sqlalchemy.orm import Session

from src.infrastructure.models import NotificationModel
from src.jobs import HANDLERS
from src.plumbing.infrastructure.databases import sqlalchemy_db
from src.plumbing.infrastructure.outbox.broker import DramatiqPublisher
from src.plumbing.infrastructure.outbox.relay import OutboxRelay, OutgoingEvent, outbox_backlog
from src.plumbing.jobs import event_broker
from tests.resources.app_test_base import AppTestBase
from tests.resources.broker import delete_queues, rabbitmq_url, unique_queue
from tests.resources.tcp_relay import TcpRelay

WAIT_MILLISECONDS = 20_000


class RelayCrashed(Exception):
    """Stands for the relay process dying after RabbitMQ took a message and before the commit."""


class DeliveryFaultsTest(AppTestBase):
    queue: ClassVar[str] = unique_queue()
    environment: ClassVar[dict[str, str]] = {"BROKER_URL": rabbitmq_url(), "EVENTS_QUEUE": queue}

    def setUp(self) -> None:
        self.setup_database()
        self.broker = event_broker(self.app, HANDLERS)
        self.worker = dramatiq.Worker(self.broker, worker_threads=2, worker_timeout=100)
        self.worker.start()
        self.addCleanup(delete_queues, self.broker, self.queue)
        self.addCleanup(self.worker.stop)
        self.service = self.app.container.todo_service()
        self.engine = sqlalchemy_db.engine

    def complete(self, count: int) -> None:
        for number in range(count):
            response = self.client.post("/v1/todo", json={"title": f"todo {number}"})
            self.assertStatus(response, 201)
            changed = self.client.patch(
                f"/v1/todo/{response.json['id']}", json={"completed": True}, headers={"If-Match": "*"}
            )
            self.assert200(changed)

    def relay_all(self, publish) -> None:
        with Session(self.engine) as session:
            relay = OutboxRelay(session, publish)
            while relay.relay_batch():
                pass

    def wait_for_the_worker(self) -> None:
        self.broker.join(self.queue, timeout=WAIT_MILLISECONDS)
        self.worker.join()

    def notified_todos(self) -> list[int]:
        with Session(self.engine) as session:
            return list(session.scalars(select(NotificationModel.todo_id)))

    def backlog(self) -> int:
        with Session(self.engine) as session:
            return outbox_backlog(session)[0]

    def test_a_relay_that_dies_after_publishing_publishes_again_and_the_job_runs_once(self):
        self.complete(2)
        publish = DramatiqPublisher(self.broker, self.queue)

        def publish_then_die(event: OutgoingEvent) -> None:
            publish(event)
            raise RelayCrashed

        with self.assertRaises(RelayCrashed):
            self.relay_all(publish_then_die)
        self.assertEqual(self.backlog(), 2, "nothing was marked sent")
        self.relay_all(publish)
        self.wait_for_the_worker()

        self.assertEqual(sorted(self.notified_todos()), sorted(set(self.notified_todos())))
        self.assertEqual(len(self.notified_todos()), 2)
        self.assertEqual(self.backlog(), 0)

    def test_while_the_broker_is_cut_writes_commit_and_wait_then_each_arrives_once(self):
        broker_address = urlsplit(rabbitmq_url())
        target = (broker_address.hostname, broker_address.port or 5672)
        link = TcpRelay(target)
        relay_broker = RabbitmqBroker(url=f"amqp://guest:guest@127.0.0.1:{link.port}/", confirm_delivery=True)
        self.addCleanup(relay_broker.close)
        publish = DramatiqPublisher(relay_broker, self.queue)
        link.cut()

        self.complete(3)
        with self.assertRaises(BrokerConnectionError):
            self.relay_all(publish)
        self.assertEqual(self.backlog(), 3)

        link = TcpRelay(target, port=link.port)
        self.addCleanup(link.cut)
        self.relay_all(publish)
        self.wait_for_the_worker()

        self.assertEqual(len(self.notified_todos()), 3)
        self.assertEqual(len(set(self.notified_todos())), 3)
        self.assertEqual(self.backlog(), 0)
