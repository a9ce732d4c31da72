"""The service's configuration: the template's settings and the team's own, read from the environment."""

from collections.abc import Mapping
from typing import Any

from src.plumbing.settings import template_settings

SERVICE_NAME = "{{ cookiecutter.project_name | replace('\\', '\\\\') | replace('"', '\\"') }}"
SERVICE_VERSION = "{{ cookiecutter.version }}"


def load_config(environ: Mapping[str, str]) -> dict[str, Any]:
    """The Flask config; raises `ConfigurationError` when the environment is unsafe.

    Read a setting of your own with the template's readers (`flag`, `fraction`, `integer`, `seconds` from
    `src.plumbing.settings`), so that a bad value stops the service with its name.
    """
    config = template_settings(environ)
    config.update(API_TITLE=SERVICE_NAME, API_VERSION=SERVICE_VERSION)
    return config
