"""The template's settings from the environment: safe defaults and refusals with clear messages."""

import unittest

from dotenv import dotenv_values

from src.plumbing.settings import (
    EMBEDDED_DATABASE_URI,
    ConfigurationError,
    log_format,
    normalize_prefix,
    template_settings,
)
from src.plumbing.settings.template import PROJECT_ROOT

{% if cookiecutter.auth == "jwt" -%}
PRODUCTION = {
    "APP_ENV": "production",
    "SECRET_KEY": "a-real-secret",
    "SQLALCHEMY_DATABASE_URI": "sqlite://",
    "JWT_JWKS_URL": "https://login.example/certs",
    "JWT_ISSUER": "https://login.example",
    "JWT_AUDIENCE": "todo-service",
}
{%- else -%}
PRODUCTION = {"APP_ENV": "production", "SECRET_KEY": "a-real-secret", "SQLALCHEMY_DATABASE_URI": "sqlite://"}
{%- endif %}


class ConfigTest(unittest.TestCase):
    def assertRefused(self, environ: dict, fragment: str) -> None:
        with self.assertRaises(ConfigurationError) as raised:
            template_settings(environ)
        self.assertIn(fragment, str(raised.exception))

    def test_development_falls_back_to_the_embedded_sqlite_database(self):
        config = template_settings({"APP_ENV": "development"})

        self.assertEqual(config["SQLALCHEMY_DATABASE_URI"], EMBEDDED_DATABASE_URI)
        self.assertFalse(config["DEBUG"])

    def test_production_requires_a_database_url(self):
        self.assertRefused({**PRODUCTION, "SQLALCHEMY_DATABASE_URI": ""}, "SQLALCHEMY_DATABASE_URI is required")

    def test_production_refuses_a_missing_or_placeholder_secret(self):
        self.assertRefused({**PRODUCTION, "SECRET_KEY": ""}, "SECRET_KEY")
        self.assertRefused({**PRODUCTION, "SECRET_KEY": "change-me"}, "SECRET_KEY")

    def test_the_default_environment_is_production(self):
        self.assertRefused({}, "SQLALCHEMY_DATABASE_URI is required")

    def test_debug_is_refused_outside_development(self):
        self.assertRefused({**PRODUCTION, "FLASK_DEBUG": "1"}, "FLASK_DEBUG")
        self.assertTrue(template_settings({"APP_ENV": "development", "FLASK_DEBUG": "1"})["DEBUG"])

    def test_postgres_urls_use_the_installed_psycopg2_driver(self):
        for url in ("postgresql://u@h/db", "postgres://u@h/db"):
            with self.subTest(url=url):
                config = template_settings({**PRODUCTION, "SQLALCHEMY_DATABASE_URI": url})
                self.assertEqual(config["SQLALCHEMY_DATABASE_URI"], "postgresql+psycopg2://u@h/db")

    def test_prefix_with_or_without_slashes_means_the_same(self):
        for prefix in ("example", "/example", "/example/"):
            self.assertEqual(normalize_prefix(prefix), "/example")
        self.assertEqual(normalize_prefix(""), "")

    def test_wildcard_cors_with_credentials_is_refused(self):
        self.assertRefused({**PRODUCTION, "CORS_ORIGINS": "*", "CORS_SUPPORTS_CREDENTIALS": "true"}, "CORS_ORIGINS")

    def test_cors_origins_are_a_comma_separated_list(self):
        config = template_settings({**PRODUCTION, "CORS_ORIGINS": "https://a.example, https://b.example"})
        self.assertEqual(config["CORS_ORIGINS"], ["https://a.example", "https://b.example"])

    def test_malformed_values_are_refused_with_their_name(self):
        self.assertRefused({**PRODUCTION, "LOG_LEVEL": "LOUD"}, "LOG_LEVEL")
        self.assertRefused({**PRODUCTION, "MAX_CONTENT_LENGTH": "big"}, "MAX_CONTENT_LENGTH")
        self.assertRefused({**PRODUCTION, "APP_ENV": "staging"}, "APP_ENV")
        self.assertRefused({**PRODUCTION, "CORS_SUPPORTS_CREDENTIALS": "maybe"}, "CORS_SUPPORTS_CREDENTIALS")

    def test_the_connection_pool_is_sized_from_the_environment(self):
        config = template_settings({**PRODUCTION, "DATABASE_POOL_SIZE": "2", "DATABASE_MAX_OVERFLOW": "0"})
        self.assertEqual((config["DATABASE_POOL_SIZE"], config["DATABASE_MAX_OVERFLOW"]), (2, 0))
        self.assertRefused({**PRODUCTION, "DATABASE_POOL_SIZE": "0"}, "DATABASE_POOL_SIZE must be at least 1")
        self.assertRefused({**PRODUCTION, "DATABASE_MAX_OVERFLOW": "-1"}, "DATABASE_MAX_OVERFLOW must be at least 0")

    def test_logs_are_json_in_production_and_text_in_development(self):
        self.assertEqual(template_settings(PRODUCTION)["LOG_FORMAT"], "json")
        self.assertEqual(template_settings({"APP_ENV": "development"})["LOG_FORMAT"], "text")
        self.assertEqual(template_settings({**PRODUCTION, "LOG_FORMAT": " TEXT "})["LOG_FORMAT"], "text")
        self.assertRefused({**PRODUCTION, "LOG_FORMAT": "xml"}, "LOG_FORMAT must be one of json, text")

    def test_the_shipped_env_file_logs_json_once_app_env_is_production(self):
        # What the README's `docker run --env-file .env -e APP_ENV=production` gives the container.
        shipped = {name: value or "" for name, value in dotenv_values(PROJECT_ROOT / ".env.example").items()}
        self.assertEqual(log_format({**shipped, "APP_ENV": "production"}), "json")
        self.assertEqual(log_format(shipped), "text")

    def test_empty_values_take_the_default(self):
        blank = {name: " " for name in ("LOG_LEVEL", "LOG_FORMAT", "SERVICE_PREFIX", "MAX_CONTENT_LENGTH")}
        config = template_settings({**PRODUCTION, **blank})
        self.assertEqual((config["LOG_LEVEL"], config["LOG_FORMAT"], config["SERVICE_PREFIX"]), ("INFO", "json", ""))
        self.assertEqual(config["MAX_CONTENT_LENGTH"], 1024 * 1024)

    def test_rate_limits_are_on_per_process_by_default_and_refuse_a_malformed_budget(self):
        config = template_settings(PRODUCTION)
        self.assertEqual((config["RATELIMIT_ENABLED"], config["RATELIMIT_FAIL_OPEN"]), (True, True))
        self.assertEqual((config["RATELIMIT_DEFAULT"], config["RATELIMIT_STORAGE_URI"]), ("600/minute", "memory://"))
        self.assertEqual(template_settings({**PRODUCTION, "RATELIMIT_ENABLED": "false"})["RATELIMIT_ENABLED"], False)
        self.assertRefused({**PRODUCTION, "RATELIMIT_DEFAULT": "lots"}, "RATELIMIT_DEFAULT must be a limit")
        self.assertRefused({**PRODUCTION, "RATELIMIT_FAIL_OPEN": "maybe"}, "RATELIMIT_FAIL_OPEN")

    def test_no_proxy_is_trusted_unless_configured(self):
        self.assertEqual(template_settings(PRODUCTION)["TRUSTED_PROXIES"], 0)
        self.assertEqual(template_settings({**PRODUCTION, "TRUSTED_PROXIES": "2"})["TRUSTED_PROXIES"], 2)
        self.assertRefused({**PRODUCTION, "TRUSTED_PROXIES": "-1"}, "TRUSTED_PROXIES must be at least 0")
{%- if cookiecutter.worker == "y" and cookiecutter.use_prometheus == "y" %}

    def test_the_worker_metrics_port_is_a_port_or_empty(self):
        self.assertIsNone(template_settings(PRODUCTION)["WORKER_METRICS_PORT"])
        self.assertEqual(template_settings({**PRODUCTION, "WORKER_METRICS_PORT": "9101"})["WORKER_METRICS_PORT"], 9101)
        self.assertRefused({**PRODUCTION, "WORKER_METRICS_PORT": "0"}, "WORKER_METRICS_PORT must be at least 1")
        self.assertRefused({**PRODUCTION, "WORKER_METRICS_PORT": "65536"}, "WORKER_METRICS_PORT must be at most 65535")
{%- endif %}
