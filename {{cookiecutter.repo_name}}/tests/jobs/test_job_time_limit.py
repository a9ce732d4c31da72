"""JOB_TIME_LIMIT_MS stops a job that runs too long, which is what bounds a worker's graceful stop."""

import time
from dataclasses import dataclass
from typing import ClassVar

from src.jobs import HANDLERS
from src.plumbing.domain import DomainEvent
from src.plumbing.infrastructure.outbox.dead_letters import DeadLetters
from src.plumbing.infrastructure.outbox.relay import OutgoingEvent
from tests.jobs.worker_test_base import WorkerTestBase
from tests.resources.broker import unique_queue, worker_environment

JOB_SECONDS = 10


@dataclass(frozen=True, kw_only=True)
class SlowArrived(DomainEvent):
    """An event whose job would take JOB_SECONDS."""


def runs_too_long(event: SlowArrived) -> None:
    # Short sleeps: Dramatiq interrupts a thread between two Python steps, not inside one sleep.
    deadline = time.monotonic() + JOB_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.05)


class JobTimeLimitTest(WorkerTestBase):
    queue: ClassVar[str] = unique_queue()
    environment: ClassVar[dict[str, str]] = worker_environment(queue, JOB_TIME_LIMIT_MS="200", JOB_MAX_RETRIES="0")
    handlers: ClassVar[dict] = {**HANDLERS, SlowArrived: [runs_too_long]}

    def setUp(self) -> None:
        super().setUp()
        # What `dramatiq worker` signals in each process it starts: the TimeLimit middleware starts its timer then.
        self.broker.emit_after("process_boot")

    def test_a_job_past_its_time_limit_is_stopped_and_fails(self):
        slow = SlowArrived()
        started = time.monotonic()
        self.publish(OutgoingEvent(slow.event_id, slow.name, slow.payload(), slow.occurred_at, ""))
        self.wait_for_the_worker()

        self.assertLess(time.monotonic() - started, JOB_SECONDS / 2)
        [letter] = DeadLetters(self.broker, self.queue).peek()
        self.assertEqual(letter["message_id"], slow.event_id)
