"""A write that fails halfway, after the database ran its statement but before the commit, leaves no trace."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event, select, text

from src.infrastructure.models import TodoModel
from src.plumbing.infrastructure.databases import sqlalchemy_db
from tests.resources.app_test_base import AppTestBase


class InjectedFault(RuntimeError):
    """Raised by the test between a statement and its commit."""


class FailedWriteTest(AppTestBase):
    def setUp(self) -> None:
        self.setup_database()
        created = self.client.post("/v1/todo", json={"title": "before", "description": "untouched"})
        self.todo = created.json
        self.todo_url = f"/v1/todo/{self.todo['id']}"
        self.etag = created.headers["ETag"]

    @contextmanager
    def after_statement(self, verb: str, action: Callable) -> Iterator[None]:
        """Run `action(cursor)` right after the database executed the next `verb` statement on the todo table."""

        def on_execute(connection, cursor, statement, parameters, context, executemany):
            if statement.startswith(verb) and " todo" in statement:
                action(cursor)

        event.listen(sqlalchemy_db.engine, "after_cursor_execute", on_execute)
        try:
            yield
        finally:
            event.remove(sqlalchemy_db.engine, "after_cursor_execute", on_execute)

    def stored_rows(self) -> list[tuple]:
        query = select(TodoModel.title, TodoModel.description, TodoModel.version)
        with sqlalchemy_db.engine.connect() as connection:
            return [tuple(row) for row in connection.execute(query)]

    def fail(self, cursor) -> None:
        raise InjectedFault("the process failed between the statement and the commit")

    def cut_connection(self, cursor) -> None:
        """The database drops this very connection, as a crash or a failover would."""
        # Asked inside the transaction, so that behind PgBouncer it names the server connection, not PgBouncer's.
        with cursor.connection.cursor() as same_transaction:
            same_transaction.execute("SELECT pg_backend_pid()")
            (pid,) = same_transaction.fetchone()
        with sqlalchemy_db.engine.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    def test_an_error_after_the_insert_stores_nothing(self):
        with self.after_statement("INSERT", self.fail), self.assertRaises(InjectedFault):
            self.client.post("/v1/todo", json={"title": "half-written"})

        self.assertEqual(self.stored_rows(), [("before", "untouched", 1)])

    def test_an_error_after_the_update_changes_no_field(self):
        change = {"title": "after", "description": "changed", "completed": True}
        with self.after_statement("UPDATE", self.fail), self.assertRaises(InjectedFault):
            self.client.patch(self.todo_url, json=change, headers={"If-Match": self.etag})

        self.assertEqual(self.stored_rows(), [("before", "untouched", 1)])
        self.assertEqual(self.client.get(self.todo_url).headers["ETag"], self.etag)

    def test_a_connection_lost_before_the_commit_is_503_and_stores_nothing(self):
        with self.after_statement("INSERT", self.cut_connection):
            response = self.client.post("/v1/todo", json={"title": "half-written"})

        self.assertStatus(response, 503)
        self.assertEqual(self.stored_rows(), [("before", "untouched", 1)])
        self.assert200(self.client.get(self.todo_url))

    def test_a_connection_lost_before_the_delete_commits_keeps_the_todo(self):
        with self.after_statement("DELETE", self.cut_connection):
            response = self.client.delete(self.todo_url, headers={"If-Match": self.etag})

        self.assertStatus(response, 503)
        self.assertEqual(self.stored_rows(), [("before", "untouched", 1)])
        self.assertStatus(self.client.delete(self.todo_url, headers={"If-Match": self.etag}), 204)
