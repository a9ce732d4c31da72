"""`AbstractOutbox`: where a use case records its domain events, in the transaction of its change."""

from abc import ABC, abstractmethod

from src.plumbing.domain.events import DomainEvent


class AbstractOutbox(ABC):
    """Keeps an event for delivery once the use case's unit of work commits; a rollback discards it.

    Call it inside the `with unit_of_work:` block that makes the change, on the same storage, after the write
    it reports: the event takes its place in the outbox's order when it is added, and the write's row lock is
    what keeps the events of one aggregate in the order their changes commit.
    """

    @abstractmethod
    def add(self, event: DomainEvent) -> None: ...
