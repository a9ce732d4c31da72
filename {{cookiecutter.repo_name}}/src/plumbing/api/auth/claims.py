"""What a verified token grants: its scopes from `scope`, `scp` and the configured roles claim."""

from collections.abc import Mapping
from typing import Any

SCOPE_CLAIMS = ("scope", "scp")


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
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list):
        return [name for name in value if isinstance(name, str)]
    return []
