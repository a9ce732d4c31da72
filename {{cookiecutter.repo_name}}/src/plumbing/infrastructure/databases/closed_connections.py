"""Replace pooled connections that the database server has closed, before a request uses one.

SQLAlchemy's `pool_pre_ping` finds them with a `SELECT 1` round trip on every checkout. A server that closes a
connection (restart, failover, `pg_terminate_backend`, an idle timeout) sends its goodbye and shuts the socket,
which makes the socket readable, while an idle, healthy connection never has anything to read. A zero-timeout
poll finds the same connections for one system call, and only a readable one pays for the real ping; urllib3
checks pooled HTTP connections the same way. A connection lost without a word (a network partition) is found
when a statement fails: SQLAlchemy then discards the whole pool and the next request reconnects.
"""

import select
from collections.abc import Callable, Iterable

from sqlalchemy import event
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection


def discard_closed_connections(engines: Iterable[Engine]) -> None:
    for engine in engines:
        event.listen(engine, "checkout", _closed_connection_check(engine.dialect))


def _closed_connection_check(
    dialect: Dialect,
) -> Callable[[DBAPIConnection, ConnectionPoolEntry, PoolProxiedConnection], None]:
    def refuse_closed_connection(
        dbapi_connection: DBAPIConnection,
        connection_record: ConnectionPoolEntry,
        connection_proxy: PoolProxiedConnection,
    ) -> None:
        if _has_pending_input(dbapi_connection) and not _answers_ping(dialect, dbapi_connection):
            # The pool discards this connection and hands out a new one.
            raise DisconnectionError("The database server closed this pooled connection.")

    return refuse_closed_connection


def _has_pending_input(dbapi_connection: DBAPIConnection) -> bool:
    fileno = getattr(dbapi_connection, "fileno", None)
    if fileno is None:
        return False  # an in-process database such as SQLite: nothing to lose
    try:
        descriptor = fileno()
    except Exception:
        return True  # the driver has closed it already
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(descriptor, select.POLLIN)
        return bool(poller.poll(0))
    return bool(select.select([descriptor], [], [], 0)[0])


def _answers_ping(dialect: Dialect, dbapi_connection: DBAPIConnection) -> bool:
    """Something to read is not always a goodbye: the server may have reported a changed setting."""
    try:
        dialect.do_ping(dbapi_connection)
    except Exception:
        return False
    return True
