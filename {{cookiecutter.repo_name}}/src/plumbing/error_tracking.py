"""Sentry: each unexpected error reported with its request ID{% if cookiecutter.auth == "jwt" %} and the caller's subject{% endif %}, and never a secret.

`create_service_app` imports this module only when `SENTRY_DSN` is set; otherwise nothing of Sentry loads.
"""

import re
from collections.abc import Mapping
from typing import Any

import sentry_sdk
from sentry_sdk.integrations.flask import FlaskIntegration
from sentry_sdk.integrations.sqlalchemy import SqlalchemyIntegration
from sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber
from sentry_sdk.types import Event, Hint
from sqlalchemy.engine import make_url

{% if cookiecutter.auth == "jwt" -%}
from src.plumbing.api.auth.bearer import request_caller
{% endif -%}
from src.plumbing.services.request_context import current_request_id

# Settings whose values are secrets; the database password joins them. A value shorter than SHORTEST_SECRET is
# not searched for: it would match ordinary words.
SECRET_SETTINGS = ("SECRET_KEY", "MAINTENANCE_TOKEN"{% if cookiecutter.auth == "jwt" %}, "JWT_SECRET"{% endif %})
SHORTEST_SECRET = 8
# A JWS in compact form: its header is base64url JSON, which always starts with `{"`.
JWT = r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"
FILTERED = "[Filtered]"
# Sentry's own scrubber filters these keys wherever they appear: its defaults, and the WSGI environ's names.
SECRET_KEYS = [*DEFAULT_DENYLIST, "http_authorization", "http_cookie", *SECRET_SETTINGS, "sqlalchemy_database_uri"]


def track_errors(config: Mapping[str, Any]) -> None:
    """Start Sentry for this process, with the Flask and SQLAlchemy integrations; call it once per process."""
    secrets = _secret_pattern(config)

    def before_send(event: Event, hint: Hint) -> Event:
        scrubbed: Event = _scrubbed(_with_request_context(event), secrets)
        return scrubbed

    sentry_sdk.init(
        dsn=config["SENTRY_DSN"],
        environment=config["SENTRY_ENVIRONMENT"],
        release=config["API_VERSION"],
        sample_rate=config["SENTRY_SAMPLE_RATE"],
        # None rather than 0 leaves Sentry's tracing off altogether.
        traces_sample_rate=config["SENTRY_TRACES_SAMPLE_RATE"] or None,
        # Personal data (IP addresses, cookies, the Authorization header) stays out by default. The SDK deprecated
        # `send_default_pii` for `data_collection`, which would switch the scrubber below off: neither is set.
        event_scrubber=EventScrubber(denylist=SECRET_KEYS, recursive=True),
        before_send=before_send,
        before_send_transaction=lambda event, hint: _scrubbed(event, secrets),
        integrations=[FlaskIntegration(), SqlalchemyIntegration()],
    )


def _with_request_context(event: Event) -> Event:
    """The request ID as a tag{% if cookiecutter.auth == "jwt" %}, and the token's subject as the user: who, never the token itself{% endif %}."""
    request_id = current_request_id.get()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
{%- if cookiecutter.auth == "jwt" %}
    caller = request_caller()
    if caller is not None:
        event["user"] = {"id": caller.subject}
{%- endif %}
    return event


def _secret_pattern(config: Mapping[str, Any]) -> re.Pattern[str]:
    """JWTs, and the values of the secret settings, wherever they appear in an event's text."""
    values = [config.get(name, "") for name in SECRET_SETTINGS]
    values.append(make_url(config["SQLALCHEMY_DATABASE_URI"]).password or "")
    secrets = sorted({value for value in values if len(value) >= SHORTEST_SECRET}, key=len, reverse=True)
    return re.compile("|".join([JWT, *map(re.escape, secrets)]))


def _scrubbed(value: Any, secrets: re.Pattern[str]) -> Any:
    """`value` with every match of `secrets` in its strings replaced, however deep they sit."""
    if isinstance(value, str):
        return secrets.sub(FILTERED, value)
    if isinstance(value, dict):
        return {key: _scrubbed(item, secrets) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrubbed(item, secrets) for item in value]
    return value
