"""HealthService names the dependencies that do not answer."""

import unittest

from src.plumbing.services.health_service import HealthService
from tests.plumbing.services.fake_probe import FakeProbe


class HealthServiceTest(unittest.TestCase):
    def test_ready_when_every_dependency_answers(self):
        service = HealthService([FakeProbe("database", True), FakeProbe("cache", True)])

        self.assertEqual(service.unreachable_dependencies(), [])

    def test_names_each_dependency_that_does_not_answer(self):
        service = HealthService([FakeProbe("database", False), FakeProbe("cache", True), FakeProbe("queue", False)])

        self.assertEqual(service.unreachable_dependencies(), ["database", "queue"])
