"""`SQLOutbox`: events written as rows of the outbox table, in the transaction of the change that caused them."""

from sqlalchemy import insert
from sqlalchemy.orm import Session

from src.plumbing.domain.events import DomainEvent
from src.plumbing.infrastructure.databases.storage_errors import storage_errors
from src.plumbing.infrastructure.models.outbox_model import OutboxModel
from src.plumbing.services.outbox import AbstractOutbox
from src.plumbing.services.request_context import current_request_id

# The table itself, not the ORM class: a Core insert, run on the transaction's connection, skips the ORM's unit
# of work. Built once, so that SQLAlchemy finds its compiled SQL in its cache; `inline()` fetches no id back.
OUTBOX_TABLE = OutboxModel.metadata.tables[OutboxModel.__tablename__]
INSERT_EVENT = insert(OUTBOX_TABLE).inline()


class SQLOutbox(AbstractOutbox):
    """Inserts the event's row at once, in the session's transaction: the unit of work commits it with the change,
    or rolls both back.
    """

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, event: DomainEvent) -> None:
        row = {
            "event_id": event.event_id,
            "name": event.name,
            "payload": event.payload(),
            "request_id": current_request_id.get(),
            "occurred_at": event.occurred_at,
        }
        with storage_errors():
            self.session.connection().execute(INSERT_EVENT, row)
