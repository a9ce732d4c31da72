"""ETags of versioned entities and the OpenAPI wording of the conditional headers that carry them."""

from typing import Any

from flask_smorest import Api

# RFC 9110 If-Match: `*` or a comma-separated list of (possibly weak) quoted entity tags.
IF_MATCH_SYNTAX = '^(\\*|(W/)?"[!#-~]*"(, ?(W/)?"[!#-~]*")*)$'
IF_MATCH = {
    "name": "If-Match",
    "required": True,
    "description": "The `ETag` of the version this change is based on, as the last GET, POST or PATCH answered; "
    "`*` accepts whatever version is current. Missing: 428. No longer current: 412.",
    "schema": {"type": "string", "pattern": IF_MATCH_SYNTAX},
}
IF_NONE_MATCH = {
    "name": "If-None-Match",
    "required": False,
    "description": "An `ETag` the client already holds: if it is still current, the answer is 304 without a body.",
    "schema": {"type": "string"},
}
ETAG = {
    "description": "The version tag of the object; send it as `If-Match` to change or delete it.",
    "schema": {"type": "string"},
}


def version_tag_data(entity: Any) -> dict[str, Any]:
    """What flask-smorest hashes into the ETag: the same id and version always give the same tag."""
    return {"id": entity.id, "version": entity.version}


def describe_conditional_headers(api: Api) -> None:
    """Replace flask-smorest's generic wording; the components stay lazy, listed only where an operation uses them."""
    api.spec.components.parameter("IF_MATCH", "header", IF_MATCH, lazy=True)
    api.spec.components.parameter("IF_NONE_MATCH", "header", IF_NONE_MATCH, lazy=True)
    api.spec.components.header("ETAG", ETAG, lazy=True)
