"""ServiceContextService against an in-memory store."""

import unittest

from src.plumbing.services.service_context_service import ServiceContextService
from tests.plumbing.services.fake_service_context_repository import FakeServiceContextRepository


class ServiceContextServiceTest(unittest.TestCase):
    def setUp(self) -> None:
        self.service = ServiceContextService(FakeServiceContextRepository())

    def test_a_service_never_configured_is_not_in_maintenance(self):
        self.assertFalse(self.service.get().maintenance)

    def test_activate_stores_the_flag_and_the_message(self):
        state = self.service.activate_maintenance("Back at 14:00")

        self.assertEqual((state.maintenance, state.message), (True, "Back at 14:00"))
        self.assertEqual(self.service.get(), state)

    def test_deactivate_clears_the_message(self):
        self.service.activate_maintenance("Back soon")

        state = self.service.deactivate_maintenance()

        self.assertEqual((state.maintenance, state.message), (False, None))

    def test_update_ignores_a_message_when_switching_off(self):
        self.assertIsNone(self.service.update(False, "ignored").message)
