"""The template's infrastructure, public surface: the database extension, model and repository bases, transactions."""

from src.plumbing.infrastructure.databases.sqlalchemy_db import sqlalchemy_db
from src.plumbing.infrastructure.databases.storage_errors import storage_errors
from src.plumbing.infrastructure.databases.unit_of_work import AnySession, SQLAlchemyUnitOfWork
from src.plumbing.infrastructure.models.model_extension import ModelExtension
from src.plumbing.infrastructure.models.types import UTCDateTime, utc_now
from src.plumbing.infrastructure.repositories.repository import Repository

__all__ = [
    "AnySession",
    "ModelExtension",
    "Repository",
    "SQLAlchemyUnitOfWork",
    "UTCDateTime",
    "sqlalchemy_db",
    "storage_errors",
    "utc_now",
]
