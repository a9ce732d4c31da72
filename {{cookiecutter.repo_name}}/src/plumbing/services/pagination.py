"""Pages of results, independent of any storage."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

DEFAULT_PER_PAGE = 20

T = TypeVar("T")


@dataclass(frozen=True)
class PageRequest:
    """Which page of the matches to return, counting from 1."""

    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int

    @classmethod
    def of(cls, items: list[T], request: PageRequest, count: Callable[[], int]) -> "Page[T]":
        """The page of `items` asked for by `request`; `count` is called only when the items cannot tell the total.

        A short page that is not empty is the last one, so its total is known without counting.
        """
        total = request.offset + len(items) if 0 < len(items) < request.per_page else count()
        return cls(items=items, total=total, page=request.page, per_page=request.per_page)


def page_asked_for(query_params: Mapping[str, Any] | None) -> PageRequest | None:
    """The page that a dictionary of query parameters (`page`, `per_page`, `itemized`) asks for, if any."""
    if not query_params or query_params.get("itemized"):
        return None
    page, per_page = query_params.get("page"), query_params.get("per_page")
    if page is None and per_page is None:
        return None
    return PageRequest(page or 1, per_page or DEFAULT_PER_PAGE)
