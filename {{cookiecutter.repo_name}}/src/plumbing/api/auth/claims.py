"""What a verified token grants: its scopes from `scope`, `scp` and the configured roles claim."""

import re
from collections.abc import Mapping
from typing import Any

SCOPE_CLAIMS = ("scope", "scp")
# `str.split()` would also split at a no-break space or an ideographic one, which the RFC's syntax does not.
ASCII_WHITESPACE = re.compile(r"[ \t\n\r\f\v]+")
SCOPE_TOKEN = re.compile(r"[\x21\x23-\x5b\x5d-\x7e]+")


def granted_scopes(claims: Mapping[str, Any], roles_claim: str) -> frozenset[str]:
    """Scopes from `scope` or `scp` (space-separated or a list), plus the roles at the dotted `roles_claim` path.

    Providers differ: OAuth 2.0 servers send `scope`, Entra ID and Okta `scp`, Keycloak puts roles in
    `realm_access.roles`. A role counts as a scope of the same name.
    """
    scopes = {scope for claim in SCOPE_CLAIMS for scope in _names(claims.get(claim))}
    if roles_claim:
        scopes.update(_names(_at_path(claims, roles_claim)))
    return frozenset(scopes)


def _at_path(claims: Mapping[str, Any], path: str) -> Any:
    value: Any = claims
    for key in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _names(value: Any) -> list[str]:
    """Scope tokens only (RFC 6749, section 3.3): a no-break space or any other character outside them joins nothing."""
    if isinstance(value, str):
        value = ASCII_WHITESPACE.split(value)
    if not isinstance(value, list):
        return []
    return [name for name in value if isinstance(name, str) and SCOPE_TOKEN.fullmatch(name)]
