"""A database out of reach costs a request one connection attempt, not one for each unit of work it runs.

The maintenance gate reads its flag and the operation then reads or writes: without this, a database that
accepts connections and never answers would make such a request wait `DATABASE_CONNECT_TIMEOUT` twice.
"""

from collections.abc import Iterable
from typing import Any

from flask import g, has_request_context
from sqlalchemy import event
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry

FAILED_CONNECT = "failed_database_connect"


def connect_once_per_request(engines: Iterable[Engine]) -> None:
    for engine in engines:
        event.listen(engine, "do_connect", _first_attempt_only)


def _first_attempt_only(
    dialect: Dialect, connection_record: ConnectionPoolEntry, cargs: list[Any], cparams: dict[str, Any]
) -> DBAPIConnection:
    """SQLAlchemy's `do_connect` hook: connect as the dialect would, unless this request failed to already."""
    if not has_request_context():
        return dialect.connect(*cargs, **cparams)
    failed = g.get(FAILED_CONNECT)
    if failed is not None:
        # The same message, so that the log of 503 causes counts it as the same failure.
        raise dialect.loaded_dbapi.OperationalError(failed)
    try:
        return dialect.connect(*cargs, **cparams)
    except dialect.loaded_dbapi.Error as error:
        setattr(g, FAILED_CONNECT, str(error))
        raise
