"""`OutboxRelay`: sends committed events to the broker in the order of the outbox, and marks them sent."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from src.plumbing.infrastructure.databases.unit_of_work import AnySession
from src.plumbing.infrastructure.models.outbox_model import OutboxModel
from src.plumbing.infrastructure.models.types import UTCDateTime, utc_now

BATCH_SIZE = 100


@dataclass(frozen=True)
class OutgoingEvent:
    """One row of the outbox, as the relay hands it to the publisher."""

    event_id: str
    name: str
    payload: dict[str, Any]
    occurred_at: datetime
    request_id: str


class OutboxRelay:
    """Publishes a batch of unsent events, then marks them sent in the same transaction.

    The batch's rows stay locked (`FOR UPDATE SKIP LOCKED`) until that transaction ends, so a second relay
    takes other rows instead of publishing these again. A crash between publishing and the commit leaves the
    rows unsent: they are published again, which is why consumers skip an event id they have handled.
    """

    def __init__(self, session: AnySession, publish: Callable[[OutgoingEvent], None], batch_size: int = BATCH_SIZE):
        self.session = session
        self.publish = publish
        self.batch_size = batch_size

    def relay_batch(self) -> int:
        """Send up to `batch_size` events; the number sent (0 when none waits)."""
        try:
            rows = self.session.scalars(
                select(OutboxModel)
                .where(OutboxModel.sent_at.is_(None))
                .order_by(OutboxModel.id)
                .limit(self.batch_size)
                .with_for_update(skip_locked=True)
            ).all()
            for row in rows:
                self.publish(OutgoingEvent(row.event_id, row.name, row.payload, row.occurred_at, row.request_id))
                row.sent_at = utc_now()
            self.session.commit()
        except BaseException:
            self.session.rollback()
            raise
        return len(rows)


def outbox_backlog(session: AnySession) -> tuple[int, float]:
    """How many events wait, and the age in seconds of the oldest (0 when none waits)."""
    oldest_created = func.min(OutboxModel.created_at, type_=UTCDateTime)
    count, oldest = session.execute(select(func.count(), oldest_created).where(OutboxModel.sent_at.is_(None))).one()
    session.rollback()
    if oldest is None:
        return count, 0.0
    return count, max((utc_now() - oldest).total_seconds(), 0.0)
