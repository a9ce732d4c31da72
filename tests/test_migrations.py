"""A baked project's migrations on PostgreSQL and on the SQLite default: upgrade, check, downgrade,
offline SQL, and a new model taken from the README through `flask db migrate`."""

import contextlib
import json
import os
import re
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import postgres_server_url
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

BACKENDS = ["postgresql", "sqlite"]
COMMAND_TIMEOUT_SECONDS = 180
NO_DRIFT = "No new upgrade operations detected."
# The tables `flask db` compares: the app's models and the template's own, which the migrations'
# set-up imports.
METADATA_TABLES = (
    "import json, src.create_app, src.plumbing.infrastructure.databases.migrations; "
    "from src.plumbing.infrastructure import sqlalchemy_db; "
    "print(json.dumps(sorted(sqlalchemy_db.metadata.tables)))"
)
MODEL_IMPORT = "\nfrom src.infrastructure.models.user_model import User  # noqa: E402, F401\n"


@dataclass
class Database:
    url: str
    environ: dict[str, str]

    def tables(self):
        engine = create_engine(self.url)
        try:
            return set(inspect(engine).get_table_names())
        finally:
            engine.dispose()


def project_environ(project, **settings):
    """The environment a developer's shell gives `flask`: the project's .env decides the rest."""
    env_keys = {
        line.split("=", 1)[0]
        for line in (project / ".env").read_text(encoding="utf-8").splitlines()
        if "=" in line and not line.startswith("#")
    }
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in env_keys and not key.startswith("FLASK_")
    }
    return {**environ, **settings}


@contextlib.contextmanager
def postgres_database(project):
    """A uniquely named database on TEST_DATABASE_URL's server, dropped afterwards."""
    server = make_url(postgres_server_url("check the migrations on PostgreSQL")).set(
        drivername="postgresql+psycopg2"
    )
    name = f"template_migrations_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = server.set(database=name).render_as_string(hide_password=False)
        yield Database(url, project_environ(project, SQLALCHEMY_DATABASE_URI=url))
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextlib.contextmanager
def sqlite_default_database(project):
    """No database URL at all: development falls back to the project's SQLite file."""
    path = project / "instance" / "development.sqlite3"
    try:
        yield Database(f"sqlite:///{path}", project_environ(project))
    finally:
        path.unlink(missing_ok=True)


def database_for(backend, project):
    opener = postgres_database if backend == "postgresql" else sqlite_default_database
    return opener(project)


def flask(project, database, *args):
    return subprocess.run(
        [sys.executable, "-m", "flask", *args],
        cwd=project,
        env=database.environ,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=COMMAND_TIMEOUT_SECONDS,
    )


def flask_ok(project, database, *args):
    completed = flask(project, database, *args)
    assert completed.returncode == 0, (
        f"flask {' '.join(args)}\n{completed.stdout}{completed.stderr}"
    )
    return completed.stdout + completed.stderr


def metadata_tables(project):
    completed = subprocess.run(
        [sys.executable, "-c", METADATA_TABLES],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
        timeout=COMMAND_TIMEOUT_SECONDS,
    )
    tables = set(json.loads(completed.stdout))
    assert tables, "the baked project's models define no table"
    return tables


def readme_model(project):
    """The model the README shows as the example of adding a table."""
    readme = (project / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    models = [block for block in blocks if "(ModelExtension)" in block]
    assert len(models) == 1, "the README should show one model on ModelExtension"
    return models[0]


@pytest.fixture(scope="module")
def project(cookies_session, template_dir):
    result = cookies_session.bake(template=str(template_dir))
    assert result.exception is None, result.exception
    return Path(result.project_path)


@pytest.mark.parametrize("backend", BACKENDS)
def test_upgrade_check_downgrade_and_upgrade_again(project, backend):
    expected = metadata_tables(project) | {"alembic_version"}
    with database_for(backend, project) as database:
        flask_ok(project, database, "db", "upgrade")
        assert database.tables() == expected
        assert NO_DRIFT in flask_ok(project, database, "db", "check")

        flask_ok(project, database, "db", "downgrade", "base")
        assert database.tables() == {"alembic_version"}

        flask_ok(project, database, "db", "upgrade")
        assert database.tables() == expected
        assert NO_DRIFT in flask_ok(project, database, "db", "check")


@pytest.mark.parametrize("backend", BACKENDS)
def test_upgrade_sql_prints_every_table_and_touches_nothing(project, backend):
    with database_for(backend, project) as database:
        sql = flask_ok(project, database, "db", "upgrade", "--sql")

        for table in metadata_tables(project):
            assert re.search(rf'CREATE TABLE "?{table}"? \(', sql), f"no CREATE TABLE {table}"
        assert database.tables() <= {"alembic_version"}


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_model_added_as_the_readme_shows_gets_its_table(bakery, backend):
    project = bakery.bake()
    with database_for(backend, project) as database:
        flask_ok(project, database, "db", "upgrade")
        models = project / "src" / "infrastructure" / "models"
        (models / "user_model.py").write_text(readme_model(project), encoding="utf-8")
        with (models / "__init__.py").open("a", encoding="utf-8") as init:
            init.write(MODEL_IMPORT)

        drift = flask(project, database, "db", "check")
        assert drift.returncode != 0, "flask db check missed a model without a migration"

        flask_ok(project, database, "db", "migrate", "-m", "add users")
        revisions = list((project / "migrations" / "versions").glob("*_add_users.py"))
        assert len(revisions) == 1, sorted(p.name for p in revisions)
        flask_ok(project, database, "db", "upgrade")

        assert "users" in database.tables()
        assert NO_DRIFT in flask_ok(project, database, "db", "check")
        flask_ok(project, database, "db", "downgrade")
        assert "users" not in database.tables()
