"""The memory of verified tokens: served until the token expires or a minute passes, and bounded in size."""

import time
import unittest
from unittest import mock

from src.plumbing.api.auth import verified_tokens
from src.plumbing.api.auth.verified_tokens import VerifiedTokens
from src.plumbing.services.principal import Principal

ALICE = Principal("alice", frozenset({"todo:read"}))


class VerifiedTokensTest(unittest.TestCase):
    def test_a_token_is_served_until_it_expires(self):
        tokens = VerifiedTokens()

        tokens.remember("valid", ALICE, expires_at=time.time() + 30)
        tokens.remember("expired", ALICE, expires_at=time.time() - 1)

        self.assertIs(tokens.get("valid"), ALICE)
        self.assertIsNone(tokens.get("expired"))
        self.assertIsNone(tokens.get("never seen"))

    def test_a_long_lived_token_is_verified_again_after_a_minute(self):
        tokens = VerifiedTokens()
        tokens.remember("long-lived", ALICE, expires_at=time.time() + 86400)
        later = time.time() + verified_tokens.REMEMBER_SECONDS

        with mock.patch.object(verified_tokens.time, "time", return_value=later):
            self.assertIsNone(tokens.get("long-lived"))

    def test_the_oldest_token_makes_room(self):
        tokens = VerifiedTokens()
        for number in range(verified_tokens.MAX_TOKENS + 1):
            tokens.remember(f"token-{number}", ALICE, expires_at=time.time() + 30)

        self.assertIsNone(tokens.get("token-0"))
        self.assertIs(tokens.get("token-1"), ALICE)
        self.assertIs(tokens.get(f"token-{verified_tokens.MAX_TOKENS}"), ALICE)
