"""Units of work on PostgreSQL: a use case commits all of its writes or none, however its services nest."""

from sqlalchemy import func, select, text
from sqlalchemy.exc import DataError

from src.domain.todo import Todo
from src.infrastructure.models import TodoModel
from src.infrastructure.repositories import SQLTodoRepository
from src.plumbing.domain.errors import ConflictError
from src.plumbing.infrastructure.databases import sqlalchemy_db
{%- if cookiecutter.worker == "y" %}
from src.plumbing.infrastructure.outbox.sql_outbox import SQLOutbox
{%- endif %}
from src.services.todo_service import TodoService
from tests.resources.app_test_base import AppTestBase


class TodoPairs(TodoService):
    """A use case that writes twice."""

    def create_pair(self, first: dict, second: dict) -> tuple[Todo, Todo]:
        with self.unit_of_work:
            return self.repository.create(first), self.repository.create(second)


class UnitOfWorkTest(AppTestBase):
    def setUp(self) -> None:
        self.setup_database()
        self.service = TodoPairs(SQLTodoRepository(sqlalchemy_db.session){% if cookiecutter.worker == "y" %}, SQLOutbox(sqlalchemy_db.session){% endif %})

    def stored_titles(self) -> list[str]:
        """Read on a connection of its own: only committed rows count."""
        with sqlalchemy_db.engine.connect() as connection:
            return list(connection.scalars(select(TodoModel.title).order_by(TodoModel.id)))

    def test_both_writes_are_committed_together(self):
        self.service.create_pair({"title": "first"}, {"title": "second"})

        self.assertEqual(self.stored_titles(), ["first", "second"])

    def test_a_failing_second_write_leaves_no_trace_of_the_first(self):
        with self.assertRaises(DataError):
            self.service.create_pair({"title": "first"}, {"title": "x" * 5000})

        self.assertEqual(self.stored_titles(), [])
        self.assertEqual(self.service.count(), 0)

    def test_a_use_case_calling_another_commits_once_at_the_end(self):
        other = TodoService(SQLTodoRepository(sqlalchemy_db.session){% if cookiecutter.worker == "y" %}, SQLOutbox(sqlalchemy_db.session){% endif %})

        with self.assertRaises(RuntimeError), self.service.unit_of_work:
            other.create({"title": "inner"})
            self.assertEqual(self.stored_titles(), [], "the inner unit of work committed early")
            raise RuntimeError("the outer use case fails after the inner one succeeded")

        self.assertEqual(self.stored_titles(), [])

    def test_a_database_error_at_commit_is_translated_and_nothing_stays(self):
        with sqlalchemy_db.engine.begin() as connection:
            connection.execute(
                text(
                    "ALTER TABLE todo ADD CONSTRAINT unique_title_at_commit UNIQUE (title) "
                    "DEFERRABLE INITIALLY DEFERRED"
                )
            )
        self.addCleanup(self.drop_constraint)

        with self.assertRaises(ConflictError):
            self.service.create_pair({"title": "same"}, {"title": "same"})

        self.assertEqual(self.stored_titles(), [])
        self.assertEqual(self.service.create({"title": "same"}).title, "same")

    def drop_constraint(self) -> None:
        sqlalchemy_db.session.rollback()
        with sqlalchemy_db.engine.begin() as connection:
            connection.execute(text("ALTER TABLE todo DROP CONSTRAINT unique_title_at_commit"))
            self.assertEqual(connection.scalar(select(func.count()).select_from(TodoModel)), 1)
