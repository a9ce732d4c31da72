"""`flask delete_expired_idempotency_keys`: the cleanup of stored answers, to run on a schedule."""

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from src.plumbing.cli.maintenance_commands import database_failure
from src.plumbing.domain.errors import UnavailableError


@click.command("delete_expired_idempotency_keys")
@with_appcontext
def delete_expired_idempotency_keys():
    """Delete the answers stored for Idempotency-Keys that have expired (IDEMPOTENCY_KEY_LIFETIME)."""
    try:
        deleted = current_app.container.idempotency_service().delete_expired()
    except (SQLAlchemyError, UnavailableError) as error:
        raise database_failure("delete expired idempotency keys", error) from error
    click.echo(f"Deleted {deleted} expired idempotency key(s).")
