"""ETags of versioned entities: the conditional requests on them and the OpenAPI wording of their headers.

flask-smorest's `@blueprint.etag` hashes a JSON dump of whatever the view names and looks up the current
`Api` several times per request: about 14% of the instructions of GET one todo. A versioned entity
already has a cheap tag, its id and version, so the views check and set it with the functions here, and
`documents_etag` keeps flask-smorest's documentation of the operation (304, 412, 428 and the headers).
"""

from collections.abc import Callable
from hashlib import sha1
from typing import Any

from flask import request
from flask_smorest import Api, Blueprint
from flask_smorest.exceptions import NotModified
from werkzeug.exceptions import PreconditionFailed, PreconditionRequired

from src.api.documentation_only import documentation_only

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


READ_METHODS = frozenset({"GET", "HEAD"})


def version_tag(entity: Any) -> str:
    """The entity tag of one version of an entity: the same id and version always give the same tag."""
    return sha1(f"{entity.id}:{entity.version}".encode(), usedforsecurity=False).hexdigest()


def etag_headers(entity: Any) -> dict[str, str]:
    """The `ETag` header of an answer that carries `entity`; a read whose `If-None-Match` has it is answered 304."""
    tag = version_tag(entity)
    etag = {"ETag": f'"{tag}"'}
    current = request._get_current_object()  # one context lookup instead of one per attribute
    if current.method in READ_METHODS and current.if_none_match.contains_weak(tag):
        not_modified = NotModified()
        # flask-smorest's error handler sends `data["headers"]`; RFC 9110 asks a 304 to repeat the ETag.
        not_modified.data = {"headers": etag}
        raise not_modified
    return etag


def require_current_version(entity: Any) -> None:
    """428 without `If-Match`; 412 unless it holds the entity's current tag (strong comparison) or `*`."""
    if_match = request.if_match
    if not if_match:
        raise PreconditionRequired()
    if not if_match.contains(version_tag(entity)):
        raise PreconditionFailed()


def documents_etag(blueprint: Blueprint) -> Callable[[Callable], Callable]:
    """flask-smorest's documentation of a conditional operation, for a view that uses the functions above."""
    return documentation_only(blueprint.etag)


def describe_conditional_headers(api: Api) -> None:
    """Replace flask-smorest's generic wording; the components stay lazy, listed only where an operation uses them."""
    api.spec.components.parameter("IF_MATCH", "header", IF_MATCH, lazy=True)
    api.spec.components.parameter("IF_NONE_MATCH", "header", IF_NONE_MATCH, lazy=True)
    api.spec.components.header("ETAG", ETAG, lazy=True)
