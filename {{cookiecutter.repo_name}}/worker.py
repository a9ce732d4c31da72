"""The worker process: `dramatiq worker` consumes the events that `flask outbox relay` publishes and runs their jobs."""

from src.create_app import load_app
from src.jobs import HANDLERS
from src.plumbing.jobs import event_broker

app = load_app(cli=False)
broker = event_broker(app, HANDLERS)
