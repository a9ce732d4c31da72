"""A worker killed (SIGKILL) mid-job: RabbitMQ gives the message to the next worker, and the effect happens once."""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from src.infrastructure.models import NotificationModel
from src.plumbing.infrastructure.databases import sqlalchemy_db
from src.plumbing.infrastructure.outbox.broker import DramatiqPublisher
from src.plumbing.infrastructure.outbox.relay import OutboxRelay
from tests.jobs.worker_test_base import BrokerTestBase
from tests.resources.broker import unique_queue, worker_environment

PROJECT_ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 60


class KilledWorkerTest(BrokerTestBase):
    queue: ClassVar[str] = unique_queue()
    environment: ClassVar[dict[str, str]] = worker_environment(queue)

    def setUp(self) -> None:
        super().setUp()
        self.started = Path(tempfile.mkdtemp()) / "job-started"

    def start_worker(self, job_seconds: float) -> subprocess.Popen:
        environment = {**os.environ, **self.app_environment()}
        environment.update(JOB_STARTED_FILE=str(self.started), JOB_SECONDS=str(job_seconds))
        worker = subprocess.Popen(
            [sys.executable, "-m", "dramatiq", "tests.jobs.slow_worker", "--processes", "1", "--threads", "1"],
            cwd=PROJECT_ROOT,
            env=environment,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.addCleanup(stop, worker)
        return worker

    def notified_todos(self) -> list[int]:
        with Session(sqlalchemy_db.engine) as session:
            return list(session.scalars(select(NotificationModel.todo_id)))

    def wait_until(self, condition, what: str) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while not condition():
            self.assertLess(time.monotonic(), deadline, f"waited {WAIT_SECONDS} s for {what}")
            time.sleep(0.1)

    def test_the_job_of_a_killed_worker_runs_again_and_its_effect_happens_once(self):
        service = self.app.container.todo_service()
        todo = service.update(service.create({"title": "Ship it"}).id, {"completed": True})
        with Session(sqlalchemy_db.engine) as session:
            OutboxRelay(session, DramatiqPublisher(self.broker, self.queue)).relay_batch()

        first = self.start_worker(job_seconds=WAIT_SECONDS)
        self.wait_until(self.started.exists, "the first worker to start the job")
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(WAIT_SECONDS)
        self.assertEqual(self.notified_todos(), [], "the killed job's transaction was rolled back")

        self.start_worker(job_seconds=0)
        self.wait_until(self.notified_todos, "the second worker to run the job")
        time.sleep(1)  # a second run, were there one, would have written by now
        self.assertEqual(self.notified_todos(), [todo.id])


def stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(WAIT_SECONDS)
