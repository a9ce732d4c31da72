"""Each Todo endpoint sends the database only the statements its answer needs."""

from sqlalchemy import event

from src.plumbing.infrastructure.databases import sqlalchemy_db
from tests.resources.app_test_base import AppTestBase


class StatementsPerRequestTest(AppTestBase):
    # The gate reads its flag again once its cache expires; on a busy machine that can fall inside a measurement.
    environment = {"MAINTENANCE_CACHE_SECONDS": "60"}

    def setUp(self) -> None:
        self.setup_database()
        created = self.client.post("/v1/todo", json={"title": "counted"})
        self.todo_url = f"/v1/todo/{created.json['id']}"
        self.etag = created.headers["ETag"]
        self.client.get(self.todo_url)  # the maintenance gate has read its flag

    def statements_of(self, method: str, url: str, status: int, **kwargs) -> list[str]:
        statements = []
        listener = lambda *args: statements.append(args[2].split()[0])  # noqa: E731
        event.listen(sqlalchemy_db.engine, "before_cursor_execute", listener)
        try:
            self.assertStatus(self.client.open(url, method=method, **kwargs), status)
        finally:
            event.remove(sqlalchemy_db.engine, "before_cursor_execute", listener)
        return statements

    def test_reading_one_todo_is_one_select(self):
        self.assertEqual(self.statements_of("GET", self.todo_url, 200), ["SELECT"])

    def test_a_page_is_one_select_plus_the_count(self):
        self.assertEqual(self.statements_of("GET", "/v1/todo?per_page=1", 200), ["SELECT", "SELECT"])

    def test_creating_is_one_insert(self):
        self.assertEqual(self.statements_of("POST", "/v1/todo", 201, json={"title": "new"}), ["INSERT"])

    def test_a_conditional_change_reads_the_todo_once_then_writes(self):
        changed = {"json": {"completed": True}, "headers": {"If-Match": self.etag}}
{%- if cookiecutter.worker == "y" %}

        # Completing the todo also records TodoCompleted: one INSERT into the outbox, in the same transaction.
        written = ["SELECT", "UPDATE", "INSERT"]
        self.assertEqual(self.statements_of("PATCH", self.todo_url, 200, **changed), written)
{%- else %}

        self.assertEqual(self.statements_of("PATCH", self.todo_url, 200, **changed), ["SELECT", "UPDATE"])
{%- endif %}

    def test_a_conditional_delete_reads_the_todo_once_then_deletes(self):
        current = {"headers": {"If-Match": self.etag}}

        self.assertEqual(self.statements_of("DELETE", self.todo_url, 204, **current), ["SELECT", "DELETE"])

    def test_a_refused_change_writes_nothing(self):
        stale = {"json": {"completed": True}, "headers": {"If-Match": '"stale"'}}

        self.assertEqual(self.statements_of("PATCH", self.todo_url, 412, **stale), ["SELECT"])
