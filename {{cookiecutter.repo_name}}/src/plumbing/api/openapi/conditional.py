"""Conditional requests on versioned entities: the `ETag` is the entity's version.

A read answers with the tag, and 304 when `If-None-Match` holds it. A change must name the version it is based
on in `If-Match` (428 without it); the service refuses it with 412 unless that version is still current.
"""

import re
from typing import Any

from flask import Response, request
from werkzeug.exceptions import PreconditionFailed, PreconditionRequired
from werkzeug.http import quote_etag

READS = frozenset({"GET", "HEAD"})
CHANGES = frozenset({"PUT", "PATCH", "DELETE"})
# Versions are counters; a longer tag names none of them and is not worth converting.
VERSION_TAG = re.compile(r"[0-9]{1,12}")


def expected_version() -> frozenset[int] | None:
    """The versions `If-Match` accepts, or None for `*`; 428 when the header is missing."""
    if "If-Match" not in request.headers:
        raise PreconditionRequired()
    if_match = request.if_match
    if if_match.star_tag:
        return None
    # werkzeug reads an empty tag (`""`) as None.
    return frozenset(int(tag) for tag in if_match.as_set() if tag and VERSION_TAG.fullmatch(tag))


def with_etag(entity: Any) -> Any:
    """`entity` with its `ETag` header, or the 304 or 412 that a read's conditions call for."""
    tag = str(entity.version)
    headers = {"ETag": quote_etag(tag)}
    if request.method in READS:
        if_match = request.if_match
        if if_match and not if_match.contains(tag):
            raise PreconditionFailed()
        if request.if_none_match.contains_weak(tag):
            return Response(status=304, headers=headers)
    return entity, headers
