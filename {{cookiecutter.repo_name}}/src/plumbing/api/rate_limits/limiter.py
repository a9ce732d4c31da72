"""`install_rate_limits`: Flask-Limiter with the budgets of the settings and of each operation's `limit`."""

from collections.abc import Callable

from flask import Flask, request
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
    operation_limit = operation_limits(app)
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
        default_limits=[
            Limit(
                operation_limit,
                per_method=True,
                error_message=lambda: f"This caller has used this operation's budget of {operation_limit()}.",
            )
        ],
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
    if not config["RATELIMIT_ENABLED"]:
        # Flask-Limiter installed nothing, so requests pay nothing for the limits.
        return limiter
    limiter.logger.addFilter(STORAGE_FAILURE_LOG)
    limiter.request_filter(unlimited_requests(app))
    app.after_request(lambda response: write_rate_limit_headers(limiter, response))
    if not fail_open:
        app.register_error_handler(StorageError, refuse_unchecked_request)
    return limiter


def unlimited_requests(app: Flask) -> Callable[[], bool]:
    """A request filter, true where no limit counts: a browser's CORS preflight, a blueprint that is not limited.

    Cheaper than `Limiter.exempt`, whose exemptions Flask-Limiter works out again on every request.
    """
    unlimited_blueprints = frozenset(
        name
        for name, blueprint in app.blueprints.items()
        if name in DOCUMENTATION_BLUEPRINTS or getattr(blueprint, "rate_limited", True) is False
    )
    return lambda: request.method == "OPTIONS" or request.blueprint in unlimited_blueprints


def operation_limits(app: Flask) -> Callable[[], str]:
    """The request's operation's `limit` (declared in `Blueprint.operation`), or "" for none, as a function.

    Flask-Limiter calls it on every request; it looks the answer up in a table of the app's operations made once.
    """
    declared: dict[tuple[str, str], str] = {}
    for endpoint, view in app.view_functions.items():
        view_class = getattr(view, "view_class", None)
        for method in getattr(view_class, "methods", None) or ():
            limit = getattr(getattr(view_class, method.lower(), None), OPERATION_LIMIT, None)
            if limit:
                declared[endpoint, method] = limit

    def operation_limit() -> str:
        # A MethodView answers HEAD with its GET.
        method = "GET" if request.method == "HEAD" else request.method
        return declared.get((request.endpoint or "", method), "")

    return operation_limit
