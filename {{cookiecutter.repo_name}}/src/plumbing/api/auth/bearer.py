"""The `Authorization: Bearer` header of a request: who sent it, or a 401 or 403 that says why not (RFC 6750)."""

from collections.abc import Iterable

import jwt
{% if cookiecutter.use_sentry == "y" -%}
from flask import Flask, current_app, g, request
{%- else -%}
from flask import Flask, current_app, request
{%- endif %}

# flask-smorest's `abort` is webargs' own; imported from webargs, which ships types, it is known never to return.
from webargs.flaskparser import abort

from src.plumbing.api.auth.tokens import TokenVerifier, verifier_from_config
from src.plumbing.domain.errors import UnavailableError
from src.plumbing.services.principal import Principal

# Far above what providers issue, and below gunicorn's limit of 8190 bytes for a header line, so that a longer
# token meets this 401 rather than gunicorn's page: `Authorization: Bearer ` and the CRLF take 24 bytes of it.
MAX_TOKEN_BYTES = 8000
EXTENSION = "token_verifier"
SEND_A_TOKEN = "Send 'Authorization: Bearer <token>'; docs/auth.md says how to get one."


def install_token_verifier(app: Flask) -> None:
    app.extensions[EXTENSION] = verifier_from_config(app.config)


def authenticate(scopes: Iterable[str]) -> Principal:
    """The caller of this request, who holds every one of `scopes`; aborts with 401 or 403 otherwise."""
    principal = _verified(_bearer_token())
{%- if cookiecutter.use_sentry == "y" %}
    g.caller = principal
{%- endif %}
    missing = [scope for scope in scopes if not principal.may(scope)]
    if missing:
        needed = " ".join(scopes)
        abort(
            403,
            message=f"The token lacks the scope {', '.join(missing)}; this operation needs {needed}.",
            headers=_challenge(error="insufficient_scope", scope=needed),
        )
    return principal


{% if cookiecutter.use_sentry == "y" -%}
def request_caller() -> Principal | None:
    """Who `authenticate` found this request was sent by; still known once the operation has ended in an error."""
    caller: Principal | None = g.get("caller")
    return caller


{% endif -%}
def bearer_token() -> str | None:
    """The token of an `Authorization: Bearer <token>` header (werkzeug parses it), or None for anything else."""
    credentials = request.authorization
    if credentials is None or credentials.type != "bearer":
        return None
    return credentials.token or None


def token_subject() -> str | None:
    """The subject of this request's bearer token when the token is valid, else None; it never aborts."""
    token, verifier = bearer_token(), installed_verifier()
    if token is None or verifier is None or len(token) > MAX_TOKEN_BYTES:
        return None
    try:
        return verifier.principal(token).subject
    except jwt.PyJWTError:
        return None


def installed_verifier() -> TokenVerifier | None:
    """The verifier `install_token_verifier` gave the current app: None when no key or secret is configured."""
    verifier: TokenVerifier | None = current_app.extensions[EXTENSION]
    return verifier


def _bearer_token() -> str:
    if "Authorization" not in request.headers:
        # RFC 6750, section 3.1: a request without credentials gets the challenge without an error code.
        abort(401, message=SEND_A_TOKEN, headers=_challenge())
    token = bearer_token()
    if not token or " " in token:
        abort(401, message=SEND_A_TOKEN, headers=_challenge(error="invalid_request"))
    if len(token) > MAX_TOKEN_BYTES:
        abort(401, message=f"The token is longer than {MAX_TOKEN_BYTES} bytes.", headers=_challenge("invalid_request"))
    return token


def _verified(token: str) -> Principal:
    verifier = installed_verifier()
    if verifier is None:
        message = "No token can be verified: set JWT_JWKS_URL or JWT_SECRET."
        abort(401, message=message, headers=_challenge("invalid_token"))
    try:
        return verifier.principal(token)
    except jwt.PyJWKClientConnectionError as error:
        raise UnavailableError("The identity provider's keys (JWT_JWKS_URL) cannot be fetched; retry later.") from error
    except jwt.ExpiredSignatureError:
        abort(401, message="The token has expired.", headers=_challenge("invalid_token"))
    except jwt.PyJWTError as error:
        abort(401, message=f"The token is not valid: {error}", headers=_challenge("invalid_token"))


def _challenge(error: str | None = None, scope: str | None = None) -> dict[str, str]:
    parameters = [f'{name}="{value}"' for name, value in (("error", error), ("scope", scope)) if value]
    return {"WWW-Authenticate": " ".join(["Bearer", ", ".join(parameters)]).strip()}
