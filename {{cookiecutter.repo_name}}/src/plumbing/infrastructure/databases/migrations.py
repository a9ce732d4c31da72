"""Flask-Migrate (Alembic) set-up: where the scripts live and how autogenerate compares."""

from pathlib import Path
from typing import Literal

from alembic.autogenerate.api import AutogenContext
from flask_migrate import Migrate
from sqlalchemy.types import TypeDecorator

# The template's own tables; `create_app` imports the team's models, so that autogenerate sees every table.
{%- if cookiecutter.worker == "y" %}
import src.plumbing.infrastructure.models.handled_event_model
{%- endif %}
import src.plumbing.infrastructure.models.idempotency_model
{%- if cookiecutter.worker == "y" %}
import src.plumbing.infrastructure.models.outbox_model
{%- endif %}
import src.plumbing.infrastructure.models.service_context_model  # noqa: F401

MIGRATIONS_DIRECTORY = Path(__file__).resolve().parents[4] / "migrations"


def render_item(type_: str, obj: object, autogen_context: AutogenContext) -> str | Literal[False]:
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
