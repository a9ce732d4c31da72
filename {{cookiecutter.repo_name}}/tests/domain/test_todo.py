"""The Todo entity and its rules."""

import unittest

from src.domain.todo import Todo
from src.plumbing.domain import DomainError, ValidationError, VersionMismatchError, is_blank


class TodoTest(unittest.TestCase):
    def test_a_new_todo_is_open_and_has_no_description(self):
        todo = Todo(title="Plan the sprint")

        self.assertFalse(todo.completed)
        self.assertEqual(todo.description, "")
        self.assertIsNone(todo.id)

    def test_a_blank_title_breaks_the_rule_and_names_the_field(self):
        for title in ("", "   ", "\n\t", "\x1d", "\u3000\u2028"):
            with self.subTest(title=title), self.assertRaises(ValidationError) as raised:
                Todo(title=title).validate()
            self.assertEqual(raised.exception.field, "title")
        Todo(title=" x ").validate()

    def test_blank_means_what_python_calls_whitespace(self):
        whitespace = [chr(code) for code in range(0x110000) if chr(code).isspace()]

        self.assertTrue(all(is_blank(character) for character in whitespace))
        self.assertFalse(is_blank("\ufeff"))
        self.assertFalse(is_blank("\x00"))

    def test_a_todo_is_at_its_version_or_one_of_several(self):
        todo = Todo(title="versioned", version=3)

        todo.check_version(None)
        todo.check_version(3)
        todo.check_version({2, 3})
        for expected in (2, set(), {1, 2}):
            with self.subTest(expected=expected), self.assertRaises(VersionMismatchError):
                todo.check_version(expected)

    def test_domain_errors_carry_a_message_and_no_http_status(self):
        error = ValidationError("bad")

        self.assertIsInstance(error, DomainError)
        self.assertEqual(error.message, "bad")
        self.assertFalse(hasattr(error, "status_code"))
