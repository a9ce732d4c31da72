"""The PostgreSQL database of one test run: created and migrated on first use, dropped at exit."""

import atexit
import os
import uuid

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.resources.docker_engine import docker_answers

NO_DATABASE_MESSAGE = (
    "The tests need PostgreSQL. Either set TEST_DATABASE_URL to a server the tests may create databases on "
    "(e.g. postgresql://postgres@127.0.0.1:5432/postgres), or start a Docker engine so that testcontainers "
    "can run one."
)
DEFAULT_POSTGRES_IMAGE = "postgres:16-alpine"


class DatabaseUnavailable(RuntimeError):
    """Neither TEST_DATABASE_URL nor a Docker engine is available."""


def _server_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    if url:
        return url
    if docker_answers():
        return _start_container()
    raise DatabaseUnavailable(NO_DATABASE_MESSAGE)


def _start_container() -> str:
    from testcontainers.community.postgres import PostgresContainer

    # The same image scripts/run_postgres.sh starts; TEST_POSTGRES_IMAGE names another, e.g. a mirror's copy.
    image = os.environ.get("TEST_POSTGRES_IMAGE", "").strip() or DEFAULT_POSTGRES_IMAGE
    container = PostgresContainer(image).start()
    atexit.register(container.stop)
    return container.get_connection_url()


def _create_database(server_url: str) -> str:
    """Create a uniquely named database next to `server_url`'s, so parallel runs never collide."""
    server = make_url(server_url).set(drivername="postgresql+psycopg2")
    name = f"test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    atexit.register(_drop_database, admin, name)
    return server.set(database=name).render_as_string(hide_password=False)


def _drop_database(admin, name: str) -> None:
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


_url: str | None = None


def run_database_url() -> str:
    """The URL of this run's database, creating it on the first call."""
    global _url
    if _url is None:
        _url = _create_database(_server_url())
    return _url


def empty_database() -> str:
    """Another database next to this run's, without any schema, for tests of the migrations; dropped at exit."""
    return _create_database(run_database_url())
