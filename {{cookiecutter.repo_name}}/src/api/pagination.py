"""The `X-Pagination` response header, in flask-smorest's format, and its OpenAPI description."""

import json

from src.services.pagination import Page

PAGINATION_HEADER_NAME = "X-Pagination"
PAGE_NUMBERS = ("total", "total_pages", "first_page", "last_page", "page", "previous_page", "next_page")
# The header carries a JSON object, so it is described with `content` rather than a plain `schema`.
PAGINATION_HEADER_DOC = {
    PAGINATION_HEADER_NAME: {
        "description": "Pagination metadata as a JSON object; `page` and its neighbours are left out past the "
        "last page. Absent when `itemized=true`.",
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {name: {"type": "integer", "minimum": 0} for name in PAGE_NUMBERS},
                    "required": ["total", "total_pages"],
                    "additionalProperties": False,
                },
                "example": {"total": 45, "total_pages": 3, "first_page": 1, "last_page": 3, "page": 2},
            }
        },
    }
}


def pagination_headers(page: Page) -> dict[str, str]:
    return {PAGINATION_HEADER_NAME: json.dumps(page_metadata(page.request.page, page.request.per_page, page.total))}


def page_metadata(page: int, per_page: int, total: int) -> dict[str, int]:
    """flask-smorest's metadata, built as a plain dict: its own helper dumps a schema per request."""
    metadata = {"total": total, "total_pages": -(-total // per_page)}
    if total:
        last_page = metadata["total_pages"]
        metadata.update(first_page=1, last_page=last_page)
        if page <= last_page:
            metadata["page"] = page
            if page > 1:
                metadata["previous_page"] = page - 1
            if page < last_page:
                metadata["next_page"] = page + 1
    return metadata
