"""The worker's counters, scraped from its port while it runs against RabbitMQ: outcomes, retries, dead letters."""

import socket
import time
import urllib.request
from dataclasses import dataclass
from typing import ClassVar

from src.jobs import HANDLERS
from src.plumbing.domain import DomainEvent
from src.plumbing.infrastructure.outbox.relay import OutgoingEvent
from tests.jobs.worker_test_base import WorkerTestBase
from tests.plumbing.api.metrics_reading import sample_value
from tests.resources.broker import unique_queue, worker_environment


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


METRICS_PORT = free_port()
WAIT_SECONDS = 10
FAILED_ONCE: set[str] = set()


@dataclass(frozen=True, kw_only=True)
class FlakyArrived(DomainEvent):
    """An event whose job fails on its first run and succeeds on the next."""


@dataclass(frozen=True, kw_only=True)
class PoisonArrived(DomainEvent):
    """An event whose job always fails."""


def fails_the_first_time(event: FlakyArrived) -> None:
    if event.event_id not in FAILED_ONCE:
        FAILED_ONCE.add(event.event_id)
        raise RuntimeError("flaky: first run")


def always_fails(event: PoisonArrived) -> None:
    raise RuntimeError("poison")


class JobMetricsTest(WorkerTestBase):
    queue: ClassVar[str] = unique_queue()
    environment: ClassVar[dict[str, str]] = worker_environment(
        queue,
        JOB_MAX_RETRIES="2",
        JOB_MIN_BACKOFF_MS="10",
        JOB_MAX_BACKOFF_MS="20",
        WORKER_METRICS_PORT=str(METRICS_PORT),
    )
    handlers: ClassVar[dict] = {**HANDLERS, FlakyArrived: [fails_the_first_time], PoisonArrived: [always_fails]}

    def counters(self) -> dict[str, float]:
        """The worker's counters as Prometheus scrapes them from its port."""
        with urllib.request.urlopen(f"http://127.0.0.1:{METRICS_PORT}/metrics", timeout=5) as answer:
            text = answer.read().decode()
        return {
            "succeeded": sample_value(text, "worker_jobs_total", outcome="succeeded"),
            "failed": sample_value(text, "worker_jobs_total", outcome="failed"),
            "retries": sample_value(text, "worker_job_retries_total"),
            "dead letters": sample_value(text, "worker_dead_letters_total"),
        }

    def send(self, event: DomainEvent) -> None:
        self.publish(OutgoingEvent(event.event_id, event.name, event.payload(), event.occurred_at, ""))

    def assertCountedSince(self, before: dict[str, float], expected: dict[str, float]) -> None:
        """The counters grew by `expected`; a worker acknowledges after it counts, so allow it a moment."""
        self.wait_for_the_worker()
        deadline = time.monotonic() + WAIT_SECONDS
        while (counted := self.counted_since(before)) != expected and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertEqual(counted, expected)

    def counted_since(self, before: dict[str, float]) -> dict[str, float]:
        return {name: value - before[name] for name, value in self.counters().items()}

    def test_a_job_that_succeeds_counts_one_success(self):
        before = self.counters()
        self.complete(1)
        self.relay_all()

        self.assertCountedSince(before, {"succeeded": 1, "failed": 0, "retries": 0, "dead letters": 0})

    def test_a_job_that_fails_then_succeeds_counts_a_failure_a_retry_and_a_success(self):
        before = self.counters()
        self.send(FlakyArrived())

        self.assertCountedSince(before, {"succeeded": 1, "failed": 1, "retries": 1, "dead letters": 0})

    def test_a_poison_message_counts_each_retry_and_one_dead_letter(self):
        before = self.counters()
        self.send(PoisonArrived())

        # JOB_MAX_RETRIES=2: the first run and two retries fail, then the message is dead-lettered.
        self.assertCountedSince(before, {"succeeded": 0, "failed": 3, "retries": 2, "dead letters": 1})

    def test_the_port_closes_when_the_worker_stops(self):
        self.worker.stop()

        with self.assertRaises(OSError):
            self.counters()
