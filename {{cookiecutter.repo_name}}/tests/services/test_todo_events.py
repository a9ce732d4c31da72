"""TodoService records `TodoCompleted` when, and only when, a change completes a todo."""

import unittest

from src.domain.todo import Todo
from src.domain.todo_events import TodoCompleted
from src.services.todo_service import TodoService
from tests.services.fake_outbox import FakeOutbox
from tests.services.fake_repository import FakeRepository


class TodoEventsTest(unittest.TestCase):
    def setUp(self) -> None:
        self.repository = FakeRepository(Todo)
        self.outbox = FakeOutbox(self.repository.database)
        self.service = TodoService(self.repository, self.outbox)
        self.todo = self.service.create({"title": "Ship it"})

    def test_completing_a_todo_records_one_event_naming_it(self):
        self.service.update(self.todo.id, {"completed": True})

        [event] = self.outbox.events
        self.assertIsInstance(event, TodoCompleted)
        self.assertEqual((event.todo_id, event.title), (self.todo.id, "Ship it"))
        self.assertEqual(event.payload(), {"todo_id": self.todo.id, "title": "Ship it"})

    def test_other_changes_and_a_second_completion_record_nothing(self):
        self.service.update(self.todo.id, {"title": "Ship it today"})
        self.service.update(self.todo.id, {"completed": True})
        self.service.update(self.todo.id, {"completed": True})
        self.service.update(self.todo.id, {})

        self.assertEqual(len(self.outbox.events), 1)

    def test_a_completion_rolled_back_leaves_no_event(self):
        with self.assertRaises(RuntimeError), self.service.unit_of_work:
            self.service.update(self.todo.id, {"completed": True})
            raise RuntimeError("the use case fails after the change")

        self.assertEqual(self.outbox.events, [])
        self.assertFalse(self.service.get(self.todo.id).completed)

    def test_every_event_has_an_id_of_its_own(self):
        first = TodoCompleted(todo_id=1, title="a")
        second = TodoCompleted(todo_id=1, title="a")

        self.assertNotEqual(first.event_id, second.event_id)
        self.assertEqual(first.name, "TodoCompleted")
