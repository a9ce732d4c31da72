"""`VerifiedTokens`: tokens already verified, so that a client's next request with the same token skips the crypto."""

import threading
import time

from src.plumbing.services.principal import Principal

# Most clients send one token for many requests. A minute is shorter than PyJWKClient keeps a key set (five), so a
# key the provider withdraws stops working no later than it would without this cache.
REMEMBER_SECONDS = 60
MAX_TOKENS = 1024


class VerifiedTokens:
    """Remembers a verified token's principal until the token expires or `REMEMBER_SECONDS` pass, if sooner."""

    def __init__(self) -> None:
        self._principals: dict[str, tuple[Principal, float]] = {}
        self._lock = threading.Lock()

    def get(self, token: str) -> Principal | None:
        remembered = self._principals.get(token)
        if remembered is None or time.time() >= remembered[1]:
            return None
        return remembered[0]

    def remember(self, token: str, principal: Principal, expires_at: float) -> None:
        with self._lock:
            if len(self._principals) >= MAX_TOKENS:
                # The oldest first: dicts keep insertion order.
                del self._principals[next(iter(self._principals))]
            self._principals[token] = (principal, min(expires_at, time.time() + REMEMBER_SECONDS))
