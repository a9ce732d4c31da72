"""The relay's gauges follow the outbox: events waiting, and the age of the oldest, back to 0 once sent."""

from prometheus_client import REGISTRY
from sqlalchemy.orm import Session

from src.plumbing.infrastructure.databases import sqlalchemy_db
from src.plumbing.infrastructure.outbox.backlog_metrics import record_backlog
from src.plumbing.infrastructure.outbox.relay import OutboxRelay
from tests.resources.app_test_base import AppTestBase


class OutboxMetricsTest(AppTestBase):
    def setUp(self) -> None:
        self.setup_database()

    def test_the_backlog_gauges_count_unsent_events_and_return_to_zero(self):
        service = self.app.container.todo_service()
        for title in ("a", "b"):
            service.update(service.create({"title": title}).id, {"completed": True})

        with Session(sqlalchemy_db.engine) as session:
            relay = OutboxRelay(session, publish=lambda event: None)
            record_backlog(session)
            self.assertEqual(REGISTRY.get_sample_value("outbox_backlog"), 2)
            self.assertGreater(REGISTRY.get_sample_value("outbox_oldest_unsent_age_seconds"), 0)

            relay.relay_batch()
            record_backlog(session)

        self.assertEqual(REGISTRY.get_sample_value("outbox_backlog"), 0)
        self.assertEqual(REGISTRY.get_sample_value("outbox_oldest_unsent_age_seconds"), 0)
