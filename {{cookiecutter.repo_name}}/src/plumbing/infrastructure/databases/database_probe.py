"""`DatabaseProbe`: the database is reachable when it answers `SELECT 1`."""

import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from src.plumbing.infrastructure.databases.sqlalchemy_db import sqlalchemy_db
from src.plumbing.services.health_service import DependencyProbe

logger = logging.getLogger(__name__)


class DatabaseProbe(DependencyProbe):
    name = "database"

    def is_reachable(self) -> bool:
        try:
            with sqlalchemy_db.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError as error:
            # One line, no traceback: orchestrators probe every few seconds while the database is down.
            logger.warning("Readiness probe: the database did not answer: %s", str(error).splitlines()[0])
            return False
        return True
