"""`ServiceFlask.ensure_sync` gives Flask's answers, also when it answers from its cache."""

import unittest

from src.plumbing.api.middleware.service_flask import ServiceFlask


def sync_view():
    return "sync"


async def async_view():
    return "async"


class Resource:
    def sync_method(self):
        return "sync"

    async def async_method(self):
        return "async"


class UnhashableAsync:
    __hash__ = None

    async def __call__(self):
        return "async"


class EnsureSyncTest(unittest.TestCase):
    def setUp(self) -> None:
        self.app = ServiceFlask(__name__)
        # Stand-in for asgiref, so the test sees which functions Flask would convert.
        self.app.async_to_sync = lambda func: ("converted", func)

    def test_sync_functions_and_methods_are_returned_as_they_are(self):
        for _ in range(2):
            self.assertIs(self.app.ensure_sync(sync_view), sync_view)
            method = Resource().sync_method
            self.assertIs(self.app.ensure_sync(method), method)

    def test_coroutine_functions_and_methods_are_converted_every_time(self):
        for _ in range(2):
            self.assertEqual(self.app.ensure_sync(async_view), ("converted", async_view))
            method = Resource().async_method
            self.assertEqual(self.app.ensure_sync(method), ("converted", method))

    def test_an_unhashable_callable_gets_flasks_own_answer(self):
        view = UnhashableAsync()

        self.assertIs(self.app.ensure_sync(view), view)
