"""The template's services, public surface: the repository port and CRUD use cases, units of work, pages, probes."""

from src.plumbing.services.abstract_repository import AbstractRepository, QueryParams
from src.plumbing.services.health_service import DependencyProbe, HealthService
from src.plumbing.services.pagination import Page
{%- if cookiecutter.auth == "jwt" %}
from src.plumbing.services.principal import Principal, current_principal
{%- endif %}
from src.plumbing.services.repository_service import ExpectedVersion, RepositoryService
from src.plumbing.services.request_context import current_request_id
from src.plumbing.services.unit_of_work import AbstractUnitOfWork

__all__ = [
    "AbstractRepository",
    "AbstractUnitOfWork",
    "DependencyProbe",
    "ExpectedVersion",
    "HealthService",
    "Page",
{%- if cookiecutter.auth == "jwt" %}
    "Principal",
{%- endif %}
    "QueryParams",
    "RepositoryService",
{%- if cookiecutter.auth == "jwt" %}
    "current_principal",
{%- endif %}
    "current_request_id",
]
