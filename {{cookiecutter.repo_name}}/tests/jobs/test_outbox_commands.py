"""`flask outbox`: the relay sends once and stops, the backlog is counted, dead letters are listed and replayed, old
events are purged.
"""

import json
from datetime import datetime, timedelta
from typing import ClassVar

import dramatiq
from dramatiq.common import xq_name
from sqlalchemy import select
from sqlalchemy.orm import Session

from src.plumbing.infrastructure.databases import sqlalchemy_db
from src.plumbing.infrastructure.models.handled_event_model import HandledEventModel
from src.plumbing.infrastructure.models.outbox_model import OutboxModel
from src.plumbing.infrastructure.models.types import utc_now
from src.plumbing.infrastructure.outbox.broker import DELIVER_ACTOR
from tests.jobs.worker_test_base import BrokerTestBase
from tests.resources.app_test_base import AppTestBase
from tests.resources.broker import unique_queue, worker_environment


class OutboxCommandsTest(BrokerTestBase):
    queue: ClassVar[str] = unique_queue()
    environment: ClassVar[dict[str, str]] = worker_environment(queue)

    def setUp(self) -> None:
        super().setUp()
        self.runner = self.app.test_cli_runner()
        service = self.app.container.todo_service()
        for title in ("a", "b"):
            service.update(service.create({"title": title}).id, {"completed": True})

    def flask(self, *arguments: str) -> str:
        result = self.runner.invoke(args=["outbox", *arguments])
        self.assertEqual(result.exit_code, 0, result.output)
        return result.output

    def test_relay_once_sends_what_waits_and_the_backlog_empties(self):
        self.assertIn("2 events wait", self.flask("backlog"))

        self.assertEqual(self.flask("relay", "--once"), "Sent 2 events.\n")

        self.assertIn("0 events wait", self.flask("backlog"))
        self.assertEqual(self.broker.get_queue_message_counts(self.queue)[0], 2)

    def test_dead_letters_are_listed_as_json_and_replayed_to_the_queue(self):
        self.broker.declare_queue(self.queue, ensure=True)
        dead = dramatiq.Message(
            queue_name=self.queue, actor_name=DELIVER_ACTOR, args=("TodoCompleted", {}), kwargs={}, options={}
        )
        self.broker.channel.basic_publish(exchange="", routing_key=xq_name(self.queue), body=dead.encode())

        [line] = self.flask("dead-letters", "list").splitlines()
        self.assertEqual(json.loads(line)["message_id"], dead.message_id)
        self.assertEqual(self.flask("dead-letters", "replay"), "Replayed 1 dead letter.\n")
        self.assertEqual(self.flask("dead-letters", "list"), "")
        self.assertEqual(self.broker.get_queue_message_counts(self.queue)[0], 1)


class WithoutBrokerTest(AppTestBase):
    def test_the_relay_says_that_no_broker_is_set_and_the_events_wait(self):
        result = self.app.test_cli_runner().invoke(args=["outbox", "relay", "--once"])

        self.assertEqual(result.exit_code, 1)
        self.assertIn("No BROKER_URL is set", result.output)


class PurgeTest(AppTestBase):
    environment: ClassVar[dict[str, str]] = {"EVENT_RETENTION": "3600"}

    def setUp(self) -> None:
        self.setup_database()

    def test_sent_events_and_handled_ids_older_than_the_retention_go_and_unsent_events_stay(self):
        long_ago, lately = utc_now() - timedelta(hours=2), utc_now() - timedelta(minutes=30)
        with Session(sqlalchemy_db.engine) as session, session.begin():
            session.add_all(
                [
                    event_row("sent long ago", created_at=long_ago, sent_at=long_ago),
                    event_row("sent lately", created_at=long_ago, sent_at=lately),
                    event_row("never sent", created_at=long_ago, sent_at=None),
                    HandledEventModel(event_id="handled long ago", handled_at=long_ago),
                    HandledEventModel(event_id="handled lately", handled_at=lately),
                ]
            )

        result = self.app.test_cli_runner().invoke(args=["outbox", "purge"])

        self.assertEqual(result.exit_code, 0, result.output)
        self.assertEqual(result.output, "Deleted 1 sent event and 1 handled id older than 3600 s.\n")
        with Session(sqlalchemy_db.engine) as session:
            self.assertEqual(set(session.scalars(select(OutboxModel.event_id))), {"sent lately", "never sent"})
            self.assertEqual(set(session.scalars(select(HandledEventModel.event_id))), {"handled lately"})


def event_row(event_id: str, created_at: datetime, sent_at: datetime | None) -> OutboxModel:
    return OutboxModel(
        event_id=event_id,
        name="TodoCompleted",
        payload={},
        request_id="",
        occurred_at=created_at,
        created_at=created_at,
        sent_at=sent_at,
    )
