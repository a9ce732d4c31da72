"""Deep pages: list latency on a large table, first page against the middle and the last."""

import statistics
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from databases import median_query_ms, seed_todos, throwaway_database
from project import AUTHORIZATION, service_environment, upgrade_database
from servers import gunicorn

PER_PAGE = 20
REQUESTS_PER_PAGE = 7


@dataclass(frozen=True)
class DeepPages:
    rows: int
    seed_seconds: float
    page_ms: dict[str, float]
    sql_ms: dict[str, float]

    def to_first_page(self, page: str) -> float:
        return self.page_ms[page] / self.page_ms["first"]


def median_request_ms(url: str) -> float:
    timings = []
    for attempt in range(REQUESTS_PER_PAGE + 1):
        started = time.perf_counter()
        request = urllib.request.Request(url, headers={"Authorization": AUTHORIZATION})
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
        if attempt:  # the first request only warms caches
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def measure_deep_pages(project: Path, rows: int, workers: int, log_directory: Path, python: str) -> DeepPages:
    pages = {"first": 1, "middle": rows // PER_PAGE // 2, "last": -(-rows // PER_PAGE)}
    with throwaway_database("deep") as url:
        upgrade_database(project, url, python)
        started = time.perf_counter()
        seed_todos(url, rows)
        seed_seconds = time.perf_counter() - started
        environment = service_environment(url, "WARNING")
        deep_app = gunicorn("generated-deep", "wsgi:app", project, environment, workers, log_directory, python)
        with deep_app as server:
            page_ms = {
                name: median_request_ms(f"{server.base_url}/v1/todo?page={page}&per_page={PER_PAGE}")
                for name, page in pages.items()
            }
        middle_offset = (pages["middle"] - 1) * PER_PAGE
        page_sql = f"SELECT * FROM todo ORDER BY id OFFSET {{}} LIMIT {PER_PAGE}"
        sql_ms = {
            "count(*)": median_query_ms(url, "SELECT count(*) FROM todo"),
            "first page, OFFSET 0": median_query_ms(url, page_sql.format(0)),
            f"middle page, OFFSET {middle_offset}": median_query_ms(url, page_sql.format(middle_offset)),
            f"middle page, keyset id > {middle_offset}": median_query_ms(
                url, f"SELECT * FROM todo WHERE id > {middle_offset} ORDER BY id LIMIT {PER_PAGE}"
            ),
        }
    return DeepPages(rows=rows, seed_seconds=seed_seconds, page_ms=page_ms, sql_ms=sql_ms)
