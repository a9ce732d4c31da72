"""The template's settings, read from the environment (12-factor) and checked before the service starts."""

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

{% if cookiecutter.auth == "jwt" -%}
from src.plumbing.settings.bearer_tokens import bearer_token_settings
{% endif -%}
{% if cookiecutter.use_sentry == "y" -%}
from src.plumbing.settings.error_tracking import error_tracking_settings
{% endif -%}
{% if cookiecutter.worker == "y" -%}
from src.plumbing.settings.jobs import job_settings
{% endif -%}
from src.plumbing.settings.rate_limits import rate_limit_settings
from src.plumbing.settings.readers import PLACEHOLDER_SECRETS, ConfigurationError, flag, integer, seconds

ENVIRONMENTS = ("development", "testing", "production")
PROJECT_ROOT = Path(__file__).resolve().parents[3]
EMBEDDED_DATABASE_URI = f"sqlite:///{PROJECT_ROOT / 'instance' / 'development.sqlite3'}"
LOG_FORMATS = ("json", "text")

logger = logging.getLogger(__name__)


def template_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """The Flask config of everything the template runs; raise `ConfigurationError` if unsafe."""
    app_env = environ.get("APP_ENV", "production").strip().lower()
    if app_env not in ENVIRONMENTS:
        raise ConfigurationError(f"APP_ENV must be one of {', '.join(ENVIRONMENTS)}; got {app_env!r}.")
    if app_env != "development" and flag(environ, "FLASK_DEBUG"):
        raise ConfigurationError(f"FLASK_DEBUG is on but APP_ENV is {app_env!r}; debug is for development only.")

    config = {
        "APP_ENV": app_env,
        "DEBUG": app_env == "development" and flag(environ, "FLASK_DEBUG"),
        "TESTING": app_env == "testing",
        "SECRET_KEY": environ.get("SECRET_KEY", ""),
        "SQLALCHEMY_DATABASE_URI": _database_uri(environ, app_env),
        "SERVICE_PREFIX": normalize_prefix(environ.get("SERVICE_PREFIX", "")),
        "LOG_LEVEL": log_level(environ),
        "LOG_FORMAT": log_format(environ),
        "CORS_ORIGINS": [origin.strip() for origin in environ.get("CORS_ORIGINS", "").split(",") if origin.strip()],
        "CORS_SUPPORTS_CREDENTIALS": flag(environ, "CORS_SUPPORTS_CREDENTIALS"),
        "MAX_CONTENT_LENGTH": integer(environ, "MAX_CONTENT_LENGTH", 1024 * 1024),
        "DATABASE_CONNECT_TIMEOUT": integer(environ, "DATABASE_CONNECT_TIMEOUT", 5),
        # SQLAlchemy's own defaults; each gunicorn worker keeps its own pool (docs/deployment.md, connection budget).
        "DATABASE_POOL_SIZE": integer(environ, "DATABASE_POOL_SIZE", 5),
        "DATABASE_MAX_OVERFLOW": integer(environ, "DATABASE_MAX_OVERFLOW", 10, minimum=0),
        "MAINTENANCE_TOKEN": environ.get("MAINTENANCE_TOKEN", "").strip(),
        "MAINTENANCE_CACHE_SECONDS": seconds(environ, "MAINTENANCE_CACHE_SECONDS", 2.0),
        "MAINTENANCE_RETRY_AFTER": integer(environ, "MAINTENANCE_RETRY_AFTER", 60),
        # How many proxies in front of the service append to X-Forwarded-For; 0 trusts none of it.
        "TRUSTED_PROXIES": integer(environ, "TRUSTED_PROXIES", 0, minimum=0),
        # How long a retry with the same Idempotency-Key gets the stored answer (docs/rate-limits.md).
        "IDEMPOTENCY_KEY_LIFETIME": integer(environ, "IDEMPOTENCY_KEY_LIFETIME", 24 * 60 * 60),
{%- if cookiecutter.use_opentelemetry == "y" %}
        "TRACING": tracing_requested(environ),
{%- endif %}
    }
    config.update(rate_limit_settings(environ))
{%- if cookiecutter.worker == "y" %}
    config.update(job_settings(environ))
{%- endif %}
    _check_secrets(config)
    _check_cors(config)
{%- if cookiecutter.auth == "jwt" %}
    config.update(bearer_token_settings(environ, app_env))
{%- endif %}
{%- if cookiecutter.use_sentry == "y" %}
    config.update(error_tracking_settings(environ, app_env))
{%- endif %}
    return config


def normalize_prefix(prefix: str) -> str:
    """`example`, `/example` and `/example/` all mean `/example`; empty means no prefix."""
    segment = prefix.strip().strip("/")
    return f"/{segment}" if segment else ""


def log_level(environ: Mapping[str, str]) -> str:
    level = environ.get("LOG_LEVEL", "").strip().upper() or "INFO"
    if level not in logging.getLevelNamesMapping():
        raise ConfigurationError(f"LOG_LEVEL {level!r} is not a logging level such as DEBUG, INFO or WARNING.")
    return level


def log_format(environ: Mapping[str, str]) -> str:
    """`LOG_FORMAT`: text for people in development, JSON for log collectors everywhere else."""
    default = "text" if environ.get("APP_ENV", "production").strip().lower() == "development" else "json"
    chosen = environ.get("LOG_FORMAT", "").strip().lower() or default
    if chosen not in LOG_FORMATS:
        raise ConfigurationError(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}; got {chosen!r}.")
    return chosen
{%- if cookiecutter.use_opentelemetry == "y" %}


def tracing_requested(environ: Mapping[str, str]) -> bool:
    """Traces are on once they have somewhere to go: an OTLP endpoint, or the console."""
    return bool(environ.get("OTEL_EXPORTER_OTLP_ENDPOINT", "").strip()) or (
        environ.get("OTEL_TRACES_EXPORTER", "").strip().lower() == "console"
    )
{%- endif %}


def _database_uri(environ: Mapping[str, str], app_env: str) -> str:
    uri = environ.get("SQLALCHEMY_DATABASE_URI", "").strip()
    scheme, separator, rest = uri.partition("://")
    if scheme in ("postgres", "postgresql"):
        # SQLAlchemy 2.1 maps a bare postgresql:// to psycopg 3; the installed driver is psycopg2.
        return f"postgresql+psycopg2{separator}{rest}"
    if uri:
        return uri
    if app_env == "development":
        return EMBEDDED_DATABASE_URI
    raise ConfigurationError(f"SQLALCHEMY_DATABASE_URI is required when APP_ENV is {app_env!r}.")


def _check_secrets(config: dict[str, Any]) -> None:
    if config["APP_ENV"] == "production" and config["SECRET_KEY"] in PLACEHOLDER_SECRETS:
        raise ConfigurationError(
            "SECRET_KEY is missing or a placeholder; set a random value, "
            "e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`."
        )


def _check_cors(config: dict[str, Any]) -> None:
    if config["CORS_SUPPORTS_CREDENTIALS"] and "*" in config["CORS_ORIGINS"]:
        raise ConfigurationError("CORS_ORIGINS may not be '*' while CORS_SUPPORTS_CREDENTIALS is on; list the origins.")
