"""Prometheus gauges of the database connection pool, read from SQLAlchemy's pool as connections come and go."""

from prometheus_client import Gauge
from sqlalchemy import Engine, event
from sqlalchemy.pool import QueuePool

# livesum: each gunicorn worker has its own pool; the sum is what the database sees from this instance.
POOL_SIZE = Gauge("db_pool_size", "Connections the pool keeps open.", multiprocess_mode="livesum")
POOL_CHECKED_OUT = Gauge("db_pool_checked_out", "Connections in use by requests.", multiprocess_mode="livesum")
POOL_OVERFLOW = Gauge("db_pool_overflow", "Connections open beyond the pool size.", multiprocess_mode="livesum")


def watch_pool(engine: Engine) -> None:
    """Only a `QueuePool` (PostgreSQL, a SQLite file) has a size and an overflow to report."""
    pool = engine.pool
    if not isinstance(pool, QueuePool):
        return
    POOL_SIZE.set(pool.size())
    # Under gunicorn each write goes to a shared file: the overflow, which rarely changes, is written on change only.
    overflow_written = 0

    def record(checked_out: int) -> None:
        nonlocal overflow_written
        POOL_CHECKED_OUT.set(checked_out)
        overflow = max(pool.overflow(), 0)
        if overflow != overflow_written:
            POOL_OVERFLOW.set(overflow)
            overflow_written = overflow

    @event.listens_for(pool, "checkout")
    def connection_checked_out(*_: object) -> None:
        record(pool.checkedout())

    @event.listens_for(pool, "checkin")
    def connection_checked_in(*_: object) -> None:
        # The pool fires `checkin` before it takes the connection back, so it still counts this one.
        record(max(pool.checkedout() - 1, 0))
