"""`Principal`: who a use case acts for, and `current_principal()`, the caller of the running request."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: the token's subject and the scopes it was granted, nothing framework-specific."""

    subject: str
    scopes: frozenset[str]

    def may(self, scope: str) -> bool:
        return scope in self.scopes


_current: ContextVar[Principal | None] = ContextVar("principal", default=None)


def current_principal() -> Principal | None:
    """The caller of the operation running now; None outside an authenticated operation, e.g. in a CLI command."""
    return _current.get()


@contextmanager
def acting_as(principal: Principal) -> Iterator[Principal]:
    """Make `principal` the current one for the code inside the `with` block."""
    token = _current.set(principal)
    try:
        yield principal
    finally:
        _current.reset(token)
