"""Settings that libraries read from the environment follow the service's rule: empty means the default."""

import unittest

from src.plumbing.settings.library_settings import drop_empty_library_settings


class LibrarySettingsTest(unittest.TestCase):
    def test_empty_library_variables_are_dropped_and_the_rest_kept(self):
        environ = {
            "PROMETHEUS_MULTIPROC_DIR": "",
            "prometheus_multiproc_dir": " ",
            "OTEL_EXPORTER_OTLP_TIMEOUT": "",
            "OTEL_SERVICE_NAME": "orders",
            "SECRET_KEY": "",
        }

        drop_empty_library_settings(environ)

        self.assertEqual(environ, {"OTEL_SERVICE_NAME": "orders", "SECRET_KEY": ""})
