"""The template's domain, public surface: the base of entities, the domain's errors and its rules about text."""

from src.plumbing.domain.entity import Entity
from src.plumbing.domain.errors import (
    ConflictError,
    DomainError,
    NotFoundError,
    UnavailableError,
    ValidationError,
    VersionMismatchError,
)
{%- if cookiecutter.worker == "y" %}
from src.plumbing.domain.events import DomainEvent
{%- endif %}
from src.plumbing.domain.text import is_blank

__all__ = [
    "ConflictError",
    "DomainError",
{%- if cookiecutter.worker == "y" %}
    "DomainEvent",
{%- endif %}
    "Entity",
    "NotFoundError",
    "UnavailableError",
    "ValidationError",
    "VersionMismatchError",
    "is_blank",
]
