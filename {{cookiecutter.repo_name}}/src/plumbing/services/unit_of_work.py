"""`AbstractUnitOfWork`: the transaction a use case runs in; infrastructure provides the implementation."""

from abc import ABC, abstractmethod
from types import TracebackType
from typing import Self


class AbstractUnitOfWork(ABC):
    """`with unit_of_work:` makes the block one transaction: committed at its end, rolled back on an error.

    Blocks may nest, within one use case or across services sharing the storage: only the outermost
    block commits, so a use case that calls another one stays all or nothing.
    """

    @abstractmethod
    def __enter__(self) -> Self: ...

    @abstractmethod
    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None: ...
