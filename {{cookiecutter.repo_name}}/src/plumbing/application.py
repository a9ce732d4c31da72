"""`create_service_app`: the Flask application of the team's container and blueprints, with the template's features."""

import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from flask_smorest import Blueprint

{% if cookiecutter.auth == "jwt" -%}
from src.plumbing.api.auth.bearer import install_token_verifier
{% endif -%}
from src.plumbing.api.middleware import install_middleware
from src.plumbing.api.middleware.service_flask import ServiceFlask
from src.plumbing.api.openapi.api import register_api
from src.plumbing.api.openapi.idempotency import SERVICE_EXTENSION as IDEMPOTENCY_SERVICE
from src.plumbing.container import PlumbingContainer, app_container, keep_container
from src.plumbing.infrastructure.databases.closed_connections import discard_closed_connections
from src.plumbing.infrastructure.databases.connect_once import connect_once_per_request
{%- if cookiecutter.use_prometheus == "y" %}
from src.plumbing.infrastructure.databases.pool_metrics import watch_pool
{%- endif %}
from src.plumbing.infrastructure.databases.sqlalchemy_db import sqlalchemy_db
from src.plumbing.logs import configure_logging
from src.plumbing.settings.template import EMBEDDED_DATABASE_URI
from src.plumbing.wiring import wire_views

logger = logging.getLogger(__name__)


def create_service_app(
    import_name: str,
    config: Mapping[str, Any],
    container: PlumbingContainer,
    blueprints: Iterable[Blueprint],
    *,
    cli: bool,
) -> Flask:
    """The service: `config` applied, `container` as `app.container`, `blueprints` served with the template's own.

    `cli=False` leaves out the flask commands, Flask-Migrate and `flask scaffold`: a web worker imports none of them.
    """
    configure_logging(config["LOG_FORMAT"], config["LOG_LEVEL"])
{%- if cookiecutter.use_sentry == "y" %}
    if config["SENTRY_DSN"]:
        # Imported only here, so that without a DSN nothing of Sentry is loaded.
        from src.plumbing.error_tracking import track_errors

        track_errors(config)
{%- endif %}

    app = ServiceFlask(import_name)
    app.config.update(config)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = _engine_options(app.config)
    keep_container(app, container)
    app.extensions[IDEMPOTENCY_SERVICE] = container.idempotency_service

    sqlalchemy_db.init_app(app)
    with app.app_context():
        discard_closed_connections(sqlalchemy_db.engines.values())
        connect_once_per_request(sqlalchemy_db.engines.values())
{%- if cookiecutter.use_prometheus == "y" %}
        watch_pool(sqlalchemy_db.engine)
{%- endif %}
    if cli:
        register_cli(app)
    register_api(app, blueprints)
    wire_views(app)
{%- if cookiecutter.use_opentelemetry == "y" %}
    if app.config["TRACING"]:
        # Imported only here, so that without an exporter configured nothing of OpenTelemetry is loaded.
        from src.plumbing.tracing import trace_requests

        with app.app_context():
            trace_requests(app, sqlalchemy_db.engine)
{%- endif %}
{%- if cookiecutter.auth == "jwt" %}
    install_token_verifier(app)
{%- endif %}
    install_middleware(app, lambda: app_container(app).service_context_service().get())
    return app


def register_cli(app: Flask) -> None:
    # Imported here so that web workers, built with cli=False, never import Alembic or the scaffold.
    from src.plumbing.cli.idempotency_commands import delete_expired_idempotency_keys
    from src.plumbing.cli.maintenance_commands import COMMANDS
{%- if cookiecutter.worker == "y" %}
    from src.plumbing.cli.outbox_commands import outbox
{%- endif %}
{%- if cookiecutter.auth == "jwt" %}
    from src.plumbing.cli.token_commands import issue_token
{%- endif %}
    from src.plumbing.infrastructure.databases.migrations import migrate
    from src.plumbing.scaffold.command import scaffold
    from src.plumbing.scaffold.field_command import scaffold_field

    migrate.init_app(app, sqlalchemy_db)
    for command in (*COMMANDS, delete_expired_idempotency_keys, scaffold, scaffold_field):
        app.cli.add_command(command)
{%- if cookiecutter.auth == "jwt" %}
    app.cli.add_command(issue_token)
{%- endif %}
{%- if cookiecutter.worker == "y" %}
    app.cli.add_command(outbox)
{%- endif %}


def _engine_options(config: Mapping[str, Any]) -> dict[str, Any]:
    uri = config["SQLALCHEMY_DATABASE_URI"]
    if uri == EMBEDDED_DATABASE_URI:
        Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        logger.warning("SQLALCHEMY_DATABASE_URI is not set: using the embedded SQLite database %s.", uri)
    options: dict[str, Any] = {}
    if uri.startswith("postgresql"):
        options["connect_args"] = {"connect_timeout": config["DATABASE_CONNECT_TIMEOUT"]}
        # Waiting for a connection that another request holds is bounded the same way.
        options["pool_timeout"] = config["DATABASE_CONNECT_TIMEOUT"]
        options["pool_size"] = config["DATABASE_POOL_SIZE"]
        options["max_overflow"] = config["DATABASE_MAX_OVERFLOW"]
    return options
