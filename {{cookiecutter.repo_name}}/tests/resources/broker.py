"""The RabbitMQ of the tests: `TEST_BROKER_URL`, or the local one; missing, it fails the run under CI=true."""

import os
import unittest
import uuid

import pika
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.common import dq_name, xq_name

DEFAULT_TEST_BROKER_URL = "amqp://guest:guest@127.0.0.1:5672/"


def rabbitmq_url() -> str:
    """The broker's URL once it answers; a skip outside CI, a failure in it, when it does not."""
    url = os.environ.get("TEST_BROKER_URL", "").strip() or DEFAULT_TEST_BROKER_URL
    try:
        pika.BlockingConnection(pika.URLParameters(url)).close()
    except pika.exceptions.AMQPError as error:
        message = f"The job tests need RabbitMQ at TEST_BROKER_URL ({url}): {error!r}"
        if os.environ.get("CI", "").lower() == "true":
            raise AssertionError(message) from error
        raise unittest.SkipTest(message) from error
    return url


def unique_queue() -> str:
    """A queue of the test's own, so runs that share the broker never take each other's messages."""
    return f"test-events-{uuid.uuid4().hex[:12]}"


def delete_queues(broker: RabbitmqBroker, queue: str) -> None:
    for name in (queue, dq_name(queue), xq_name(queue)):
        broker.channel.queue_delete(name)
    broker.close()


def worker_environment(queue: str, **settings: str) -> dict[str, str]:
    """The settings of an app whose relay and worker use the test broker and `queue`."""
    return {"BROKER_URL": rabbitmq_url(), "EVENTS_QUEUE": queue, **settings}
