"""Two instances on one database: the one that switches applies it at once, the other within the cache bound."""

import time

from sqlalchemy import event

from src.plumbing.infrastructure.databases import sqlalchemy_db
from tests.resources.app_test_base import AppTestBase, build_app

CACHE_SECONDS = 0.5


class TwoInstancesTest(AppTestBase):
    environment = {"MAINTENANCE_TOKEN": "token", "MAINTENANCE_CACHE_SECONDS": str(CACHE_SECONDS), "INSTANCE": "a"}

    def test_the_second_instance_follows_within_the_cache_bound(self):
        self.setup_database()
        other = build_app({**self.app_environment(), "INSTANCE": "b"})
        other_client = other.test_client()
        self.assert200(other_client.get("/v1/todo"))

        switched_at = time.monotonic()
        self.client.patch("/v1/service-context", json={"maintenance": True}, headers={"Authorization": "Bearer token"})
        self.assertStatus(self.client.get("/v1/todo"), 503)

        while other_client.get("/v1/todo").status_code != 503:
            self.assertLess(time.monotonic() - switched_at, CACHE_SECONDS + 0.5, "the other instance never followed")
            time.sleep(0.02)
        self.assertLessEqual(time.monotonic() - switched_at, CACHE_SECONDS + 0.1)


class GateCostTest(AppTestBase):
    def test_in_steady_state_the_gate_adds_no_query_per_request(self):
        self.setup_database()
        todo_id = self.client.post("/v1/todo", json={"title": "counted"}).json["id"]
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731

        event.listen(sqlalchemy_db.engine, "before_cursor_execute", listener)
        try:
            for _ in range(20):
                self.assert200(self.client.get(f"/v1/todo/{todo_id}"))
        finally:
            event.remove(sqlalchemy_db.engine, "before_cursor_execute", listener)

        gate_reads = [sql for sql in statements if "service_context" in sql]
        self.assertLessEqual(len(gate_reads), 1)
        self.assertEqual(len(statements) - len(gate_reads), 20)
