"""`UnitOfWork` over several repositories: all or nothing, without a database."""

import unittest
from dataclasses import dataclass

from src.domain.todo import Todo
from src.plumbing.domain import Entity, ValidationError
from src.plumbing.services import AbstractRepository, UnitOfWork
from tests.services.fake_repository import FakeDatabase, FakeRepository


@dataclass(frozen=True)
class Note(Entity):
    text: str
    id: int | None = None
    version: int | None = None
    created_at: object = None
    updated_at: object = None


class NotedTodos(UnitOfWork):
    todos: AbstractRepository[Todo]
    notes: AbstractRepository[Note]


class UnitOfWorkTest(unittest.TestCase):
    def setUp(self) -> None:
        database = FakeDatabase()
        self.work = NotedTodos(
            database.transaction, todos=FakeRepository(Todo, database), notes=FakeRepository(Note, database)
        )

    def test_an_error_in_the_block_undoes_the_writes_of_every_repository(self):
        with self.assertRaises(ValidationError), self.work as work:
            work.todos.create({"title": "kept?"})
            work.notes.create({"text": "kept?"})
            raise ValidationError("A rule refused the change.")

        self.assertEqual((self.work.todos.count(), self.work.notes.count()), (0, 0))

    def test_the_block_commits_both_at_its_end(self):
        with self.work as work:
            work.todos.create({"title": "one"})
            work.notes.create({"text": "two"})

        self.assertEqual((self.work.todos.count(), self.work.notes.count()), (1, 1))
        self.assertEqual(self.work.transaction.commits, 1)

    def test_an_explicit_commit_keeps_what_came_before_it(self):
        with self.assertRaises(ValidationError), self.work as work:
            work.todos.create({"title": "committed"})
            work.commit()
            work.notes.create({"text": "rolled back"})
            raise ValidationError("Too late for the note.")

        self.assertEqual((self.work.todos.count(), self.work.notes.count()), (1, 0))

    def test_a_commit_inside_a_nested_block_waits_for_the_outermost(self):
        with self.assertRaises(ValidationError), self.work as outer:
            with outer as inner:
                inner.todos.create({"title": "not yet"})
                inner.commit()
            raise ValidationError("The outer block fails.")

        self.assertEqual(self.work.todos.count(), 0)

    def test_the_repositories_must_be_the_declared_ones(self):
        database = FakeDatabase()
        with self.assertRaisesRegex(TypeError, r"declares the repositories \['notes', 'todos'\]"):
            NotedTodos(database.transaction, todos=FakeRepository(Todo, database))
