"""`flask outbox relay`, `backlog`, `purge` and `dead-letters`: the operator's side of events."""

import json
import logging
import signal
import threading
from datetime import timedelta

import click
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.errors import BrokerConnectionError
from flask import current_app
from flask.cli import with_appcontext

from src.plumbing.infrastructure.databases import sqlalchemy_db
from src.plumbing.infrastructure.models.types import utc_now
{%- if cookiecutter.use_prometheus == "y" %}
from src.plumbing.infrastructure.outbox.backlog_metrics import record_backlog, serve_relay_metrics
{%- endif %}
from src.plumbing.infrastructure.outbox.broker import DramatiqPublisher, rabbitmq_broker
from src.plumbing.infrastructure.outbox.dead_letters import DeadLetters
from src.plumbing.infrastructure.outbox.heartbeat import touch
from src.plumbing.infrastructure.outbox.relay import OutboxRelay, outbox_backlog
from src.plumbing.infrastructure.outbox.retention import delete_old_events

logger = logging.getLogger(__name__)


def broker_url() -> str:
    url: str = current_app.config["BROKER_URL"]
    if not url:
        raise click.ClickException("No BROKER_URL is set: events wait in the outbox until a relay has a broker.")
    return url


def connected_broker() -> RabbitmqBroker:
    """The broker of `BROKER_URL`, its connection closed when the command ends."""
    broker = rabbitmq_broker(broker_url())
    click.get_current_context().call_on_close(broker.close)
    return broker


@click.group("outbox")
def outbox() -> None:
    """Send the events of the outbox to the broker, and look after the ones that failed."""


@outbox.command("relay")
@with_appcontext
@click.option("--once", is_flag=True, help="Send what waits now and stop, instead of running until stopped.")
{%- if cookiecutter.use_prometheus == "y" %}
@click.option("--metrics-port", type=int, default=None, help="Serve the backlog gauges at :PORT/metrics.")
def relay(once: bool, metrics_port: int | None) -> None:
{%- else %}
def relay(once: bool) -> None:
{%- endif %}
    """Publish unsent events in outbox order and mark them sent."""
    broker = connected_broker()
    outbox_relay = OutboxRelay(sqlalchemy_db.session, DramatiqPublisher(broker, current_app.config["EVENTS_QUEUE"]))
    if once:
        sent = 0
        while batch := outbox_relay.relay_batch():
            sent += batch
        click.echo(f"Sent {counted(sent, 'event', 'events')}.")
        return
    interval = current_app.config["RELAY_INTERVAL"]
{%- if cookiecutter.use_prometheus == "y" %}
    if metrics_port is not None:
        serve_relay_metrics(metrics_port)
{%- endif %}
    # SIGTERM (a container or pod being stopped) or Ctrl-C ends the loop between two batches, so the batch in hand
    # is sent and marked sent before the relay exits; a wait for the next round ends at once.
    stopping = threading.Event()
    for stop_signal in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop_signal, lambda signum, frame: stopping.set())
    while not stopping.is_set():
        touch(current_app.config["RELAY_HEARTBEAT_FILE"])
        try:
            if outbox_relay.relay_batch():
                continue
        except BrokerConnectionError as error:
            # The events stay unsent; the next round publishes them once the broker is back.
            logger.warning("The broker is out of reach (%s); retrying in %s s.", error, interval)
{%- if cookiecutter.use_prometheus == "y" %}
        record_backlog(sqlalchemy_db.session)
{%- endif %}
        stopping.wait(interval)
    logger.info("Stopped.")


@outbox.command("backlog")
@with_appcontext
def backlog() -> None:
    """Print how many events wait and how old the oldest is."""
    count, age = outbox_backlog(sqlalchemy_db.session)
    click.echo(f"{counted(count, 'event waits', 'events wait')}; the oldest for {age:.1f} s.")


@outbox.command("purge")
@with_appcontext
def purge() -> None:
    """Delete the events sent, and the ids of events handled, longer than EVENT_RETENTION seconds ago."""
    retention = current_app.config["EVENT_RETENTION"]
    sent, handled = delete_old_events(sqlalchemy_db.session, utc_now() - timedelta(seconds=retention))
    click.echo(
        f"Deleted {counted(sent, 'sent event', 'sent events')} and {counted(handled, 'handled id', 'handled ids')}"
        f" older than {retention} s."
    )


@outbox.group("dead-letters")
def dead_letters() -> None:
    """Events whose job failed after all its retries, kept in the broker's dead-letter queue."""


@dead_letters.command("list")
@with_appcontext
def list_dead_letters() -> None:
    """Print each dead letter as one JSON line."""
    for letter in DeadLetters(connected_broker(), current_app.config["EVENTS_QUEUE"]).peek():
        click.echo(json.dumps(letter, default=str))


@dead_letters.command("replay")
@with_appcontext
def replay_dead_letters() -> None:
    """Send every dead letter back to the queue of events, with its retries reset."""
    count = DeadLetters(connected_broker(), current_app.config["EVENTS_QUEUE"]).replay()
    click.echo(f"Replayed {counted(count, 'dead letter', 'dead letters')}.")


def counted(count: int, one: str, many: str) -> str:
    """`1 event`, `2 events`: the count with the noun it takes."""
    return f"{count} {one if count == 1 else many}"
