"""The worker of the SIGKILL test: its job writes the notification, says it started, then waits before it returns."""

import os
import time
from pathlib import Path

from src.create_app import create_app
from src.domain.todo_events import TodoCompleted
from src.jobs import todo_jobs
from src.plumbing.jobs import event_broker


def notify_slowly(event: TodoCompleted) -> None:
    todo_jobs.notify_todo_completed(event)
    Path(os.environ["JOB_STARTED_FILE"]).touch()
    time.sleep(float(os.environ["JOB_SECONDS"]))


app = create_app(environ=os.environ)
app.container.wire(modules=[todo_jobs])
broker = event_broker(app, {TodoCompleted: [notify_slowly]})
