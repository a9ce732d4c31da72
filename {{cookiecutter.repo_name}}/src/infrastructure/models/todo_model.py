"""Table of todos."""

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from src.domain.todo import DESCRIPTION_MAX_LENGTH, TITLE_MAX_LENGTH
from src.plumbing.infrastructure import ModelExtension, UTCDateTime, utc_now


class TodoModel(ModelExtension):
    __tablename__ = "todo"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX_LENGTH), index=True)
    description: Mapped[str] = mapped_column(String(DESCRIPTION_MAX_LENGTH), default="")
    # A literal `false` reads the same on PostgreSQL and SQLite, so autogenerate scripts work on both.
    completed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    # Counts changes: the repository checks and bumps it on every write, and ETags are made from it.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)

    def __repr__(self) -> str:
        return self.repr(id=self.id, title=self.title)
