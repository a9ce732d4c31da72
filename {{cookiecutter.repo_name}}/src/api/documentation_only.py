"""Apply flask-smorest decorators that only document an operation, without their per-request wrapper.

`alt_response`, `doc` and `etag` each wrap the view in a function that runs on every request, and
`alt_response` and `doc` do nothing there but call the view. Measured on a baked service, the three
documentation wrappers of GET one todo cost about 50k instructions per request (see docs/performance.md).
`documentation_only` keeps what the decorator records for the OpenAPI document and drops the wrapper.
"""

import inspect
from collections.abc import Callable


def documentation_only(decorator: Callable[[Callable], Callable]) -> Callable[[Callable], Callable]:
    def apply(view: Callable) -> Callable:
        decorated = decorator(view)
        if decorated is view or not inspect.isfunction(view):
            return decorated
        # flask-smorest builds the operation's documentation from `_apidoc`; the view keeps it instead of a wrapper.
        view._apidoc = decorated._apidoc
        return view

    return apply
