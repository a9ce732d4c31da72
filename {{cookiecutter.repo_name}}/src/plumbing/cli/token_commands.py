"""`flask issue_token`: a development token signed with `JWT_SECRET`, to call the API locally."""

import click
from flask import current_app
from flask.cli import with_appcontext

from src.plumbing.api.auth.tokens import development_token

# A day at most: a development token is for trying things out, not for keeping.
MAX_EXPIRES_IN = 24 * 60 * 60


@click.command("issue_token")
@with_appcontext
@click.option("--subject", required=True, help="Who the token speaks for (its `sub` claim).")
@click.option("--scope", "scopes", multiple=True, help="A scope to grant, e.g. todo:read; repeat for more.")
@click.option("--expires-in", type=click.IntRange(1, MAX_EXPIRES_IN), default=3600, show_default=True, help="Seconds.")
def issue_token(subject: str, scopes: tuple[str, ...], expires_in: int) -> None:
    """Print a bearer token signed with JWT_SECRET (development mode only)."""
    config = current_app.config
    if not config["JWT_SECRET"]:
        raise click.ClickException(
            "issue_token needs JWT_SECRET (development mode); with JWT_JWKS_URL, your identity provider issues tokens."
        )
    click.echo(development_token(config, subject, scopes, expires_in))
