"""Storage failures a caller can act on, translated into the domain's errors."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from src.plumbing.domain.errors import ConflictError, UnavailableError

CONFLICT_MESSAGE = "The change conflicts with stored data: a unique value is taken, or a reference does not hold."
UNAVAILABLE_MESSAGE = "The database cannot be reached right now; retry shortly."


@contextmanager
def storage_errors() -> Iterator[None]:
    """A constraint violation becomes `ConflictError`, a database out of reach `UnavailableError`."""
    try:
        yield
    except IntegrityError as error:
        raise ConflictError(CONFLICT_MESSAGE) from error
    except (DBAPIError, PoolTimeoutError) as error:
        if not _is_unavailable(error):
            raise
        raise UnavailableError(UNAVAILABLE_MESSAGE) from error


def _is_unavailable(error: DBAPIError | PoolTimeoutError) -> bool:
    """Connection failures, lost connections, timeouts and a full pool: a retry may succeed."""
    return isinstance(error, (OperationalError, PoolTimeoutError)) or error.connection_invalidated
