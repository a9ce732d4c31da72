"""Under gevent workers, psycopg2 waits for the database as a greenlet, so one slow query cannot stall a worker.

gevent makes Python's sockets cooperative, but psycopg2 talks to the server through libpq, in C: without a wait
callback, a query that waits on a lock, or a connection attempt to a silent server, blocks every request of its
worker. With one, libpq runs non-blocking and psycopg2 calls it to wait, which yields to the worker's other
greenlets. libpq ignores `connect_timeout` when the caller waits for it, so this callback enforces it; that
deadline is all it adds to psycogreen's `patch_psycopg()`, which does the rest of this.
psycopg2 refuses `COPY` while a wait callback is set; the service sends none.
"""

import time

import psycopg2
from gevent.socket import wait_read, wait_write
from psycopg2 import extensions

# libpq treats a connect_timeout of 1 as 2 seconds, and 0 (or none) as no limit; the callback does the same.
SHORTEST_CONNECT_TIMEOUT = 2


def wait_for_database_cooperatively() -> None:
    """Make every psycopg2 connection of this process wait through gevent (psycopg2's public wait callback)."""
    extensions.set_wait_callback(wait_as_greenlet)


def wait_as_greenlet(connection: extensions.connection) -> None:
    deadline = _connect_deadline(connection) if connection.status == extensions.STATUS_SETUP else None
    while (state := connection.poll()) != extensions.POLL_OK:
        if state == extensions.POLL_READ:
            wait = wait_read
        elif state == extensions.POLL_WRITE:
            wait = wait_write
        else:
            raise psycopg2.OperationalError(f"Unexpected result from psycopg2's poll: {state!r}")
        if deadline is None:
            wait(connection.fileno())
        else:
            # libpq's own words for the same end, so that the log of 503 causes reads the same under any worker.
            timed_out = psycopg2.OperationalError("connection to server failed: timeout expired")
            wait(connection.fileno(), timeout=max(deadline - time.monotonic(), 0), timeout_exc=timed_out)


def _connect_deadline(connection: extensions.connection) -> float | None:
    seconds = int(extensions.parse_dsn(connection.dsn).get("connect_timeout") or 0)
    if seconds <= 0:
        return None
    return time.monotonic() + max(seconds, SHORTEST_CONNECT_TIMEOUT)
