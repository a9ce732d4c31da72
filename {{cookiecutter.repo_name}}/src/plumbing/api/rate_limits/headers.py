"""The `RateLimit` and `RateLimit-Policy` fields (IETF draft) on every limited answer, and `Retry-After` on a 429."""

import time

from flask import Response
from flask_limiter import Limiter, RequestLimit
from limits.errors import StorageError

from src.plumbing.api.openapi.documentation import RATE_LIMIT, RATE_LIMIT_POLICY

OPERATION_POLICY = "operation"
DEFAULT_POLICY = "default"


def write_rate_limit_headers(limiter: Limiter, response: Response) -> Response:
    """Each limit that counted this request: its policy (quota, window) and what is left of it."""
    limits = limiter.current_limits
    if not limits:
        return response
    now = int(time.time())
    try:
        # Flask-Limiter's reset time is a second late, so that a client waiting for it finds the window gone.
        windows = [(limit, limit.remaining, min(limit.reset_at - now, limit.limit.get_expiry())) for limit in limits]
    except StorageError as error:
        # The storage went away after counting: the answer goes out without the fields.
        limiter.logger.warning("Rate limit storage unreachable while reading the limits: %s", error)
        return response
    response.headers[RATE_LIMIT_POLICY] = ", ".join(
        f'"{_policy(limit)}";q={limit.limit.amount};w={limit.limit.get_expiry()}' for limit, _, _ in windows
    )
    response.headers[RATE_LIMIT] = ", ".join(
        f'"{_policy(limit)}";r={remaining};t={max(reset, 0)}' for limit, remaining, reset in windows
    )
    breached = [reset for limit, _, reset in windows if limit.breached]
    if response.status_code == 429 and breached:
        response.headers["Retry-After"] = str(max(*breached, 1))
    return response


def _policy(limit: RequestLimit) -> str:
    # The budget across the API is the shared one; an operation's own `limit` is not shared.
    return DEFAULT_POLICY if limit.shared else OPERATION_POLICY
