"""The Todo entity and its rules."""

import unittest

from src.domain.errors import DomainError, ValidationError
from src.domain.todo import Todo


class TodoTest(unittest.TestCase):
    def test_a_new_todo_is_open_and_has_no_description(self):
        todo = Todo(title="Plan the sprint")

        self.assertFalse(todo.completed)
        self.assertEqual(todo.description, "")
        self.assertIsNone(todo.id)

    def test_a_blank_title_is_rejected(self):
        for title in ("", "   ", "\n\t"):
            with self.subTest(title=title), self.assertRaises(ValidationError):
                Todo(title=title)

    def test_domain_errors_carry_a_message_and_no_http_status(self):
        error = ValidationError("bad")

        self.assertIsInstance(error, DomainError)
        self.assertEqual(error.message, "bad")
        self.assertFalse(hasattr(error, "status_code"))
