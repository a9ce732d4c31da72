"""Pages of results, independent of any storage."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_PER_PAGE = 20


@dataclass(frozen=True)
class Page:
    items: list[Any]
    total: int
    page: int
    per_page: int


def page_asked_for(query_params: Mapping[str, Any] | None) -> tuple[int, int] | None:
    """`(page, per_page)` when the parameters ask for one page; None when they ask for every match."""
    if not query_params or query_params.get("itemized"):
        return None
    page, per_page = query_params.get("page"), query_params.get("per_page")
    if page is None and per_page is None:
        return None
    return page or 1, per_page or DEFAULT_PER_PAGE
