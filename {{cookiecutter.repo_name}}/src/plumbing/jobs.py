"""The worker's side of domain events: the broker with the event actor, bound to the app and the team's jobs."""

import sys
from collections.abc import Mapping, Sequence

from dramatiq.brokers.rabbitmq import RabbitmqBroker
from flask import Flask

from src.plumbing.container import app_container
from src.plumbing.domain.events import DomainEvent
from src.plumbing.infrastructure.outbox.broker import declare_event_actor, rabbitmq_broker
from src.plumbing.infrastructure.outbox.consumer import EventConsumer, Handler
from src.plumbing.infrastructure.outbox.heartbeat import WorkerHeartbeat
{%- if cookiecutter.use_prometheus == "y" %}
from src.plumbing.infrastructure.outbox.job_metrics import JobMetrics
{%- endif %}
from src.plumbing.settings.jobs import actor_options
from src.plumbing.settings.readers import ConfigurationError


def event_broker(app: Flask, handlers: Mapping[type[DomainEvent], Sequence[Handler]]) -> RabbitmqBroker:
    """The broker of `BROKER_URL`, its actor running `handlers`, whose `Provide` markers use `app.container`."""
    if not app.config["BROKER_URL"]:
        raise ConfigurationError("The worker needs BROKER_URL, e.g. amqp://guest:guest@127.0.0.1:5672/.")
    modules = {handler.__module__ for found in handlers.values() for handler in found}
    app_container(app).wire(modules=[sys.modules[name] for name in sorted(modules)])
    broker = rabbitmq_broker(app.config["BROKER_URL"])
    broker.add_middleware(WorkerHeartbeat(app.config["WORKER_HEARTBEAT_FILE"]))
{%- if cookiecutter.use_prometheus == "y" %}
    broker.add_middleware(JobMetrics(app.config["WORKER_METRICS_PORT"]))
{%- endif %}
    consumer = EventConsumer(app, handlers)
    declare_event_actor(broker, app.config["EVENTS_QUEUE"], consumer, actor_options(app.config))
    return broker
