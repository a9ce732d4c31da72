"""`TokenVerifier`: PyJWT checks a bearer token against the configured keys, issuer, audience and clock."""

import base64
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import jwt

from src.plumbing.api.auth.claims import granted_scopes
from src.plumbing.api.auth.verified_tokens import VerifiedTokens
from src.plumbing.services.principal import Principal

# Providers sign with RSA or elliptic-curve keys; the shared secret of development mode is HMAC.
PROVIDER_ALGORITHMS = ("RS256", "ES256")
DEVELOPMENT_ALGORITHM = "HS256"
# The JWKS is fetched again after this long even when every kid is known, so revoked keys go away.
JWKS_CACHE_SECONDS = 300
JWKS_TIMEOUT_SECONDS = 5
REQUIRED_CLAIMS = ["exp", "sub"]


class TokenVerifier:
    """Verifies signature, algorithm, `exp`, `nbf`, `iat`, issuer and audience, then reads the subject and scopes."""

    def __init__(
        self, signing_key: Callable[[str], jwt.PyJWK], algorithms: Iterable[str], config: Mapping[str, Any]
    ) -> None:
        self._signing_key = signing_key
        self._algorithms = list(algorithms)
        self._issuer = config["JWT_ISSUER"] or None
        self._audience = config["JWT_AUDIENCE"] or None
        self._leeway = config["JWT_LEEWAY_SECONDS"]
        self._roles_claim = config["JWT_ROLES_CLAIM"]
        self._verified = VerifiedTokens()

    def principal(self, token: str) -> Principal:
        """The caller the token speaks for; raises `jwt.PyJWTError` when the token is not to be trusted."""
        remembered = self._verified.get(token)
        if remembered is not None:
            return remembered
        # PyJWT accepts only `algorithms`, and only the one its key is for: never `none`, never HS/RS confusion.
        claims = jwt.decode(
            token,
            self._signing_key(token),
            algorithms=self._algorithms,
            issuer=self._issuer,
            audience=self._audience,
            leeway=self._leeway,
            options={"require": REQUIRED_CLAIMS, "verify_aud": self._audience is not None},
        )
        if not claims["sub"].strip():
            raise jwt.exceptions.InvalidSubjectError("Subject (sub) must name someone, not be empty")
        principal = Principal(subject=claims["sub"], scopes=granted_scopes(claims, self._roles_claim))
        self._verified.remember(token, principal, expires_at=float(claims["exp"]))
        return principal


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
        return TokenVerifier(_provider_key(client), PROVIDER_ALGORITHMS, config)
    if config["JWT_SECRET"]:
        # A PyJWK is prepared once; a plain secret would be examined again on every request.
        k = base64.urlsafe_b64encode(config["JWT_SECRET"].encode()).rstrip(b"=").decode()
        key = jwt.PyJWK({"kty": "oct", "k": k}, algorithm=DEVELOPMENT_ALGORITHM)
        return TokenVerifier(lambda token: key, [DEVELOPMENT_ALGORITHM], config)
    return None


def _provider_key(client: jwt.PyJWKClient) -> Callable[[str], jwt.PyJWK]:
    def signing_key(token: str) -> jwt.PyJWK:
        header = jwt.get_unverified_header(token)
        # Checked before the key set is consulted, so that a made-up algorithm cannot cause a fetch.
        if header.get("alg") not in PROVIDER_ALGORITHMS:
            raise jwt.InvalidAlgorithmError(f"The algorithm {header.get('alg')!r} is not accepted.")
        return client.get_signing_key(header.get("kid", ""))

    return signing_key


def development_token(config: Mapping[str, Any], subject: str, scopes: Iterable[str], expires_in: int) -> str:
    """A token signed with `JWT_SECRET`, carrying the configured issuer and audience, for local use and tests."""
    now = int(time.time())
    claims: dict[str, Any] = {"sub": subject, "scope": " ".join(scopes), "iat": now, "exp": now + expires_in}
    if config["JWT_ISSUER"]:
        claims["iss"] = config["JWT_ISSUER"]
    if config["JWT_AUDIENCE"]:
        claims["aud"] = config["JWT_AUDIENCE"]
    return jwt.encode(claims, config["JWT_SECRET"], algorithm=DEVELOPMENT_ALGORITHM)
