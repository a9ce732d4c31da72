"""Writes based on an outdated version are refused, even when two writers pass the version check together."""

from sqlalchemy.orm import Session

from src.domain.errors import VersionMismatchError
from src.infrastructure.databases import sqlalchemy_db
from src.infrastructure.models import TodoModel
from src.infrastructure.repositories import SQLTodoRepository
from tests.resources.app_test_base import AppTestBase


class OptimisticLockingTest(AppTestBase):
    def setUp(self) -> None:
        self.setup_database()
        self.todo = SQLTodoRepository().create({"title": "shared"})

    def session(self) -> Session:
        session = Session(sqlalchemy_db.engine, expire_on_commit=False)
        self.addCleanup(session.close)
        return session

    def test_a_precondition_sees_the_stored_entity_and_can_refuse_the_write(self):
        class Refused(Exception):
            pass

        def refuse_version_1(todo):
            if todo.version == 1:
                raise Refused

        repository = SQLTodoRepository()
        with self.assertRaises(Refused):
            repository.update(self.todo.id, {"title": "refused"}, precondition=refuse_version_1)
        with self.assertRaises(Refused):
            repository.delete(self.todo.id, precondition=refuse_version_1)
        self.assertEqual(repository.get(self.todo.id).title, "shared")

        changed = repository.update(self.todo.id, {"title": "changed"}, precondition=lambda todo: None)
        self.assertEqual((changed.title, changed.version), ("changed", 2))
        repository.update(self.todo.id, {"completed": True}, precondition=refuse_version_1)
        repository.delete(self.todo.id, precondition=refuse_version_1)
        self.assertEqual(repository.find({}), [])

    def test_a_write_with_an_outdated_expected_version_is_refused(self):
        repository = SQLTodoRepository()
        repository.update(self.todo.id, {"title": "first"}, expected_version=1)

        with self.assertRaises(VersionMismatchError):
            repository.update(self.todo.id, {"title": "second"}, expected_version=1)
        with self.assertRaises(VersionMismatchError):
            repository.delete(self.todo.id, expected_version=1)
        self.assertEqual((repository.get(self.todo.id).title, repository.get(self.todo.id).version), ("first", 2))

    def test_the_database_refuses_the_second_of_two_writers_that_read_the_same_version(self):
        first, second = self.session(), self.session()
        second.get(TodoModel, self.todo.id)  # the second writer has read version 1 too

        SQLTodoRepository(first).update(self.todo.id, {"title": "first"}, expected_version=1)
        with self.assertRaises(VersionMismatchError):
            SQLTodoRepository(second).update(self.todo.id, {"title": "second"}, expected_version=1)

        self.assertEqual(SQLTodoRepository().get(self.todo.id).title, "first")

    def test_a_delete_racing_an_update_is_refused(self):
        first, second = self.session(), self.session()
        second.get(TodoModel, self.todo.id)

        SQLTodoRepository(first).update(self.todo.id, {"completed": True}, expected_version=1)
        with self.assertRaises(VersionMismatchError):
            SQLTodoRepository(second).delete(self.todo.id, expected_version=1)

        self.assertTrue(SQLTodoRepository().get(self.todo.id).completed)
