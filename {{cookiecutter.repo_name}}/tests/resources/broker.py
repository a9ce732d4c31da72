"""The RabbitMQ of one test run: `TEST_BROKER_URL`, or a container that testcontainers starts, stopped at exit."""

import atexit
import os
import unittest
import uuid

import pika
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.common import dq_name, xq_name

from tests.resources.docker_engine import docker_answers

NO_BROKER_MESSAGE = (
    "The job tests need RabbitMQ. Either set TEST_BROKER_URL to a broker the tests may declare queues on "
    "(e.g. amqp://guest:guest@127.0.0.1:5672/), or start a Docker engine so that testcontainers can run one."
)
# The image docker-compose.yml starts; TEST_RABBITMQ_IMAGE names another, e.g. a mirror's copy.
DEFAULT_RABBITMQ_IMAGE = "rabbitmq:4-alpine"
CONTAINER_USER = "guest"
AMQP_PORT = 5672


def _unavailable(message: str) -> Exception:
    """A skip outside CI; under CI=true, where the broker must be there, a failure."""
    if os.environ.get("CI", "").lower() == "true":
        return AssertionError(message)
    return unittest.SkipTest(message)


def _answering(url: str) -> str:
    try:
        pika.BlockingConnection(pika.URLParameters(url)).close()
    except pika.exceptions.AMQPError as error:
        raise _unavailable(f"The job tests need RabbitMQ at TEST_BROKER_URL ({url}): {error!r}") from error
    return url


def _start_container() -> str:
    from testcontainers.community.rabbitmq import RabbitMqContainer

    image = os.environ.get("TEST_RABBITMQ_IMAGE", "").strip() or DEFAULT_RABBITMQ_IMAGE
    # start() returns once the broker takes an AMQP connection.
    container = RabbitMqContainer(image, port=AMQP_PORT, username=CONTAINER_USER, password=CONTAINER_USER).start()
    atexit.register(container.stop)
    host, port = container.get_container_host_ip(), container.get_exposed_port(AMQP_PORT)
    return f"amqp://{CONTAINER_USER}:{CONTAINER_USER}@{host}:{port}/"


_url: str | None = None


def rabbitmq_url() -> str:
    """This run's broker, found (or started) on the first call."""
    global _url
    if _url is None:
        url = os.environ.get("TEST_BROKER_URL", "").strip()
        if url:
            _url = _answering(url)
        elif docker_answers():
            _url = _start_container()
        else:
            raise _unavailable(NO_BROKER_MESSAGE)
    return _url


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
