"""The JWT settings: which combinations start, and what production refuses with a clear message."""

import unittest

from src.plumbing.settings import ConfigurationError, template_settings

SECRET = "a-development-secret-of-32-characters-or-more"
PRODUCTION = {"APP_ENV": "production", "SECRET_KEY": "a-real-secret", "SQLALCHEMY_DATABASE_URI": "sqlite://"}
PROVIDER = {
    "JWT_JWKS_URL": "https://login.example/realms/main/protocol/openid-connect/certs",
    "JWT_ISSUER": "https://login.example/realms/main",
    "JWT_AUDIENCE": "todo-service",
}


class JwtConfigTest(unittest.TestCase):
    def assertRefused(self, environ: dict, fragment: str) -> None:
        with self.assertRaises(ConfigurationError) as raised:
            template_settings(environ)
        self.assertIn(fragment, str(raised.exception))

    def test_production_refuses_to_start_without_a_way_to_verify_tokens(self):
        self.assertRefused(PRODUCTION, "JWT_JWKS_URL")

    def test_production_refuses_the_shared_secret_unless_allowed(self):
        self.assertRefused({**PRODUCTION, "JWT_SECRET": SECRET}, "JWT_ALLOW_SHARED_SECRET")
        config = template_settings({**PRODUCTION, "JWT_SECRET": SECRET, "JWT_ALLOW_SHARED_SECRET": "true"})
        self.assertEqual(config["JWT_SECRET"], SECRET)

    def test_production_starts_in_provider_mode(self):
        config = template_settings({**PRODUCTION, **PROVIDER})

        self.assertEqual(config["JWT_AUDIENCE"], "todo-service")
        self.assertEqual(config["JWT_LEEWAY_SECONDS"], 30)

    def test_a_placeholder_or_short_secret_is_refused_everywhere(self):
        for environment in ("development", "testing"):
            for secret in ("change-me", "too-short"):
                with self.subTest(environment=environment, secret=secret):
                    environ = {"APP_ENV": environment, "SQLALCHEMY_DATABASE_URI": "sqlite://", "JWT_SECRET": secret}
                    self.assertRefused(environ, "JWT_SECRET")

    def test_provider_mode_needs_issuer_audience_and_an_http_url(self):
        self.assertRefused({**PRODUCTION, **PROVIDER, "JWT_ISSUER": ""}, "JWT_ISSUER")
        self.assertRefused({**PRODUCTION, **PROVIDER, "JWT_AUDIENCE": ""}, "JWT_AUDIENCE")
        self.assertRefused({**PRODUCTION, **PROVIDER, "JWT_JWKS_URL": "file:///etc/keys.json"}, "http(s)")

    def test_both_modes_at_once_are_refused(self):
        self.assertRefused({**PRODUCTION, **PROVIDER, "JWT_SECRET": SECRET}, "not both")

    def test_development_starts_without_either_mode(self):
        config = template_settings({"APP_ENV": "development"})

        self.assertEqual((config["JWT_SECRET"], config["JWT_JWKS_URL"]), ("", ""))
