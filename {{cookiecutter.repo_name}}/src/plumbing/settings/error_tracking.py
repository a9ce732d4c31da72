"""The Sentry settings: where unexpected errors go, under which environment, and how many are sampled."""

from collections.abc import Mapping
from typing import Any

from src.plumbing.settings.readers import fraction


def error_tracking_settings(environ: Mapping[str, str], app_env: str) -> dict[str, Any]:
    """Sentry stays off without `SENTRY_DSN`; the environment defaults to `APP_ENV`."""
    return {
        "SENTRY_DSN": environ.get("SENTRY_DSN", "").strip(),
        "SENTRY_ENVIRONMENT": environ.get("SENTRY_ENVIRONMENT", "").strip() or app_env,
        "SENTRY_SAMPLE_RATE": fraction(environ, "SENTRY_SAMPLE_RATE", 1.0),
        "SENTRY_TRACES_SAMPLE_RATE": fraction(environ, "SENTRY_TRACES_SAMPLE_RATE", 0.0),
    }
