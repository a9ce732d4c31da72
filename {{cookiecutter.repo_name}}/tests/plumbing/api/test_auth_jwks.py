"""Bearer tokens in provider mode: RS256 and ES256 keys from a JWKS served on loopback, rotation, refresh limit."""

import base64
import hashlib
import hmac
import json
import time

from cryptography.hazmat.primitives import serialization
from flask.testing import FlaskClient

from tests.resources.app_test_base import AppTestBase
from tests.resources.jwks_server import JwksServer, new_ec_key, new_rsa_key
from tests.resources.tokens import bearer, signed

ISSUER, AUDIENCE = "https://login.example/realms/test", "todo-service"
COOLDOWN_SECONDS = 1.0
READ = "todo:read"


def hs256_signed_with(secret: bytes, header: dict, claims: dict) -> str:
    """The classic forgery, HMAC keyed with the provider's public key, which PyJWT refuses to produce."""

    def encoded(part: dict) -> bytes:
        return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=")

    signing_input = encoded(header) + b"." + encoded(claims)
    signature = base64.urlsafe_b64encode(hmac.new(secret, signing_input, hashlib.sha256).digest()).rstrip(b"=")
    return (signing_input + b"." + signature).decode()


class ProviderTestBase(AppTestBase):
    """Each test class verifies against its own JWKS path, so its key cache starts empty."""

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.rsa_key, cls.ec_key = new_rsa_key(), new_ec_key()
        cls.jwks = JwksServer().start()
        cls.jwks.add("rsa-1", cls.rsa_key)
        cls.jwks.add("ec-1", cls.ec_key)

    @classmethod
    def tearDownClass(cls) -> None:
        cls.jwks.stop()
        super().tearDownClass()

    @property
    def jwks_path(self) -> str:
        return f"/{type(self).__name__}/jwks"

    def app_environment(self) -> dict[str, str]:
        return {
            **super().app_environment(),
            "JWT_SECRET": "",
            "JWT_JWKS_URL": self.jwks.base_url + self.jwks_path,
            "JWT_ISSUER": ISSUER,
            "JWT_AUDIENCE": AUDIENCE,
            "JWT_JWKS_COOLDOWN_SECONDS": str(COOLDOWN_SECONDS),
        }

    def setUp(self) -> None:
        self.setup_database()
        self.anonymous = FlaskClient(self.app)

    def token(self, key, kid: str, algorithm: str = "RS256", **claims) -> str:
        claims = {"iss": ISSUER, "aud": AUDIENCE, "scope": READ, **claims}
        return signed(key=key, algorithm=algorithm, headers={"kid": kid}, **claims)

    def read(self, token: str):
        return self.anonymous.get("/v1/todo", headers=bearer(token))

    def assertInvalidToken(self, response) -> dict:
        body = self.assertError(response, 401)
        self.assertIn('error="invalid_token"', response.headers["WWW-Authenticate"])
        return body

    @property
    def fetches(self) -> int:
        return self.jwks.fetches.get(self.jwks_path, 0)


class ProviderTokenTest(ProviderTestBase):
    def test_rs256_and_es256_tokens_signed_by_the_provider_are_accepted(self):
        self.assert200(self.read(self.token(self.rsa_key, "rsa-1")))
        self.assert200(self.read(self.token(self.ec_key, "ec-1", algorithm="ES256")))

    def test_a_token_signed_by_another_key_is_refused(self):
        self.assertInvalidToken(self.read(self.token(new_rsa_key(), "rsa-1")))

    def test_a_key_is_used_only_with_its_own_algorithm(self):
        self.assertInvalidToken(self.read(self.token(self.ec_key, "rsa-1", algorithm="ES256")))

    def test_an_hs256_token_keyed_with_the_public_key_is_refused(self):
        public_pem = self.rsa_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        now = int(time.time())
        claims = {"sub": "mallory", "iss": ISSUER, "aud": AUDIENCE, "scope": READ, "iat": now, "exp": now + 60}
        forged = hs256_signed_with(public_pem, {"alg": "HS256", "typ": "JWT", "kid": "rsa-1"}, claims)

        body = self.assertInvalidToken(self.read(forged))
        self.assertIn("algorithm 'HS256'", body["message"])

    def test_alg_none_is_refused(self):
        unsigned = signed(key=None, algorithm="none", headers={"kid": "rsa-1"}, iss=ISSUER, aud=AUDIENCE, scope=READ)

        self.assertInvalidToken(self.read(unsigned))

    def test_the_issuer_and_audience_must_match(self):
        self.assertInvalidToken(self.read(self.token(self.rsa_key, "rsa-1", iss="https://evil.example")))
        self.assertInvalidToken(self.read(self.token(self.rsa_key, "rsa-1", aud="another-service")))

    def test_an_expired_token_is_refused(self):
        now = int(time.time())

        self.assertInvalidToken(self.read(self.token(self.rsa_key, "rsa-1", iat=now - 600, exp=now - 60)))

    def test_scopes_from_scp(self):
        self.assert200(self.read(self.token(self.rsa_key, "rsa-1", scope=None, scp=[READ])))
        self.assertStatus(self.read(self.token(self.rsa_key, "rsa-1", scope="todo:write")), 403)


class KeyRotationTest(ProviderTestBase):
    def test_a_new_kid_at_the_jwks_is_fetched_and_accepted(self):
        self.assert200(self.read(self.token(self.rsa_key, "rsa-1")))
        rotated = new_rsa_key()
        self.jwks.add("rsa-2", rotated)
        time.sleep(COOLDOWN_SECONDS)

        self.assert200(self.read(self.token(rotated, "rsa-2")))
        self.assertEqual(self.fetches, 2)


class RefreshLimitTest(ProviderTestBase):
    def test_a_flood_of_unknown_kids_fetches_the_jwks_at_most_once_per_cooldown(self):
        self.assert200(self.read(self.token(self.rsa_key, "rsa-1")))
        for number in range(20):
            self.assertInvalidToken(self.read(self.token(self.rsa_key, f"bogus-{number}")))
        self.assertEqual(self.fetches, 1, "an unknown kid inside the cooldown must not fetch")

        time.sleep(COOLDOWN_SECONDS)
        for number in range(20):
            self.assertInvalidToken(self.read(self.token(self.rsa_key, f"bogus-again-{number}")))
        self.assertEqual(self.fetches, 2, "after the cooldown, one fetch for the whole flood")


class UnreachableProviderTest(ProviderTestBase):
    def app_environment(self) -> dict[str, str]:
        # Port 9 (discard) is not served on loopback: the connection is refused at once.
        return {**super().app_environment(), "JWT_JWKS_URL": "http://127.0.0.1:9/jwks"}

    def test_unfetchable_keys_are_503_not_a_verdict_on_the_token(self):
        response = self.read(self.token(self.rsa_key, "rsa-1"))

        self.assertError(response, 503)
        self.assertIn("Retry-After", response.headers)
