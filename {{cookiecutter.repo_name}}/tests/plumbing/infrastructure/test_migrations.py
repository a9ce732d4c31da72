"""The migrations on PostgreSQL, through pytest-alembic: a stairway of every revision, one head, models at the head.

Each test starts from an empty database of its own, and Alembic runs through Flask-Migrate's own configuration
and `migrations/env.py`, exactly as `flask db upgrade` does.
"""

import pytest
from pytest_alembic import Config, MigrationContext, tests

from src.plumbing.infrastructure import sqlalchemy_db
from src.plumbing.infrastructure.databases.migrations import migrate
from tests.resources.app_test_base import TEST_ENVIRONMENT, new_app
from tests.resources.database import empty_database


@pytest.fixture
def app_on_an_empty_database():
    app = new_app({**TEST_ENVIRONMENT, "SQLALCHEMY_DATABASE_URI": empty_database()})
    with app.app_context():
        yield app
        sqlalchemy_db.engine.dispose()


@pytest.fixture
def alembic_config(app_on_an_empty_database) -> Config:
    """Flask-Migrate's configuration: `migrations/env.py` takes the engine and compare settings from the app."""
    return Config(alembic_config=migrate.get_config())


@pytest.fixture
def alembic_engine(app_on_an_empty_database):
    return sqlalchemy_db.engine


def test_every_revision_upgrades_downgrades_and_upgrades_again(alembic_runner: MigrationContext):
    """The stairway: one revision at a time, so a downgrade that leaves something behind fails at its own step."""
    revisions = alembic_runner.history.revisions[1:-1]  # without the "base" and "heads" markers
    assert revisions, "migrations/versions holds no revision"
    for revision in revisions:
        assert alembic_runner.roundtrip_next_revision() == revision
    assert alembic_runner.current == alembic_runner.heads[0]


def test_the_history_has_one_head(alembic_runner: MigrationContext):
    tests.test_single_head_revision(alembic_runner)


def test_the_models_match_the_head(alembic_runner: MigrationContext):
    """What `flask db check` asks in CI, here on a database built by the migrations alone."""
    tests.test_model_definitions_match_ddl(alembic_runner)
