"""Prometheus metrics of the requests the service answers, labelled by route template, never by raw path."""

import time

from flask import Flask, Response, g, request
from prometheus_client import Counter, Gauge, Histogram

# Any token is a valid HTTP method; unknown ones share one label so that callers cannot grow the series.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Requests that matched no route (404s, the prefix's own 404s never reach Flask) share one label too.
UNMATCHED_ROUTE = "unmatched"

REQUESTS = Counter(
    "http_requests_total", "Requests answered, by method, route template and status.", ["method", "route", "status"]
)
LATENCY = Histogram("http_request_duration_seconds", "Time to answer a request, by route template.", ["route"])
# livesum: the sum over the gunicorn workers that are alive now.
IN_FLIGHT = Gauge("http_requests_in_flight", "Requests being answered right now.", multiprocess_mode="livesum")


def register_request_metrics(app: Flask) -> None:
    """Count and time every request Flask answers, including maintenance 503s and error answers."""

    @app.before_request
    def start_request_metrics() -> None:
        g.metrics_started = time.perf_counter()
        IN_FLIGHT.inc()

    @app.after_request
    def record_request_metrics(response: Response) -> Response:
        route = request.url_rule.rule if request.url_rule else UNMATCHED_ROUTE
        method = request.method if request.method in KNOWN_METHODS else "other"
        REQUESTS.labels(method, route, str(response.status_code)).inc()
        LATENCY.labels(route).observe(time.perf_counter() - g.get("metrics_started", time.perf_counter()))
        return response

    @app.teardown_request
    def finish_request_metrics(_error: BaseException | None) -> None:
        # A request context pushed by hand (`test_request_context`) is torn down without running before_request.
        if g.pop("metrics_started", None) is not None:
            IN_FLIGHT.dec()
