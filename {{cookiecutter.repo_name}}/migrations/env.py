"""Alembic environment: takes the engine, metadata and compare settings from the Flask app."""

import logging

from alembic import context
from flask import current_app

config = context.config
# The service's logging set-up stays in force, so migration lines come out in LOG_FORMAT like every other line;
# Alembic's progress ("Running upgrade ...") is shown even when LOG_LEVEL is WARNING.
for name in ("alembic", "flask_migrate"):
    logging.getLogger(name).setLevel(logging.INFO)
logger = logging.getLogger("alembic.env")

migrate_extension = current_app.extensions["migrate"]
engine = migrate_extension.db.engine
target_metadata = migrate_extension.db.metadata


def skip_empty_autogenerate(context, revision, directives):
    """`flask db migrate` with no model change writes no empty revision."""
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def configure_args() -> dict:
    args = dict(migrate_extension.configure_args)
    args.setdefault("process_revision_directives", skip_empty_autogenerate)
    return args


def run_migrations_offline() -> None:
    context.configure(url=engine.url, target_metadata=target_metadata, literal_binds=True, **configure_args())
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, **configure_args())
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
