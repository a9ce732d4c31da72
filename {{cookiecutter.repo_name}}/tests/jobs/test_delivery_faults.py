"""Faults between the outbox and the jobs: a relay that dies before marking sent, a broker out of reach."""

from typing import ClassVar
from urllib.parse import urlsplit

from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.errors import BrokerConnectionError

from src.plumbing.infrastructure.outbox.broker import DramatiqPublisher
from src.plumbing.infrastructure.outbox.relay import OutgoingEvent
from tests.jobs.worker_test_base import WorkerTestBase
from tests.resources.broker import rabbitmq_url, unique_queue, worker_environment
from tests.resources.tcp_relay import TcpRelay


class RelayCrashed(Exception):
    """Stands for the relay process dying after RabbitMQ took a message and before the commit."""


class DeliveryFaultsTest(WorkerTestBase):
    queue: ClassVar[str] = unique_queue()
    environment: ClassVar[dict[str, str]] = worker_environment(queue)

    def complete_through_the_api(self, count: int) -> None:
        for number in range(count):
            created = self.client.post("/v1/todo", json={"title": f"todo {number}"})
            self.assertStatus(created, 201)
            url = f"/v1/todo/{created.json['id']}"
            self.assert200(self.client.patch(url, json={"completed": True}, headers={"If-Match": "*"}))

    def test_a_relay_that_dies_after_publishing_publishes_again_and_the_job_runs_once(self):
        self.complete_through_the_api(2)

        def publish_then_die(event: OutgoingEvent) -> None:
            self.publish(event)
            raise RelayCrashed

        with self.assertRaises(RelayCrashed):
            self.relay_all(publish_then_die)
        self.assertEqual(self.backlog(), 2, "nothing was marked sent")
        self.relay_all()
        self.wait_for_the_worker()

        self.assertEqual(len(self.notified_todos()), 2)
        self.assertEqual(len(set(self.notified_todos())), 2)
        self.assertEqual(self.backlog(), 0)

    def test_while_the_broker_is_cut_writes_commit_and_wait_then_each_arrives_once(self):
        broker_address = urlsplit(rabbitmq_url())
        target = (broker_address.hostname, broker_address.port or 5672)
        link = TcpRelay(target)
        credentials = f"{broker_address.username}:{broker_address.password}"
        relay_broker = RabbitmqBroker(url=f"amqp://{credentials}@127.0.0.1:{link.port}/", confirm_delivery=True)
        self.addCleanup(relay_broker.close)
        publish = DramatiqPublisher(relay_broker, self.queue)
        link.cut()

        self.complete_through_the_api(3)
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
