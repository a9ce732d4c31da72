"""Prometheus counters of the worker's jobs: runs by outcome, retries, dead letters; served on a port of its own."""

from typing import Any

import dramatiq
from dramatiq.middleware import Middleware
from prometheus_client import Counter, start_http_server

JOBS = Counter(
    "worker_jobs_total",
    "Deliveries of an event to its jobs, by outcome: succeeded, failed (to be retried or dead-lettered), skipped.",
    ["outcome"],
)
RETRIES = Counter("worker_job_retries_total", "Failed deliveries sent back to the queue to be tried again.")
DEAD_LETTERS = Counter("worker_dead_letters_total", "Messages that failed on every retry and went to <queue>.XQ.")


class JobMetrics(Middleware):
    """Counts what the worker does with each message; with a `port`, serves `GET /metrics` while the worker runs.

    Run one worker process per container (`dramatiq worker --processes 1`): each process counts on its own.
    """

    def __init__(self, port: int | None) -> None:
        self.port = port
        self.server: Any = None

    def after_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        if self.port is not None:
            self.server, _ = start_http_server(self.port)

    def after_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def after_process_message(
        self,
        broker: dramatiq.Broker,
        message: dramatiq.MessageProxy,
        *,
        result: Any = None,
        exception: BaseException | None = None,
    ) -> None:
        JOBS.labels(outcome="succeeded" if exception is None else "failed").inc()

    def after_skip_message(self, broker: dramatiq.Broker, message: dramatiq.MessageProxy) -> None:
        JOBS.labels(outcome="skipped").inc()

    def after_enqueue(self, broker: dramatiq.Broker, message: dramatiq.Message[Any], delay: int | None) -> None:
        # The Retries middleware enqueues a retry with its backoff as the delay; a delayed message that falls due
        # is enqueued again without one, and is not a second retry.
        if delay and message.options.get("retries"):
            RETRIES.inc()

    def after_nack(self, broker: dramatiq.Broker, message: dramatiq.MessageProxy) -> None:
        DEAD_LETTERS.inc()
