"""`flask delete_expired_idempotency_keys`: the cleanup of stored answers, to run on a schedule."""

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from src.plumbing.cli.maintenance_commands import database_failure
from src.plumbing.container import app_container
from src.plumbing.domain.errors import UnavailableError


@click.command("delete_expired_idempotency_keys")
@with_appcontext
def delete_expired_idempotency_keys() -> None:
    """Delete the answers stored for Idempotency-Keys that have expired (IDEMPOTENCY_KEY_LIFETIME)."""
    try:
        deleted = app_container(current_app).idempotency_service().delete_expired()
    except (SQLAlchemyError, UnavailableError) as error:
        raise database_failure("delete expired idempotency keys", error) from error
    click.echo(f"Deleted {deleted} expired idempotency key(s).")
