"""Tokens for the tests: the development secret of the test environment, and a client that sends a token."""

import time
from typing import Any

import jwt
from flask import Flask
from flask.testing import FlaskClient

from src.plumbing.api.auth.tokens import development_token

# HS256 wants a key of 32 bytes or more; this one exists only in the tests.
TEST_JWT_SECRET = "test-jwt-secret-with-at-least-32-characters"
MAINTAIN = "service:maintain"


def signed(key: Any = TEST_JWT_SECRET, algorithm: str = "HS256", headers: dict | None = None, **claims: Any) -> str:
    """A token with `sub` and a one-hour `exp` unless `claims` says otherwise; a claim set to None is left out."""
    now = int(time.time())
    payload = {"sub": "alice", "iat": now, "exp": now + 3600, **claims}
    payload = {name: value for name, value in payload.items() if value is not None}
    return jwt.encode(payload, key, algorithm=algorithm, headers=headers)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def declared_scopes(app: Flask) -> list[str]:
    """Every scope an operation of `app` declares, read from its OpenAPI document."""
    document = FlaskClient(app).get(f"{app.config['SERVICE_PREFIX']}/openapi.json").json
    # A path item holds its operations by method, next to a list of shared `parameters`.
    operations = [item for path in document["paths"].values() for item in path.values() if isinstance(item, dict)]
    return sorted({scope for operation in operations for scope in operation.get("x-scopes", [])})


def send_a_token_by_default(app: Flask) -> None:
    """`app.test_client()` sends a token granting every declared scope, so tests of a resource need not.

    A header a test passes replaces it; `FlaskClient(app)` sends none. The maintenance scope is left out:
    switching maintenance needs its own credentials. Apps verifying a provider's tokens get no default.
    """
    if not app.config["JWT_SECRET"]:
        return
    token = development_token(app.config, "alice", declared_scopes(app), expires_in=24 * 60 * 60)

    class AuthenticatedClient(FlaskClient):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"

    app.test_client_class = AuthenticatedClient
