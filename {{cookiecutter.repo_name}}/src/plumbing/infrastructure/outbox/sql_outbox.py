"""`SQLOutbox`: events written as rows of the outbox table, in the session of the change that caused them."""

from sqlalchemy.orm import Session

from src.plumbing.domain.events import DomainEvent
from src.plumbing.infrastructure.models.outbox_model import OutboxModel
from src.plumbing.services.outbox import AbstractOutbox
from src.plumbing.services.request_context import current_request_id


class SQLOutbox(AbstractOutbox):
    """Adds the event to the session: the unit of work commits it with the change, or rolls both back."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, event: DomainEvent) -> None:
        self.session.add(
            OutboxModel(
                event_id=event.event_id,
                name=event.name,
                payload=event.payload(),
                request_id=current_request_id.get(),
                occurred_at=event.occurred_at,
            )
        )
