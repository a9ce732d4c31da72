"""Page requests and pages of results, independent of any storage."""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PageRequest:
    page: int = 1
    per_page: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class Page:
    items: list[Any]
    total: int
    request: PageRequest
