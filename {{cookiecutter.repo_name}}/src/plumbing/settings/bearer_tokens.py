"""The JWT settings: provider mode (JWKS), development mode (shared secret), and what production refuses."""

import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlparse

from src.plumbing.settings.readers import PLACEHOLDER_SECRETS, ConfigurationError, flag, seconds

# HS256 needs a key at least as long as its 256-bit hash (RFC 7518, section 3.2).
MINIMUM_SECRET_LENGTH = 32
NEW_SECRET_HINT = "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`"

logger = logging.getLogger(__name__)


def bearer_token_settings(environ: Mapping[str, str], app_env: str) -> dict[str, Any]:
    """How bearer tokens are verified; raise `ConfigurationError` when that is unsafe or incomplete."""
    config = {
        "JWT_SECRET": environ.get("JWT_SECRET", "").strip(),
        "JWT_ALLOW_SHARED_SECRET": flag(environ, "JWT_ALLOW_SHARED_SECRET"),
        "JWT_JWKS_URL": environ.get("JWT_JWKS_URL", "").strip(),
        "JWT_ISSUER": environ.get("JWT_ISSUER", "").strip(),
        "JWT_AUDIENCE": environ.get("JWT_AUDIENCE", "").strip(),
        "JWT_LEEWAY_SECONDS": seconds(environ, "JWT_LEEWAY_SECONDS", 30.0),
        "JWT_JWKS_COOLDOWN_SECONDS": seconds(environ, "JWT_JWKS_COOLDOWN_SECONDS", 30.0),
        "JWT_ROLES_CLAIM": environ.get("JWT_ROLES_CLAIM", "").strip(),
    }
    if config["JWT_JWKS_URL"]:
        _check_provider_mode(config)
    elif config["JWT_SECRET"]:
        _check_development_mode(config, app_env)
    elif app_env == "production":
        raise ConfigurationError(
            "No way to verify bearer tokens: set JWT_JWKS_URL, JWT_ISSUER and JWT_AUDIENCE for your identity "
            "provider (see docs/auth.md)."
        )
    else:
        logger.warning("Neither JWT_JWKS_URL nor JWT_SECRET is set: every protected operation answers 401.")
    return config


def _check_provider_mode(config: dict[str, Any]) -> None:
    if config["JWT_SECRET"]:
        raise ConfigurationError("Set JWT_JWKS_URL or JWT_SECRET, not both: a token must have one way to be verified.")
    if urlparse(config["JWT_JWKS_URL"]).scheme not in ("http", "https"):
        raise ConfigurationError(f"JWT_JWKS_URL must be an http(s) URL; got {config['JWT_JWKS_URL']!r}.")
    missing = [name for name in ("JWT_ISSUER", "JWT_AUDIENCE") if not config[name]]
    if missing:
        raise ConfigurationError(f"{' and '.join(missing)} must be set with JWT_JWKS_URL: tokens are checked for both.")


def _check_development_mode(config: dict[str, Any], app_env: str) -> None:
    secret = config["JWT_SECRET"]
    if secret in PLACEHOLDER_SECRETS or len(secret) < MINIMUM_SECRET_LENGTH:
        raise ConfigurationError(
            f"JWT_SECRET is a placeholder or shorter than {MINIMUM_SECRET_LENGTH} characters; "
            f"set e.g. {NEW_SECRET_HINT}."
        )
    if app_env == "production" and not config["JWT_ALLOW_SHARED_SECRET"]:
        raise ConfigurationError(
            "JWT_SECRET (development mode) is set in production: anyone holding it can sign tokens. Configure "
            "JWT_JWKS_URL for your identity provider, or set JWT_ALLOW_SHARED_SECRET=true to accept the risk."
        )
