"""The `X-Pagination` response header, in flask-smorest's documented format."""

import json

from flask_smorest import Blueprint

from src.services.pagination import Page

PAGINATION_HEADER_NAME = "X-Pagination"
PAGINATION_HEADER_DOC = {PAGINATION_HEADER_NAME: "PAGINATION"}


def pagination_headers(page: Page) -> dict[str, str]:
    metadata = Blueprint._make_pagination_metadata(page.request.page, page.request.per_page, page.total)
    return {PAGINATION_HEADER_NAME: json.dumps(metadata)}
