"""The template's services, public surface: the repository port, the CRUD use cases over it, units of work, pages."""

from src.plumbing.services.abstract_repository import AbstractRepository, QueryParams
from src.plumbing.services.pagination import Page
{%- if cookiecutter.auth == "jwt" %}
from src.plumbing.services.principal import Principal, current_principal
{%- endif %}
from src.plumbing.services.repository_service import RepositoryService
from src.plumbing.services.unit_of_work import AbstractUnitOfWork

__all__ = [
    "AbstractRepository",
    "AbstractUnitOfWork",
    "Page",
{%- if cookiecutter.auth == "jwt" %}
    "Principal",
{%- endif %}
    "QueryParams",
    "RepositoryService",
{%- if cookiecutter.auth == "jwt" %}
    "current_principal",
{%- endif %}
]
