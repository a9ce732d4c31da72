"""`create_app`: builds the Flask application from configuration."""

import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from dotenv import load_dotenv
from flask import Blueprint, Flask

import src.infrastructure.models  # noqa: F401  every table of the team's, for Flask-Migrate's autogenerate
from src.api.controllers import BLUEPRINTS
from src.config import load_config
from src.dependency_container import DependencyContainer
from src.plumbing.application import create_service_app
from src.plumbing.settings import ConfigurationError, drop_empty_library_settings


def load_app(*, cli: bool) -> Flask:
    """The app of a process: configuration from the environment and `.env`, a clear exit when it is unsafe."""
    load_dotenv()
    drop_empty_library_settings()
    try:
        return create_app(cli=cli)
    except ConfigurationError as error:
        sys.exit(f"Configuration error: {error}")


def create_app(
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    *,
    cli: bool = True,
    blueprints: Sequence[Blueprint] = BLUEPRINTS,
) -> Flask:
    """Read configuration from `environ` (default: the process environment), then apply `overrides`.

    `cli=False` leaves out the flask commands, Flask-Migrate and `flask scaffold`, which a web worker never needs.
    `blueprints` are the ones served; a test may add its own to the project's.
    """
    config = load_config(os.environ if environ is None else environ)
    config.update(overrides or {})
    return create_service_app(__name__, config, DependencyContainer(), blueprints, cli=cli)
