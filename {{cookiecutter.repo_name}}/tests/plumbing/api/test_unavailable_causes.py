"""The cause of 503 answers: logged once per kind and minute, repeats counted, on one line each."""

import logging
import unittest

from src.plumbing.api.openapi.unavailable_causes import REPEAT_AFTER_SECONDS, UnavailableCauses
from src.plumbing.domain.errors import UnavailableError


def unavailable(cause: str) -> UnavailableError:
    try:
        raise UnavailableError("The database cannot be reached right now.") from ConnectionError(cause)
    except UnavailableError as error:
        return error


class UnavailableCausesTest(unittest.TestCase):
    def setUp(self) -> None:
        self.now = 0.0
        self.causes = UnavailableCauses(clock=lambda: self.now)

    def logged(self, *errors: UnavailableError) -> list[str]:
        with self.assertLogs("src.plumbing.api.openapi.unavailable_causes", logging.WARNING) as logs:
            for error in errors:
                self.causes.report(error)
            logging.getLogger("src.plumbing.api.openapi.unavailable_causes").warning("end")
        return [record.getMessage() for record in logs.records][:-1]

    def test_each_kind_of_cause_is_logged_once_a_minute_with_the_repeats_counted(self):
        timeout, refused = unavailable("timeout expired\nsecond line"), unavailable("connection refused")

        first = self.logged(timeout, timeout, refused, timeout)
        self.now += REPEAT_AFTER_SECONDS
        later = self.logged(timeout)

        self.assertEqual(
            first,
            [
                "Cannot be reached, so requests that need it answer 503: ConnectionError: timeout expired",
                "Cannot be reached, so requests that need it answer 503: ConnectionError: connection refused",
            ],
        )
        self.assertEqual(
            later,
            [
                "Cannot be reached, so requests that need it answer 503: ConnectionError: timeout expired"
                " (2 more since it was last logged)"
            ],
        )
