"""`EventConsumer`: runs the handlers of a delivered event once, however often the broker delivers it."""

import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from flask import Flask
from sqlalchemy.exc import IntegrityError

from src.plumbing.domain.events import DomainEvent
from src.plumbing.infrastructure.databases.sqlalchemy_db import sqlalchemy_db
from src.plumbing.infrastructure.databases.unit_of_work import SQLAlchemyUnitOfWork
from src.plumbing.infrastructure.models.handled_event_model import HandledEventModel
from src.plumbing.services.request_context import current_request_id

logger = logging.getLogger(__name__)

Handler = Callable[[Any], None]


class EventConsumer:
    """Rebuilds the event and runs its handlers in one unit of work with the row that marks it handled.

    A second delivery of the same event id finds that row and is skipped; a handler that fails rolls back its
    effect and the row together, so Dramatiq's retry runs it again. Log lines carry the request ID of the
    request that caused the event.
    """

    def __init__(self, app: Flask, handlers: Mapping[type[DomainEvent], Sequence[Handler]]) -> None:
        self.app = app
        self.handlers = {event_class.__name__: (event_class, list(found)) for event_class, found in handlers.items()}

    def __call__(self, name: str, payload: dict[str, Any], event_id: str, occurred_at: str, request_id: str) -> None:
        token = current_request_id.set(request_id)
        try:
            if name not in self.handlers:
                logger.info("No handler for event %s %s; acknowledged.", name, event_id)
                return
            event_class, handlers = self.handlers[name]
            event = event_class(**payload, event_id=event_id, occurred_at=datetime.fromisoformat(occurred_at))
            with self.app.app_context():
                self._handle_once(event, handlers)
        finally:
            current_request_id.reset(token)

    def _handle_once(self, event: DomainEvent, handlers: list[Handler]) -> None:
        session = sqlalchemy_db.session
        with SQLAlchemyUnitOfWork(session):
            if not self._claim(event):
                logger.info("Event %s %s was handled before; skipped.", event.name, event.event_id)
                return
            for handler in handlers:
                handler(event)
        logger.info("Handled event %s %s.", event.name, event.event_id)

    def _claim(self, event: DomainEvent) -> bool:
        """Mark the event handled in the open transaction; False when an earlier delivery did."""
        session = sqlalchemy_db.session
        if session.get(HandledEventModel, event.event_id) is not None:
            return False
        session.add(HandledEventModel(event_id=event.event_id))
        try:
            session.flush()
        except IntegrityError:
            # Another delivery of the same event committed its mark while this one waited on it.
            session.rollback()
            return False
        return True
