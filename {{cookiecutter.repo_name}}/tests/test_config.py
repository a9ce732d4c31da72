"""The service's configuration: the template's settings, with the service's own name and version."""

import unittest

from src.config import SERVICE_NAME, SERVICE_VERSION, load_config
from src.plumbing.settings import ConfigurationError

PRODUCTION = {
    "APP_ENV": "production",
    "SECRET_KEY": "a-real-secret",
    "SQLALCHEMY_DATABASE_URI": "sqlite://",
{%- if cookiecutter.auth == "jwt" %}
    "JWT_JWKS_URL": "https://login.example/certs",
    "JWT_ISSUER": "https://login.example",
    "JWT_AUDIENCE": "todo-service",
{%- endif %}
}


class ConfigTest(unittest.TestCase):
    def test_the_api_carries_the_name_and_version_of_the_service(self):
        config = load_config(PRODUCTION)

        self.assertEqual((config["API_TITLE"], config["API_VERSION"]), (SERVICE_NAME, SERVICE_VERSION))
        self.assertEqual(config["APP_ENV"], "production")

    def test_an_unsafe_environment_is_refused(self):
        with self.assertRaises(ConfigurationError):
            load_config({**PRODUCTION, "SECRET_KEY": "change-me"})
