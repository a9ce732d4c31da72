"""The Sentry settings: off without a DSN, the environment from APP_ENV, sampling rates from 0 to 1."""

import unittest

from src.plumbing.settings import ConfigurationError, template_settings

TESTING = {"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"}


class ErrorTrackingSettingsTest(unittest.TestCase):
    def test_without_a_dsn_error_tracking_is_off_and_every_error_would_be_sampled(self):
        config = template_settings({**TESTING, "SENTRY_DSN": " "})

        self.assertEqual(config["SENTRY_DSN"], "")
        self.assertEqual(config["SENTRY_SAMPLE_RATE"], 1.0)
        self.assertEqual(config["SENTRY_TRACES_SAMPLE_RATE"], 0.0)

    def test_the_environment_is_app_env_unless_named(self):
        self.assertEqual(template_settings(TESTING)["SENTRY_ENVIRONMENT"], "testing")
        config = template_settings({**TESTING, "SENTRY_ENVIRONMENT": "staging"})
        self.assertEqual(config["SENTRY_ENVIRONMENT"], "staging")

    def test_a_rate_outside_0_to_1_is_refused_with_its_name(self):
        for value in ("1.5", "-0.1", "half"):
            with self.subTest(value=value), self.assertRaises(ConfigurationError) as raised:
                template_settings({**TESTING, "SENTRY_TRACES_SAMPLE_RATE": value})
            self.assertIn("SENTRY_TRACES_SAMPLE_RATE", str(raised.exception))
