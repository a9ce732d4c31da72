"""`TokenVerifier`: PyJWT checks a bearer token against the configured keys, issuer, audience and clock."""

import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import jwt

from src.api.auth.claims import granted_scopes
from src.services.principal import Principal

# Providers sign with RSA or elliptic-curve keys; the shared secret of development mode is HMAC.
PROVIDER_ALGORITHMS = ("RS256", "ES256")
DEVELOPMENT_ALGORITHM = "HS256"
# The JWKS is fetched again after this long even when every kid is known, so revoked keys go away.
JWKS_CACHE_SECONDS = 300
JWKS_TIMEOUT_SECONDS = 5
REQUIRED_CLAIMS = ["exp", "sub"]

Key = jwt.PyJWK | str


class TokenVerifier:
    """Verifies signature, algorithm, `exp`, `nbf`, `iat`, issuer and audience, then reads the subject and scopes."""

    def __init__(
        self,
        key_for: Callable[[Mapping[str, Any]], Key],
        algorithms: Iterable[str],
        config: Mapping[str, Any],
    ) -> None:
        self._key_for = key_for
        self._algorithms = list(algorithms)
        self._issuer = config["JWT_ISSUER"] or None
        self._audience = config["JWT_AUDIENCE"] or None
        self._leeway = config["JWT_LEEWAY_SECONDS"]
        self._roles_claim = config["JWT_ROLES_CLAIM"]

    def principal(self, token: str) -> Principal:
        """The caller the token speaks for; raises `jwt.PyJWTError` when the token is not to be trusted."""
        header = jwt.get_unverified_header(token)
        # Checked before any key is looked up: `none`, or HS256 with a public key as its secret, never gets further.
        if header.get("alg") not in self._algorithms:
            raise jwt.InvalidAlgorithmError(f"The algorithm {header.get('alg')!r} is not accepted.")
        claims = jwt.decode(
            token,
            self._key_for(header),
            algorithms=self._algorithms,
            issuer=self._issuer,
            audience=self._audience,
            leeway=self._leeway,
            options={"require": REQUIRED_CLAIMS, "verify_aud": self._audience is not None},
        )
        return Principal(subject=claims["sub"], scopes=granted_scopes(claims, self._roles_claim))


def verifier_from_config(config: Mapping[str, Any]) -> TokenVerifier | None:
    """The verifier of provider mode (`JWT_JWKS_URL`) or development mode (`JWT_SECRET`); None without either."""
    if config["JWT_JWKS_URL"]:
        # PyJWKClient caches the key set and refetches it for an unknown kid at most once per cooldown.
        client = jwt.PyJWKClient(
            config["JWT_JWKS_URL"],
            lifespan=JWKS_CACHE_SECONDS,
            timeout=JWKS_TIMEOUT_SECONDS,
            cooldown_duration=config["JWT_JWKS_COOLDOWN_SECONDS"],
        )
        return TokenVerifier(lambda header: client.get_signing_key(header.get("kid", "")), PROVIDER_ALGORITHMS, config)
    if config["JWT_SECRET"]:
        secret = config["JWT_SECRET"]
        return TokenVerifier(lambda header: secret, [DEVELOPMENT_ALGORITHM], config)
    return None


def development_token(config: Mapping[str, Any], subject: str, scopes: Iterable[str], expires_in: int) -> str:
    """A token signed with `JWT_SECRET`, carrying the configured issuer and audience, for local use and tests."""
    now = int(time.time())
    claims: dict[str, Any] = {"sub": subject, "scope": " ".join(scopes), "iat": now, "exp": now + expires_in}
    if config["JWT_ISSUER"]:
        claims["iss"] = config["JWT_ISSUER"]
    if config["JWT_AUDIENCE"]:
        claims["aud"] = config["JWT_AUDIENCE"]
    return jwt.encode(claims, config["JWT_SECRET"], algorithm=DEVELOPMENT_ALGORITHM)
