"""The migrations on PostgreSQL, through pytest-alembic: a stairway of every revision, one head, models at the head.

Each test starts from an empty database of its own, and Alembic runs through Flask-Migrate's own configuration
and `migrations/env.py`, exactly as `flask db upgrade` does.
"""

import pytest
from alembic.script import ScriptDirectory
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
    """The stairway: one revision at a time, so a downgrade that leaves something behind fails at its own step.

    The history may have branched and merged again, as it does when a template update brings a migration beside
    your own (`flask db merge heads`): each revision is still undone alone.
    """
    script = ScriptDirectory.from_config(migrate.get_config())
    revisions = alembic_runner.history.revisions[1:-1]  # without the "base" and "heads" markers
    assert revisions, "migrations/versions holds no revision"
    for revision in revisions:
        alembic_runner.migrate_up_to(revision)
        alembic_runner.raw_command("downgrade", just_below(script, revision))
        alembic_runner.migrate_up_to(revision)
    assert alembic_runner.current == alembic_runner.heads[0]


def just_below(script: ScriptDirectory, revision: str) -> str:
    """The downgrade target that undoes `revision` alone: one step down its branch, or for a merge, one side of it."""
    parents = script.get_revision(revision).down_revision
    return parents[0] if isinstance(parents, tuple) else f"{revision}@-1"


def test_the_history_has_one_head(alembic_runner: MigrationContext):
    tests.test_single_head_revision(alembic_runner)


def test_the_models_match_the_head(alembic_runner: MigrationContext):
    """What `flask db check` asks in CI, here on a database built by the migrations alone."""
    tests.test_model_definitions_match_ddl(alembic_runner)
