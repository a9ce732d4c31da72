"""`ServiceFlask`: the service's Flask class, where the per-request savings that Flask allows live.

Both use hooks that Flask documents for overriding. Measured on a baked service (see the template's
docs/performance.md), each saved a few percent of the instructions of a GET of one todo.
"""

from collections.abc import Callable
from functools import lru_cache
from inspect import iscoroutinefunction
from typing import Any

from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin

from src.plumbing.api.middleware.ascii_integers import AsciiIntegerMap


class NoSessionInterface(SessionInterface):
    """A JSON API keeps no cookie session: `flask.session` is Flask's read-only null session.

    Clients authenticate each request with a header. Opening Flask's signed-cookie session would build a
    serializer on every request even when no cookie is sent; replace this if you serve browser pages.
    """

    def open_session(self, app: Flask, request: Request) -> None:
        return None

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        return None


class ServiceFlask(Flask):
    """Flask without a cookie session, with ASCII-only integers in paths, remembering coroutine functions.

    Flask passes every hook and view through `ensure_sync` on every request and asks `inspect` each time;
    the answer never changes for a function.
    """

    session_interface = NoSessionInterface()
    url_map_class = AsciiIntegerMap

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        try:
            is_coroutine = _is_coroutine_function(getattr(func, "__func__", func))
        except TypeError:  # an unhashable callable: no cache, Flask's own answer
            return super().ensure_sync(func)
        return self.async_to_sync(func) if is_coroutine else func


@lru_cache(maxsize=1024)
def _is_coroutine_function(function: Any) -> bool:
    # Keyed by the function under a bound method: views are bound to a new MethodView on every request.
    return iscoroutinefunction(function)
