"""`flask activate_maintenance_mode`, `deactivate_maintenance_mode` and `upgrade_in_maintenance_window`."""

import time

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import inspect
from sqlalchemy.exc import SQLAlchemyError

from src.plumbing.container import app_container
from src.plumbing.domain.errors import UnavailableError
from src.plumbing.domain.service_context import ServiceContext
from src.plumbing.infrastructure.databases import sqlalchemy_db
from src.plumbing.infrastructure.models.service_context_model import ServiceContextModel
from src.plumbing.services.service_context_service import ServiceContextService


def describe(state: ServiceContext) -> str:
    if not state.maintenance:
        return "Maintenance mode is OFF."
    return f"Maintenance mode is ON ({state.message})." if state.message else "Maintenance mode is ON."


def database_failure(action: str, error: SQLAlchemyError | UnavailableError) -> click.ClickException:
    reason: BaseException = error.__cause__ if isinstance(error, UnavailableError) and error.__cause__ else error
    cause = " ".join(str(getattr(reason, "orig", None) or reason).split())
    return click.ClickException(f"Could not {action}: the database did not answer ({type(reason).__name__}: {cause}).")


def service_context_service() -> ServiceContextService:
    """Commands take their service from the app's container, so that no wiring reaches the CLI modules."""
    return app_container(current_app).service_context_service()


@click.command("activate_maintenance_mode")
@with_appcontext
@click.option("--message", default=None, help="Shown to clients in the 503 response.")
def activate_maintenance_mode(message: str | None) -> None:
    """Answer every request with 503 until maintenance is deactivated."""
    service = service_context_service()
    try:
        click.echo(describe(service.activate_maintenance(message)))
    except (SQLAlchemyError, UnavailableError) as error:
        raise database_failure("activate maintenance mode", error) from error


@click.command("deactivate_maintenance_mode")
@with_appcontext
def deactivate_maintenance_mode() -> None:
    """Serve requests again."""
    service = service_context_service()
    try:
        click.echo(describe(service.deactivate_maintenance()))
    except (SQLAlchemyError, UnavailableError) as error:
        raise database_failure("deactivate maintenance mode", error) from error


@click.command("upgrade_in_maintenance_window")
@with_appcontext
@click.option("--revision", default="head", show_default=True, help="Alembic revision to upgrade to.")
@click.option("--message", default="Database upgrade in progress.", show_default=True)
def upgrade_in_maintenance_window(revision: str, message: str) -> None:
    """Switch maintenance on, run `flask db upgrade`, switch it off; on failure maintenance stays on."""
    from flask_migrate import upgrade  # Alembic is heavy to import; only this command needs it.

    service = service_context_service()
    try:
        if not inspect(sqlalchemy_db.engine).has_table(ServiceContextModel.__tablename__):
            click.echo("Fresh database without a service_context table: nothing to protect, upgrading directly.")
            upgrade(revision=revision)
            return
        click.echo(describe(service.activate_maintenance(message)))
    except (SQLAlchemyError, UnavailableError) as error:
        raise database_failure("open the maintenance window", error) from error
    # Other instances trust their cached flag this long; wait until all of them answer 503.
    wait = current_app.config["MAINTENANCE_CACHE_SECONDS"]
    click.echo(f"Waiting {wait:g} s for every instance to see it.")
    time.sleep(wait)
    try:
        upgrade(revision=revision)
    except (Exception, SystemExit) as error:
        # Flask-Migrate reports Alembic errors itself and exits; other errors arrive as exceptions.
        reason = "see the error above" if isinstance(error, SystemExit) else error
        raise click.ClickException(
            f"The upgrade failed ({reason}); maintenance mode stays ON. Fix the cause, then rerun this command "
            "or run `flask deactivate_maintenance_mode`."
        ) from error
    click.echo(describe(service.deactivate_maintenance()))


COMMANDS = (activate_maintenance_mode, deactivate_maintenance_mode, upgrade_in_maintenance_window)
