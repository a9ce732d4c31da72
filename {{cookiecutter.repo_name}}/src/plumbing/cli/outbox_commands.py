"""`flask outbox relay`, `flask outbox backlog` and `flask outbox dead-letters`: the operator's side of events."""

import json
import logging
import time

import click
from dramatiq.errors import BrokerConnectionError
from flask import current_app
from flask.cli import with_appcontext

from src.plumbing.infrastructure.databases import sqlalchemy_db
from src.plumbing.infrastructure.outbox.broker import DramatiqPublisher, rabbitmq_broker
from src.plumbing.infrastructure.outbox.dead_letters import DeadLetters
from src.plumbing.infrastructure.outbox.relay import OutboxRelay

logger = logging.getLogger(__name__)


def broker_url() -> str:
    url = current_app.config["BROKER_URL"]
    if not url:
        raise click.ClickException("No BROKER_URL is set: events wait in the outbox until a relay has a broker.")
    return url


@click.group("outbox")
def outbox() -> None:
    """Send the events of the outbox to the broker, and look after the ones that failed."""


@outbox.command("relay")
@with_appcontext
@click.option("--once", is_flag=True, help="Send what waits now and stop, instead of running until stopped.")
def relay(once: bool) -> None:
    """Publish unsent events in outbox order and mark them sent."""
    broker = rabbitmq_broker(broker_url())
    relay = OutboxRelay(sqlalchemy_db.session, DramatiqPublisher(broker, current_app.config["EVENTS_QUEUE"]))
    if once:
        sent = 0
        while batch := relay.relay_batch():
            sent += batch
        click.echo(f"Sent {sent} events.")
        return
    interval = current_app.config["RELAY_INTERVAL"]
    while True:
        try:
            if relay.relay_batch():
                continue
        except BrokerConnectionError as error:
            # The events stay unsent; the next round publishes them once the broker is back.
            logger.warning("The broker is out of reach (%s); retrying in %s s.", error, interval)
        time.sleep(interval)


@outbox.command("backlog")
@with_appcontext
def backlog() -> None:
    """Print how many events wait and how old the oldest is."""
    count, age = OutboxRelay(sqlalchemy_db.session, publish=print).backlog()
    click.echo(f"{count} events wait; the oldest for {age:.1f} s.")


@outbox.group("dead-letters")
def dead_letters() -> None:
    """Events whose job failed after all its retries, kept in the broker's dead-letter queue."""


@dead_letters.command("list")
@with_appcontext
def list_dead_letters() -> None:
    """Print each dead letter as one JSON line."""
    for letter in DeadLetters(rabbitmq_broker(broker_url()), current_app.config["EVENTS_QUEUE"]).peek():
        click.echo(json.dumps(letter, default=str))


@dead_letters.command("replay")
@with_appcontext
def replay_dead_letters() -> None:
    """Send every dead letter back to the queue of events, with its retries reset."""
    count = DeadLetters(rabbitmq_broker(broker_url()), current_app.config["EVENTS_QUEUE"]).replay()
    click.echo(f"Replayed {count} dead letters.")
