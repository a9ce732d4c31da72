"""`PlumbingContainer`: the providers of the template's own features, which the team's container extends."""

from dependency_injector import containers, providers
from flask import Flask

from src.plumbing.infrastructure.databases.database_probe import DatabaseProbe
from src.plumbing.infrastructure.databases.sqlalchemy_db import sqlalchemy_db
from src.plumbing.infrastructure.databases.unit_of_work import SQLAlchemyUnitOfWork
from src.plumbing.infrastructure.models.types import utc_now
{%- if cookiecutter.worker == "y" %}
from src.plumbing.infrastructure.outbox.sql_outbox import SQLOutbox
{%- endif %}
from src.plumbing.infrastructure.repositories.idempotency_repository import SQLIdempotencyRepository
from src.plumbing.infrastructure.repositories.service_context_repository import SQLServiceContextRepository
from src.plumbing.services.health_service import HealthService
from src.plumbing.services.idempotency_service import IdempotencyService
from src.plumbing.services.service_context_service import ServiceContextService


class PlumbingContainer(containers.DeclarativeContainer):
    # Flask-SQLAlchemy's session of the current app context: the repositories of one request share it,
    # so the unit of work of a use case covers every repository it calls.
    session = providers.Object(sqlalchemy_db.session)
    # The transaction of a `UnitOfWork` that holds several repositories.
    transaction = providers.Factory(SQLAlchemyUnitOfWork, session=session)
{%- if cookiecutter.worker == "y" %}
    # Where use cases record domain events: the outbox table, in the same session and so the same transaction.
    outbox = providers.Factory(SQLOutbox, session=session)
{%- endif %}

    service_context_repository = providers.Factory(SQLServiceContextRepository, session=session)
    service_context_service = providers.Factory(ServiceContextService, repository=service_context_repository)

    idempotency_repository = providers.Factory(SQLIdempotencyRepository, session=session)
    idempotency_service = providers.Factory(
        IdempotencyService, repository=idempotency_repository, unit_of_work=transaction, clock=providers.Object(utc_now)
    )

    database_probe = providers.Singleton(DatabaseProbe)
    health_service = providers.Factory(HealthService, probes=providers.List(database_probe))


def keep_container(app: Flask, container: PlumbingContainer) -> None:
    """Keep `container` as `app.container`, where `app_container`, and the tests, find it."""
    app.container = container  # type: ignore[attr-defined]  # an attribute Flask does not declare


def app_container(app: Flask) -> PlumbingContainer:
    """The container `create_service_app` keeps as `app.container`: the team's, which extends this one."""
    container: PlumbingContainer = app.container  # type: ignore[attr-defined]  # an attribute Flask does not declare
    return container
