"""`AppTestBase`: Flask-Testing case with the service built against this run's PostgreSQL database."""

from functools import cache
from typing import ClassVar

from flask import Blueprint, Flask
from flask_migrate import upgrade
from flask_testing import TestCase
from sqlalchemy import text

from src.api.controllers import BLUEPRINTS
from src.create_app import create_app
from src.plumbing.infrastructure import sqlalchemy_db
from src.plumbing.wiring import wire_views
from tests.resources.database import run_database_url
{%- if cookiecutter.auth == "jwt" %}
from tests.resources.tokens import TEST_JWT_SECRET, send_a_token_by_default

TEST_ENVIRONMENT = {
    "APP_ENV": "testing",
    "LOG_LEVEL": "WARNING",
    "SECRET_KEY": "test-secret",
    "JWT_SECRET": TEST_JWT_SECRET,
    # An app serves many tests, faster than any budget: tests/plumbing/api/test_rate_limits.py turns the limits on.
    "RATELIMIT_ENABLED": "false",
}
{%- else %}

# An app serves many tests, faster than any budget: tests/plumbing/api/test_rate_limits.py turns the limits on.
TEST_ENVIRONMENT = {
    "APP_ENV": "testing",
    "LOG_LEVEL": "WARNING",
    "SECRET_KEY": "test-secret",
    "RATELIMIT_ENABLED": "false",
}
{%- endif %}


class AppTestBase(TestCase):
    """Set `environment` in a subclass to add or change environment variables for its app, and `blueprints` to
    serve blueprints of the test's own beside the project's."""

    environment: ClassVar[dict[str, str]] = {}
    blueprints: ClassVar[tuple[Blueprint, ...]] = ()

    def app_environment(self) -> dict[str, str]:
        return {**TEST_ENVIRONMENT, "SQLALCHEMY_DATABASE_URI": run_database_url(), **self.environment}

    def create_app(self) -> Flask:
        app = build_app(self.app_environment(), self.blueprints)
        wire(app)
        self.addCleanup(close_pooled_connections)
        return app

    def assertError(self, response, status: int) -> dict:
        """The response is an error in the one JSON shape, with this status."""
        self.assertStatus(response, status)
        self.assertEqual(response.mimetype, "application/json")
        self.assertEqual(response.json["code"], status)
        self.assertIsInstance(response.json["status"], str)
        self.assertIsInstance(response.json["message"], str)
        self.assertEqual(response.json["request_id"], response.headers["X-Request-ID"])
        return response.json

    def setup_database(self) -> None:
        """Give the test an empty database; the schema was migrated once for the whole run."""
        delete_all_rows()


_wired_container = None


def wire(app: Flask) -> None:
    """dependency-injector wires one container at a time; make it this app's, rewiring only on a change."""
    global _wired_container
    if _wired_container is not app.container:
        wire_views(app)
        _wired_container = app.container


def build_app(environment: dict[str, str], blueprints: tuple[Blueprint, ...] = ()) -> Flask:
    """Apps are cached per environment and blueprints: building one per test would dominate the run time."""
    app = _cached_app(tuple(sorted(environment.items())), blueprints)
    migrate_once(app)
    return app


_cached_apps: list[Flask] = []


def close_pooled_connections() -> None:
    """Close the idle connections of the cached apps: they outlive their tests, their pools need not.

    Without this a run would keep a connection or more open for each environment a test asked for.
    """
    for app in _cached_apps:
        with app.app_context():
            for engine in sqlalchemy_db.engines.values():
                engine.dispose()


@cache
def _cached_app(environment: tuple[tuple[str, str], ...], blueprints: tuple[Blueprint, ...]) -> Flask:
    app = new_app(dict(environment), blueprints)
    _cached_apps.append(app)
    return app


def new_app(environment: dict[str, str], blueprints: tuple[Blueprint, ...] = ()) -> Flask:
{%- if cookiecutter.auth == "jwt" %}
    """The service as the tests use it; its `test_client()` sends a token granting every declared scope.
{%- else %}
    """The service as the tests use it.
{%- endif %}

    Building an app wires the views to its container, so `wire` must rebind them for any other app it is given.
    """
    global _wired_container
    app = create_app(environ=environment, blueprints=[*BLUEPRINTS, *blueprints])
{%- if cookiecutter.auth == "jwt" %}
    send_a_token_by_default(app)
{%- endif %}
    _wired_container = app.container
    return app


_migrated_databases: set[str] = set()


def migrate_once(app: Flask) -> None:
    """The schema comes from the migrations, so a model change without a migration fails the tests."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url not in _migrated_databases:
        with app.app_context():
            upgrade()
        _migrated_databases.add(url)


def delete_all_rows() -> None:
    statements = "; ".join(f'DELETE FROM "{table.name}"' for table in reversed(sqlalchemy_db.metadata.sorted_tables))
    with sqlalchemy_db.engine.begin() as connection:
        connection.execute(text(statements))
