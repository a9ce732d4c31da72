"""The outbox on PostgreSQL: an event commits or rolls back with its change, and relays send each one once."""

import threading

from sqlalchemy import select
from sqlalchemy.orm import Session

from src.domain.todo_events import TodoCompleted
from src.plumbing.domain.errors import ConflictError
from src.plumbing.infrastructure.databases import sqlalchemy_db
from src.plumbing.infrastructure.models.outbox_model import OutboxModel
from src.plumbing.infrastructure.outbox.relay import OutboxRelay, OutgoingEvent, outbox_backlog
from src.plumbing.services.request_context import current_request_id
from tests.resources.app_test_base import AppTestBase


class OutboxTest(AppTestBase):
    def setUp(self) -> None:
        self.setup_database()
        self.service = self.app.container.todo_service()
        self.todo = self.service.create({"title": "Ship it"})

    def committed_events(self) -> list[OutboxModel]:
        """Read in a session of its own: only committed rows count."""
        with Session(sqlalchemy_db.engine) as session:
            return list(session.scalars(select(OutboxModel).order_by(OutboxModel.id)))

    def complete(self, *titles: str) -> None:
        for title in titles:
            todo = self.service.create({"title": title})
            self.service.update(todo.id, {"completed": True})

    def test_a_committed_completion_leaves_its_event_with_the_request_id(self):
        token = current_request_id.set("req-42")
        try:
            self.service.update(self.todo.id, {"completed": True})
        finally:
            current_request_id.reset(token)

        [row] = self.committed_events()
        self.assertEqual((row.name, row.payload), ("TodoCompleted", {"todo_id": self.todo.id, "title": "Ship it"}))
        self.assertEqual((row.request_id, row.sent_at), ("req-42", None))

    def test_a_rolled_back_completion_leaves_no_event(self):
        with self.assertRaises(RuntimeError), self.service.unit_of_work:
            self.service.update(self.todo.id, {"completed": True})
            raise RuntimeError("the use case fails after the change")

        self.assertEqual(self.committed_events(), [])

    def test_an_event_that_cannot_be_stored_takes_its_change_back_with_it(self):
        self.service.update(self.todo.id, {"completed": True})
        [stored] = self.committed_events()
        other = self.service.create({"title": "Other"})

        with self.assertRaises(ConflictError), self.service.unit_of_work:
            self.service.repository.update(other.id, {"title": "Renamed"})
            self.service.outbox.add(TodoCompleted(todo_id=other.id, title="Renamed", event_id=stored.event_id))

        self.assertEqual(self.service.get(other.id).title, "Other")
        self.assertEqual([row.event_id for row in self.committed_events()], [stored.event_id])

    def test_the_api_records_the_event_of_a_patch(self):
        response = self.client.patch(f"/v1/todo/{self.todo.id}", json={"completed": True}, headers={"If-Match": "*"})

        self.assert200(response)
        [row] = self.committed_events()
        self.assertEqual(row.request_id, response.headers["X-Request-ID"])

    def test_the_relay_publishes_in_outbox_order_and_marks_sent(self):
        self.complete("first", "second", "third")
        published: list[OutgoingEvent] = []

        with Session(sqlalchemy_db.engine) as session:
            relay = OutboxRelay(session, published.append, batch_size=2)
            self.assertEqual(outbox_backlog(session)[0], 3)
            self.assertEqual([relay.relay_batch(), relay.relay_batch(), relay.relay_batch()], [2, 1, 0])
            self.assertEqual(outbox_backlog(session), (0, 0.0))

        self.assertEqual([event.payload["title"] for event in published], ["first", "second", "third"])
        self.assertTrue(all(row.sent_at is not None for row in self.committed_events()))

    def test_a_publish_that_fails_leaves_the_batch_unsent_for_the_next_run(self):
        self.complete("only")

        def refuse(event: OutgoingEvent) -> None:
            raise ConnectionError("broker away")

        with Session(sqlalchemy_db.engine) as session:
            with self.assertRaises(ConnectionError):
                OutboxRelay(session, refuse).relay_batch()
            published: list[OutgoingEvent] = []
            self.assertEqual(OutboxRelay(session, published.append).relay_batch(), 1)

    def test_two_relays_at_once_never_publish_the_same_event(self):
        self.complete(*(f"todo {number}" for number in range(6)))
        first_is_publishing, second_has_run = threading.Event(), threading.Event()
        published: dict[str, list[str]] = {"first": [], "second": []}
        engine = sqlalchemy_db.engine  # the thread has no app context of its own

        def slow_publish(event: OutgoingEvent) -> None:
            published["first"].append(event.event_id)
            first_is_publishing.set()
            second_has_run.wait(10)

        def first_relay() -> None:
            with Session(engine) as session:
                OutboxRelay(session, slow_publish, batch_size=3).relay_batch()

        thread = threading.Thread(target=first_relay)
        thread.start()
        self.assertTrue(first_is_publishing.wait(10))
        with Session(sqlalchemy_db.engine) as session:
            OutboxRelay(session, lambda event: published["second"].append(event.event_id)).relay_batch()
        second_has_run.set()
        thread.join(10)

        self.assertEqual(len(published["first"]), 3)
        self.assertEqual(len(published["second"]), 3)
        self.assertFalse(set(published["first"]) & set(published["second"]))
