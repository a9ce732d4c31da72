"""`DeadLetters`: the messages RabbitMQ keeps in `<queue>.XQ` after their job failed on every retry."""

from typing import Any

import dramatiq
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.common import xq_name


class DeadLetters:
    """Read the dead-letter queue of the events' queue without taking messages from it, or replay them all."""

    def __init__(self, broker: RabbitmqBroker, queue: str) -> None:
        self.broker = broker
        self.queue = queue
        broker.declare_queue(queue, ensure=True)

    def peek(self) -> list[dict[str, Any]]:
        """Every dead letter, as Dramatiq's message fields; the messages stay in the queue."""
        channel = self.broker.channel
        letters, last_tag = [], None
        while (got := channel.basic_get(xq_name(self.queue), auto_ack=False))[0] is not None:
            method, _, body = got
            letters.append(dramatiq.Message.decode(body).asdict())
            last_tag = method.delivery_tag
        if last_tag is not None:
            channel.basic_nack(delivery_tag=last_tag, multiple=True, requeue=True)
        return letters

    def replay(self) -> int:
        """Send each dead letter to the events' queue with its retries reset, then drop it; the count sent."""
        channel = self.broker.channel
        count = 0
        while (got := channel.basic_get(xq_name(self.queue), auto_ack=False))[0] is not None:
            method, _, body = got
            message = dramatiq.Message.decode(body)
            self.broker.enqueue(message.copy(queue_name=self.queue, options={"retries": 0}))
            channel.basic_ack(delivery_tag=method.delivery_tag)
            count += 1
        return count
