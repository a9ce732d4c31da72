"""Bearer-token protection of the endpoint that switches maintenance mode."""

import hmac
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

{%- if cookiecutter.auth == "jwt" %}

from flask import current_app

from src.plumbing.api.auth.bearer import authenticate, bearer_token
from src.plumbing.services.principal import acting_as

P = ParamSpec("P")
R = TypeVar("R")

PLACEHOLDER_TOKENS = frozenset({"", "change-me"})
MAINTAIN_SCOPES = ("service:maintain",)


def require_maintenance_token(view: Callable[P, R]) -> Callable[P, R]:
    """The configured `MAINTENANCE_TOKEN`, or else a JWT granting `service:maintain` (401 or 403 without)."""

    @wraps(view)
    def checked(*args: P.args, **kwargs: P.kwargs) -> R:
        if _presents_the_maintenance_token():
            return view(*args, **kwargs)
        with acting_as(authenticate(MAINTAIN_SCOPES)):
            return view(*args, **kwargs)

    return checked


def _presents_the_maintenance_token() -> bool:
    configured, presented = current_app.config["MAINTENANCE_TOKEN"], bearer_token()
    if configured in PLACEHOLDER_TOKENS or presented is None:
        return False
    return hmac.compare_digest(presented.encode(), configured.encode())
{%- else %}

from flask import current_app, request
from flask_smorest import abort

P = ParamSpec("P")
R = TypeVar("R")

PLACEHOLDER_TOKENS = frozenset({"", "change-me"})
BEARER_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def require_maintenance_token(view: Callable[P, R]) -> Callable[P, R]:
    """401 without the configured token, 403 when no token is configured at all."""

    @wraps(view)
    def checked(*args: P.args, **kwargs: P.kwargs) -> R:
        configured = current_app.config["MAINTENANCE_TOKEN"]
        if configured in PLACEHOLDER_TOKENS:
            abort(403, message="Switching maintenance over HTTP is disabled: set MAINTENANCE_TOKEN to enable it.")
        scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(presented.strip().encode(), configured.encode()):
            abort(401, message="Send 'Authorization: Bearer <MAINTENANCE_TOKEN>'.", headers=BEARER_CHALLENGE)
        return view(*args, **kwargs)

    return checked
{%- endif %}
