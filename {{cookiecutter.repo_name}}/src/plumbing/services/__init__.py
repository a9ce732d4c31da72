"""The template's services, public surface: repository port, CRUD use cases, filters, pages, units of work, probes."""

from src.plumbing.services.abstract_repository import AbstractRepository, QueryParams, Selection
from src.plumbing.services.filters import Filters, at_least, at_most, equal, greater_than, less_than, one_of
from src.plumbing.services.health_service import DependencyProbe, HealthService
{%- if cookiecutter.worker == "y" %}
from src.plumbing.services.outbox import AbstractOutbox
{%- endif %}
from src.plumbing.services.pagination import Page, PageRequest
{%- if cookiecutter.auth == "jwt" %}
from src.plumbing.services.principal import Principal, current_principal
{%- endif %}
from src.plumbing.services.repository_service import ExpectedVersion, RepositoryService
from src.plumbing.services.request_context import current_request_id
from src.plumbing.services.unit_of_work import AbstractUnitOfWork, UnitOfWork

__all__ = [
{%- if cookiecutter.worker == "y" %}
    "AbstractOutbox",
{%- endif %}
    "AbstractRepository",
    "AbstractUnitOfWork",
    "DependencyProbe",
    "ExpectedVersion",
    "Filters",
    "HealthService",
    "Page",
    "PageRequest",
{%- if cookiecutter.auth == "jwt" %}
    "Principal",
{%- endif %}
    "QueryParams",
    "RepositoryService",
    "Selection",
    "UnitOfWork",
    "at_least",
    "at_most",
{%- if cookiecutter.auth == "jwt" %}
    "current_principal",
{%- endif %}
    "current_request_id",
    "equal",
    "greater_than",
    "less_than",
    "one_of",
]
