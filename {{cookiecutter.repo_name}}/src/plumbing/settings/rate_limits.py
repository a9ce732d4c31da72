"""The rate limit settings: Flask-Limiter's own names, read and checked before the service starts."""

from collections.abc import Mapping
from typing import Any

from limits import parse_many

from src.plumbing.settings.readers import ConfigurationError, flag

DEFAULT_LIMIT = "600/minute"
DEFAULT_STORAGE = "memory://"
DEFAULT_KEY_PREFIX = "{{ cookiecutter.repo_name }}"


def rate_limit_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """Every caller's budget across the API, where the counts are kept, and what happens when they cannot be."""
    settings: dict[str, Any] = {
        "RATELIMIT_ENABLED": flag(environ, "RATELIMIT_ENABLED", default=True),
        "RATELIMIT_DEFAULT": environ.get("RATELIMIT_DEFAULT", "").strip() or DEFAULT_LIMIT,
        "RATELIMIT_STORAGE_URI": environ.get("RATELIMIT_STORAGE_URI", "").strip() or DEFAULT_STORAGE,
        "RATELIMIT_KEY_PREFIX": environ.get("RATELIMIT_KEY_PREFIX", "").strip() or DEFAULT_KEY_PREFIX,
        "RATELIMIT_FAIL_OPEN": flag(environ, "RATELIMIT_FAIL_OPEN", default=True),
    }
    try:
        parse_many(settings["RATELIMIT_DEFAULT"])
    except ValueError:
        raise ConfigurationError(
            f"RATELIMIT_DEFAULT must be a limit such as 600/minute or 10/second;100/minute; "
            f"got {settings['RATELIMIT_DEFAULT']!r}."
        ) from None
    return settings
