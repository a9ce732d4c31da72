"""`ServiceFlask`: the service's Flask application class."""

from collections.abc import Callable
from functools import lru_cache
from inspect import iscoroutinefunction
from typing import Any

from flask import Flask

from src.api.sessionless import NoSessionInterface


class ServiceFlask(Flask):
    """Flask without a cookie session, and remembering which functions are coroutine functions.

    Flask passes every hook and view through `ensure_sync` on every request, and Flask's own version asks
    `inspect` each time: with flask-smorest's and Flask's view wrappers that was about 60k instructions of
    the 1.7M of a GET of one todo (see docs/performance.md). The answer never changes for a function.
    """

    session_interface = NoSessionInterface()

    def ensure_sync(self, func: Callable) -> Callable:
        try:
            is_coroutine = _is_coroutine_function(getattr(func, "__func__", func))
        except TypeError:  # an unhashable callable: no cache, Flask's own answer
            return super().ensure_sync(func)
        return self.async_to_sync(func) if is_coroutine else func


@lru_cache(maxsize=1024)
def _is_coroutine_function(function: Any) -> bool:
    # Keyed by the function under a bound method: views are bound to a new MethodView on every request.
    return iscoroutinefunction(function)
