"""`SQLAlchemyUnitOfWork`: a use case's transaction on the session the repositories share."""

from types import TracebackType
from typing import Self

from flask_sqlalchemy.session import Session as AppSession
from sqlalchemy.orm import Session, scoped_session

from src.plumbing.infrastructure.databases.storage_errors import storage_errors
from src.plumbing.services.unit_of_work import AbstractUnitOfWork

# Kept in the session's own `info` dictionary, so that units of work of different services nest too.
DEPTH = "unit_of_work_depth"

# A session of its own (tests, scripts) or the app's, which stands for the session of the current app context.
AnySession = Session | scoped_session[AppSession]


class SQLAlchemyUnitOfWork(AbstractUnitOfWork):
    """Commits when the outermost block ends without an error and rolls back when it ends with one."""

    def __init__(self, session: AnySession) -> None:
        self.session = session

    def __enter__(self) -> Self:
        info = self.session.info
        info[DEPTH] = info.get(DEPTH, 0) + 1
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        info = self.session.info
        info[DEPTH] -= 1
        if info[DEPTH]:
            return
        if error is not None:
            self.session.rollback()
            return
        self._commit_now()

    def commit(self) -> None:
        if self.session.info.get(DEPTH) == 1:
            self._commit_now()

    def _commit_now(self) -> None:
        try:
            with storage_errors():
                self.session.commit()
        except BaseException:
            self.session.rollback()
            raise
