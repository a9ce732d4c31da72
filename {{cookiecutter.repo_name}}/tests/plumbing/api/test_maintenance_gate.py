"""MaintenanceGate on its own: caching, immediate local switches, and keeping the last state on errors."""

import unittest
from unittest import mock

from src.plumbing.api.middleware.maintenance_gate import MaintenanceGate
from src.plumbing.domain.service_context import ServiceContext

ON = ServiceContext(maintenance=True)
OFF = ServiceContext(maintenance=False)


class StateSource:
    """Stands in for the database: returns `state`, or raises `error` when set."""

    def __init__(self, state: ServiceContext) -> None:
        self.state = state
        self.error: Exception | None = None
        self.reads = 0

    def __call__(self) -> ServiceContext:
        self.reads += 1
        if self.error:
            raise self.error
        return self.state


class MaintenanceGateTest(unittest.TestCase):
    def setUp(self) -> None:
        self.source = StateSource(OFF)
        self.now = 1000.0
        clock = mock.patch("src.plumbing.api.middleware.maintenance_gate.time.monotonic", side_effect=lambda: self.now)
        clock.start()
        self.addCleanup(clock.stop)
        self.gate = MaintenanceGate(self.source, cache_seconds=2, retry_after=60)

    def test_the_flag_is_read_once_per_cache_period(self):
        for _ in range(100):
            self.gate.current_state()
        self.now += 2.5
        self.gate.current_state()

        self.assertEqual(self.source.reads, 2)

    def test_another_instance_switch_is_seen_after_the_cache_expires(self):
        self.assertFalse(self.gate.current_state().maintenance)
        self.source.state = ON

        self.now += 1.9
        self.assertFalse(self.gate.current_state().maintenance)
        self.now += 0.2
        self.assertTrue(self.gate.current_state().maintenance)

    def test_a_local_switch_applies_at_once(self):
        self.gate.current_state()

        self.gate.remember(ON)

        self.assertTrue(self.gate.current_state().maintenance)

    def test_an_unreadable_database_keeps_the_last_known_state_and_warns(self):
        self.source.state = ON
        self.gate.current_state()
        self.source.error = ConnectionError("database is down")
        self.now += 3

        with self.assertLogs("src.plumbing.api.middleware.maintenance_gate", "WARNING") as logs:
            state = self.gate.current_state()

        self.assertTrue(state.maintenance)
        self.assertIn("database is down", logs.output[0])
