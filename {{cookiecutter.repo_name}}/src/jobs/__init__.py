"""Jobs: what the worker runs when a domain event arrives, each event class with its handlers."""

from src.domain.todo_events import TodoCompleted
from src.jobs.todo_jobs import notify_todo_completed

HANDLERS = {
    TodoCompleted: [notify_todo_completed],
}
