"""Throwaway PostgreSQL databases for one run: created next to TEST_DATABASE_URL, then dropped."""

import os
import statistics
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

DEFAULT_SERVER_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
SEED_SQL = """
INSERT INTO todo (title, description, completed, version, created_at, updated_at)
SELECT 'todo ' || n, 'seeded by the benchmark', n % 2 = 0, 1, now(), now()
FROM generate_series(1, :rows) AS n
"""


def server_url() -> str:
    return os.environ.get("TEST_DATABASE_URL", "").strip() or DEFAULT_SERVER_URL


@contextmanager
def throwaway_database(label: str) -> Iterator[str]:
    """Yield the URL of a new, uniquely named database; drop it afterwards, even after errors."""
    server = make_url(server_url()).set(drivername="postgresql+psycopg2")
    name = f"bench_{label}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def connected(url: str, autocommit: bool = False) -> Iterator[Engine]:
    engine = create_engine(url, isolation_level="AUTOCOMMIT" if autocommit else None)
    try:
        yield engine
    finally:
        engine.dispose()


def seed_todos(url: str, rows: int) -> int:
    """Insert `rows` todos in one statement, vacuum, and return the highest id."""
    with connected(url) as engine, engine.begin() as connection:
        connection.execute(text(SEED_SQL), {"rows": rows})
    vacuum(url)
    with connected(url) as engine, engine.connect() as connection:
        return connection.scalar(text("SELECT max(id) FROM todo"))


def delete_todos_after(url: str, last_seeded_id: int) -> None:
    """Remove what POST runs added, so every run reads a table of the same size."""
    with connected(url) as engine, engine.begin() as connection:
        connection.execute(text("DELETE FROM todo WHERE id > :last"), {"last": last_seeded_id})
    vacuum(url)


def vacuum(url: str) -> None:
    with connected(url, autocommit=True) as engine, engine.connect() as connection:
        connection.execute(text("VACUUM ANALYZE todo"))


def median_query_ms(url: str, sql: str, runs: int = 5) -> float:
    """Median wall time of one SQL statement, measured on one connection after a warm-up run."""
    timings = []
    with connected(url) as engine, engine.connect() as connection:
        connection.execute(text(sql)).all()
        for _ in range(runs):
            started = time.perf_counter()
            connection.execute(text(sql)).all()
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)
