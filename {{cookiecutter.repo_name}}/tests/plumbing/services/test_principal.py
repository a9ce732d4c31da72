"""The current principal: set for the code of one operation, gone after it."""

import unittest

from src.plumbing.services.principal import Principal, acting_as, current_principal


class PrincipalTest(unittest.TestCase):
    def test_acting_as_sets_the_principal_for_the_block_only(self):
        alice = Principal(subject="alice", scopes=frozenset({"todo:read"}))

        with acting_as(alice):
            self.assertIs(current_principal(), alice)
            self.assertTrue(current_principal().may("todo:read"))
            self.assertFalse(current_principal().may("todo:write"))
        self.assertIsNone(current_principal())

    def test_the_previous_principal_comes_back_after_a_nested_block(self):
        outer, inner = Principal("outer", frozenset()), Principal("inner", frozenset())

        with acting_as(outer):
            with acting_as(inner):
                self.assertIs(current_principal(), inner)
            self.assertIs(current_principal(), outer)
