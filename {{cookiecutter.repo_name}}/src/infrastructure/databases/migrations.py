"""Flask-Migrate (Alembic) set-up: where the scripts live and how autogenerate compares."""

from pathlib import Path

from flask_migrate import Migrate
from sqlalchemy.types import TypeDecorator

import src.infrastructure.models  # noqa: F401  every model must be imported for autogenerate to see it

MIGRATIONS_DIRECTORY = Path(__file__).resolve().parents[3] / "migrations"


def render_item(type_, obj, autogen_context):
    """Write our column types as the SQLAlchemy type they wrap, so scripts import nothing from src."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


migrate = Migrate(
    directory=str(MIGRATIONS_DIRECTORY),
    compare_type=True,
    compare_server_default=True,
    render_as_batch=True,
    render_item=render_item,
)
