"""`ModelExtension`: the abstract base of every model."""

from typing import Any

from src.plumbing.infrastructure.databases.sqlalchemy_db import Model


class ModelExtension(Model):
    __abstract__ = True

    def repr(self, **fields: Any) -> str:
        """Build a `__repr__` string such as `<User id=1, name='Ada'>` from the given fields."""
        shown = ", ".join(f"{name}={value!r}" for name, value in fields.items())
        return f"<{type(self).__name__} {shown}>"

    def __repr__(self) -> str:
        return self.repr(**{column.key: getattr(self, column.key) for column in self.__table__.primary_key})
