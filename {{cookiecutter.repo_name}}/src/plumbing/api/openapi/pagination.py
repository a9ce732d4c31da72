"""The `X-Pagination` header of a page, in flask-smorest's format."""

import json

from src.plumbing.services.pagination import Page

PAGINATION_HEADER = "X-Pagination"


def pagination_headers(page: Page[object]) -> dict[str, str]:
    return {PAGINATION_HEADER: json.dumps(page_metadata(page.page, page.per_page, page.total))}


def page_metadata(page: int, per_page: int, total: int) -> dict[str, int]:
    """The numbers flask-smorest's `@paginate` sends; `page` and its neighbours only while it exists."""
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
