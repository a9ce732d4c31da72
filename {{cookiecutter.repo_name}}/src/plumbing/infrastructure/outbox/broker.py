"""Dramatiq on RabbitMQ: the broker, the actor that hands events to the worker, and the relay's publisher."""

import logging
from collections.abc import Callable
from typing import Any

import dramatiq
from dramatiq.brokers.rabbitmq import RabbitmqBroker

from src.plumbing.infrastructure.outbox.relay import OutgoingEvent

DELIVER_ACTOR = "deliver_event"


def rabbitmq_broker(url: str) -> RabbitmqBroker:
    """The broker of `BROKER_URL`; publishing waits until RabbitMQ confirms that it holds the message."""
    # pika narrates every connection step at INFO; its warnings and errors still reach the log.
    logging.getLogger("pika").setLevel(logging.WARNING)
    broker = RabbitmqBroker(url=url, confirm_delivery=True)
    dramatiq.set_broker(broker)
    return broker


def declare_event_actor(
    broker: RabbitmqBroker, queue: str, consume: Callable[..., None], options: dict[str, int]
) -> dramatiq.Actor[..., None]:
    """The worker's actor of events; `options` holds Dramatiq's `max_retries`, backoffs and `time_limit`.

    Dramatiq acknowledges a message after the actor returns, so a worker killed mid-job leaves it to another.
    A message that still fails after its retries goes to RabbitMQ's dead-letter queue, `<queue>.XQ`.
    """
    keywords: dict[str, Any] = dict(options)
    declare = dramatiq.actor(broker=broker, actor_name=DELIVER_ACTOR, queue_name=queue, **keywords)
    return declare(consume)


class DramatiqPublisher:
    """Sends an outbox event as a message of the event actor; the message's id is the event's id."""

    def __init__(self, broker: RabbitmqBroker, queue: str) -> None:
        self.broker = broker
        self.queue = queue

    def __call__(self, event: OutgoingEvent) -> None:
        arguments = (event.name, event.payload, event.event_id, event.occurred_at.isoformat(), event.request_id)
        message: dramatiq.Message[None] = dramatiq.Message(
            queue_name=self.queue,
            actor_name=DELIVER_ACTOR,
            args=arguments,
            kwargs={},
            options={},
            message_id=event.event_id,
        )
        self.broker.enqueue(message)
