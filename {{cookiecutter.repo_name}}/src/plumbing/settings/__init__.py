"""The settings' public surface: the template's settings, and the readers for the team's own in `src/config.py`."""

from src.plumbing.settings.library_settings import drop_empty_library_settings
from src.plumbing.settings.readers import ConfigurationError, flag, fraction, integer, seconds
from src.plumbing.settings.template import (
    EMBEDDED_DATABASE_URI,
    log_format,
    log_level,
    normalize_prefix,
    template_settings,
{%- if cookiecutter.use_opentelemetry == "y" %}
    tracing_requested,
{%- endif %}
)

__all__ = [
    "EMBEDDED_DATABASE_URI",
    "ConfigurationError",
    "drop_empty_library_settings",
    "flag",
    "fraction",
    "integer",
    "log_format",
    "log_level",
    "normalize_prefix",
    "seconds",
    "template_settings",
{%- if cookiecutter.use_opentelemetry == "y" %}
    "tracing_requested",
{%- endif %}
]
