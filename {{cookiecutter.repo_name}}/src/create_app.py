"""`create_app`: builds the Flask application from configuration."""

import logging
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dotenv import load_dotenv
from flask import Flask

{% if cookiecutter.auth == "jwt" -%}
from src.api.auth.bearer import install_token_verifier
{% endif -%}
from src.api.middleware import install_middleware
from src.api.middleware.service_flask import ServiceFlask
from src.api.openapi.api import register_api
from src.config import EMBEDDED_DATABASE_URI, ConfigurationError, load_config
from src.dependency_container import DependencyContainer
from src.infrastructure.databases import sqlalchemy_db
from src.infrastructure.databases.closed_connections import discard_closed_connections
from src.infrastructure.databases.connect_once import connect_once_per_request
{%- if cookiecutter.use_prometheus == "y" %}
from src.infrastructure.databases.pool_metrics import watch_pool
{%- endif %}
from src.library_settings import drop_empty_library_settings
from src.logs import configure_logging

logger = logging.getLogger(__name__)


def load_app(*, cli: bool) -> Flask:
    """The app of a process: configuration from the environment and `.env`, a clear exit when it is unsafe."""
    load_dotenv()
    drop_empty_library_settings()
    try:
        return create_app(cli=cli)
    except ConfigurationError as error:
        sys.exit(f"Configuration error: {error}")


def create_app(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None, *, cli: bool = True
) -> Flask:
    """Read configuration from `environ` (default: the process environment), then apply `overrides`.

    `cli=False` leaves out the flask commands and Flask-Migrate, whose Alembic import a web worker never needs.
    """
    config = load_config(os.environ if environ is None else environ)
    config.update(overrides or {})
    configure_logging(config["LOG_FORMAT"], config["LOG_LEVEL"])

    app = ServiceFlask(__name__)
    app.config.update(config)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = _engine_options(app.config)
    app.container = DependencyContainer()

    sqlalchemy_db.init_app(app)
    with app.app_context():
        discard_closed_connections(sqlalchemy_db.engines.values())
        connect_once_per_request(sqlalchemy_db.engines.values())
{%- if cookiecutter.use_prometheus == "y" %}
        watch_pool(sqlalchemy_db.engine)
{%- endif %}
    if cli:
        register_cli(app)
    register_api(app)
{%- if cookiecutter.use_opentelemetry == "y" %}
    if app.config["TRACING"]:
        # Imported only here, so that without an exporter configured nothing of OpenTelemetry is loaded.
        from src.tracing import trace_requests

        with app.app_context():
            trace_requests(app, sqlalchemy_db.engine)
{%- endif %}
{%- if cookiecutter.auth == "jwt" %}
    install_token_verifier(app)
{%- endif %}
    install_middleware(app, lambda: app.container.service_context_service().get())
    return app


def register_cli(app: Flask) -> None:
    # Imported here so that web workers, built with cli=False, never import Alembic.
    from src.cli.maintenance_commands import COMMANDS
    from src.cli.scaffold.command import scaffold
{%- if cookiecutter.auth == "jwt" %}
    from src.cli.token_commands import issue_token
{%- endif %}
    from src.infrastructure.databases.migrations import migrate

    migrate.init_app(app, sqlalchemy_db)
    for command in (*COMMANDS, scaffold):
        app.cli.add_command(command)
{%- if cookiecutter.auth == "jwt" %}
    app.cli.add_command(issue_token)
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
