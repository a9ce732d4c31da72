"""Database handles shared by models and repositories."""

from src.plumbing.infrastructure.databases.sqlalchemy_db import sqlalchemy_db

__all__ = ["sqlalchemy_db"]
