"""The way of an event after its commit, run for real: `flask outbox relay`, `dramatiq worker` and RabbitMQ.

Each run publishes to a queue of its own, deleted at the end, so that a shared broker keeps nothing of it.
"""

import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from databases import connected
from project import service_environment
from servers import stop_gunicorn

HANDLED_TIMEOUT_SECONDS = 120
# Events that look like the ones a completed todo records; the relay reads rows, not their meaning.
FILL_SQL = """
INSERT INTO outbox (event_id, name, payload, request_id, occurred_at, created_at)
SELECT replace(gen_random_uuid()::text, '-', ''), 'TodoCompleted',
       json_build_object('todo_id', n, 'title', 'todo ' || n), 'bench', now(), now()
FROM generate_series(1, :events) AS n
"""
LATENCY_SQL = """
SELECT count(handled.event_id), count(*),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM handled.handled_at - outbox.created_at)),
       percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM handled.handled_at - outbox.created_at))
FROM outbox LEFT JOIN handled_event AS handled USING (event_id)
WHERE outbox.id > :after
"""
DELETE_QUEUES = """
import sys, pika
channel = pika.BlockingConnection(pika.URLParameters(sys.argv[1])).channel()
for queue in sys.argv[2:]:
    channel.queue_delete(queue)
"""


@dataclass(frozen=True)
class Pipeline:
    """Where the relay and the worker of one baked project publish and consume."""

    project: Path
    python: str
    database_url: str
    broker_url: str
    queue: str
    log_directory: Path
    # Seconds the relay sleeps after finding the outbox empty.
    relay_interval: float

    def environment(self) -> dict[str, str]:
        settings = {
            "BROKER_URL": self.broker_url,
            "EVENTS_QUEUE": self.queue,
            "RELAY_INTERVAL": str(self.relay_interval),
        }
        return {**service_environment(self.database_url, "WARNING"), **settings}

    def start(self, name: str, *arguments: str) -> subprocess.Popen:
        with open(self.log_directory / f"{name}.log", "wb") as log:
            return subprocess.Popen(
                [self.python, "-m", *arguments], cwd=self.project, env=self.environment(),
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )  # fmt: skip

    def relay_once(self) -> tuple[int, float]:
        """(events sent, wall seconds) of `flask outbox relay --once`, start-up included."""
        started = time.perf_counter()
        completed = subprocess.run(
            [self.python, "-m", "flask", "outbox", "relay", "--once"], cwd=self.project, env=self.environment(),
            capture_output=True, text=True, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        seconds = time.perf_counter() - started
        if completed.returncode != 0:
            raise RuntimeError(f"flask outbox relay --once failed:\n{completed.stdout}{completed.stderr}")
        return int(completed.stdout.split("Sent ")[1].split()[0]), seconds

    def delete_queues(self) -> None:
        """The events' queue and Dramatiq's delay and dead-letter queues beside it."""
        queues = (self.queue, f"{self.queue}.DQ", f"{self.queue}.XQ")
        subprocess.run([self.python, "-c", DELETE_QUEUES, self.broker_url, *queues], check=True, capture_output=True)


@contextmanager
def pipeline(project: Path, python: str, database_url: str, args, work: Path) -> Iterator[Pipeline]:
    """The relay and worker settings of `args` (`--broker-url`, `--relay-interval`), on a queue of their own."""
    queue = f"bench-events-{uuid.uuid4().hex[:8]}"
    found = Pipeline(project, python, database_url, args.broker_url, queue, work, args.relay_interval)
    try:
        yield found
    finally:
        found.delete_queues()


@contextmanager
def running(found: Pipeline) -> Iterator[None]:
    """The relay polling the outbox and one worker process consuming the queue, as docs/jobs-and-events.md runs them."""
    relay = found.start("relay", "flask", "outbox", "relay")
    worker = found.start("worker", "dramatiq", "worker", "--processes", "1", "--threads", "4")
    try:
        yield
    finally:
        for process in (relay, worker):
            stop_gunicorn(process)


def fill_outbox(database_url: str, events: int) -> None:
    with connected(database_url) as engine, engine.begin() as connection:
        connection.execute(text(FILL_SQL), {"events": events})


def last_event_id(database_url: str) -> int:
    with connected(database_url) as engine, engine.connect() as connection:
        return connection.scalar(text("SELECT coalesce(max(id), 0) FROM outbox"))


def outbox_rows(database_url: str) -> int:
    with connected(database_url) as engine, engine.connect() as connection:
        return int(connection.scalar(text("SELECT count(*) FROM outbox")) or 0)


def commit_to_handled(database_url: str, after: int) -> dict:
    """Seconds from each outbox row after id `after` to its handled_event row, once all are handled."""
    deadline = time.monotonic() + HANDLED_TIMEOUT_SECONDS
    with connected(database_url) as engine:
        while True:
            with engine.connect() as connection:
                handled, written, p50, p99 = connection.execute(text(LATENCY_SQL), {"after": after}).one()
            if handled == written or time.monotonic() > deadline:
                break
            time.sleep(0.5)
    return {
        "events": written,
        "handled": handled,
        "p50_ms": round(p50 * 1000, 1) if p50 is not None else None,
        "p99_ms": round(p99 * 1000, 1) if p99 is not None else None,
    }
