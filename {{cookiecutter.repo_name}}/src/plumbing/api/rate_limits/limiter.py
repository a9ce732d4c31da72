"""`install_rate_limits`: Flask-Limiter with the budgets of the settings and of each operation's `limit`."""

from typing import cast

from flask import Blueprint, Flask, current_app, request
from flask_limiter import ApplicationLimit, Limit, Limiter
from limits.errors import StorageError

from src.plumbing.api.openapi.blueprint import OPERATION_LIMIT
from src.plumbing.api.rate_limits.callers import caller_key
from src.plumbing.api.rate_limits.headers import write_rate_limit_headers
from src.plumbing.api.rate_limits.storage import STORAGE_FAILURE_LOG, refuse_unchecked_request, storage_options

# Flask-Limiter's scope of the budget shared by every limited operation; the headers name it "default".
DEFAULT_SCOPE = "default"
# The OpenAPI document and Swagger UI: static, and where a client learns the limits.
DOCUMENTATION_BLUEPRINTS = frozenset({"api-docs", "swagger_ui_assets"})


def install_rate_limits(app: Flask) -> Limiter:
    """Limit every operation of a `rate_limited` blueprint; `/metrics` never reaches Flask, so it has no limit."""
    config = app.config
    fail_open = config["RATELIMIT_FAIL_OPEN"]
    limiter = Limiter(
        caller_key,
        app=app,
        application_limits=[
            ApplicationLimit(
                config["RATELIMIT_DEFAULT"],
                scope=DEFAULT_SCOPE,
                error_message=f"This caller has used its budget of {config['RATELIMIT_DEFAULT']} (RATELIMIT_DEFAULT).",
            )
        ],
        default_limits=[Limit(operation_limit, per_method=True, error_message=_operation_message)],
        storage_uri=config["RATELIMIT_STORAGE_URI"],
        storage_options=storage_options(config["RATELIMIT_STORAGE_URI"]),
        key_prefix=config["RATELIMIT_KEY_PREFIX"],
        enabled=config["RATELIMIT_ENABLED"],
        # The RateLimit fields of the IETF draft are written by `write_rate_limit_headers` instead.
        headers_enabled=False,
        # Fail open: while the storage cannot be reached, each process counts in its own memory.
        swallow_errors=fail_open,
        in_memory_fallback_enabled=fail_open,
        # Smooth at the window's edges, and the fields cost one round trip to Redis (fixed windows take two).
        strategy="sliding-window-counter",
    )
    limiter.logger.addFilter(STORAGE_FAILURE_LOG)
    # A browser's CORS preflight is not the caller's request.
    limiter.request_filter(lambda: request.method == "OPTIONS")
    for name, blueprint in app.blueprints.items():
        if name in DOCUMENTATION_BLUEPRINTS or getattr(blueprint, "rate_limited", True) is False:
            # `app.blueprints` is typed with Flask's sans-I/O base class; each one registered here is a `Blueprint`.
            limiter.exempt(cast(Blueprint, blueprint))
    app.after_request(lambda response: write_rate_limit_headers(limiter, response))
    if not fail_open:
        app.register_error_handler(StorageError, refuse_unchecked_request)
    return limiter


def operation_limit() -> str:
    """The `limit` that the operation of this request declares in `Blueprint.operation`, or "" for none."""
    view_class = getattr(current_app.view_functions.get(request.endpoint or ""), "view_class", None)
    method = "get" if request.method == "HEAD" else request.method.lower()
    return getattr(getattr(view_class, method, None), OPERATION_LIMIT, None) or ""


def _operation_message() -> str:
    return f"This caller has used this operation's budget of {operation_limit()}."
