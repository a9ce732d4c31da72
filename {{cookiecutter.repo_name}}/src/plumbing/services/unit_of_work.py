"""Units of work: the transaction a use case runs in, and the repositories it writes through."""

from abc import ABC, abstractmethod
from types import TracebackType
from typing import Any, Self, get_type_hints


class AbstractUnitOfWork(ABC):
    """`with unit_of_work:` makes the block one transaction: committed at its end, rolled back on an error.

    Blocks may nest, within one use case or across services sharing the storage: only the outermost
    block commits, so a use case that calls another one stays all or nothing. Infrastructure provides the
    implementation.
    """

    @abstractmethod
    def __enter__(self) -> Self: ...

    @abstractmethod
    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None: ...

    @abstractmethod
    def commit(self) -> None:
        """Commit what the block did so far, when it is the outermost; inside another block, leave it to that one."""


class UnitOfWork(AbstractUnitOfWork):
    """A transaction and the repositories that write in it, for use cases over several aggregates.

    Subclass it and annotate the repositories (`projects: AbstractRepository[Project]`); build it with the
    transaction and one repository per annotation, all on the same storage (the composition root gives the
    SQL ones, a test the fakes of one `FakeDatabase`):

        with self.unit_of_work as work:
            work.tasks.update_all(TaskFilters(project_id=project.id, done=False), {"done": True})
            return work.projects.update(project.id, {"archived": True}, expected_version)
    """

    transaction: AbstractUnitOfWork

    def __init__(self, transaction: AbstractUnitOfWork, **repositories: Any) -> None:
        declared = set(get_type_hints(type(self))) - set(get_type_hints(UnitOfWork))
        if set(repositories) != declared:
            raise TypeError(
                f"{type(self).__name__} declares the repositories {sorted(declared)}; "
                f"it was given {sorted(repositories)}."
            )
        self.transaction = transaction
        for name, repository in repositories.items():
            setattr(self, name, repository)

    def __enter__(self) -> Self:
        self.transaction.__enter__()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.transaction.__exit__(kind, error, traceback)

    def commit(self) -> None:
        self.transaction.commit()
