"""`delete_old_events`: sent events, and the ids of handled ones, once they are older than their retention."""

from datetime import datetime

from sqlalchemy import delete

from src.plumbing.infrastructure.databases.unit_of_work import AnySession
from src.plumbing.infrastructure.models.handled_event_model import HandledEventModel
from src.plumbing.infrastructure.models.outbox_model import OutboxModel


def delete_old_events(session: AnySession, before: datetime) -> tuple[int, int]:
    """Delete the events sent before `before` and the handled ids recorded before it; how many of each.

    An unsent event stays whatever its age: the relay has yet to publish it.
    """
    try:
        connection = session.connection()
        sent = connection.execute(delete(OutboxModel).where(OutboxModel.sent_at < before)).rowcount
        handled = connection.execute(delete(HandledEventModel).where(HandledEventModel.handled_at < before)).rowcount
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return sent, handled
