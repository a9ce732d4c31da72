"""`GET /metrics` in Prometheus' text format, served ahead of the prefix, the maintenance gate and the routes."""

import json
import logging
import os
import struct
from collections.abc import Callable, Iterable
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from flask import Flask
from prometheus_client import REGISTRY, CollectorRegistry, Gauge, make_wsgi_app, multiprocess

from src.plumbing.api.middleware.maintenance_gate import maintenance_gate
from src.plumbing.api.middleware.wsgi_layers import wrap_wsgi_app
from src.plumbing.api.openapi.errors import error_body

METRICS_PATH = "/metrics"
# What prometheus_client raises when a worker's file is unreadable: one being created, or left empty by a worker
# killed while creating it (prometheus/client_python#1199), fails the whole scrape.
UNREADABLE_METRICS = (struct.error, RuntimeError, ValueError, OSError)
logger = logging.getLogger(__name__)
# livemostrecent: the value that the worker answering the scrape has just read.
MAINTENANCE = Gauge("maintenance_mode", "1 while maintenance mode is on.", multiprocess_mode="livemostrecent")
BUILD_INFO = Gauge("build_info", "Always 1; the labels name the running version.", ["version"], multiprocess_mode="max")


def scrape_registry() -> CollectorRegistry:
    """Under gunicorn every worker writes its metrics to files in PROMETHEUS_MULTIPROC_DIR; a scrape sums them."""
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        return REGISTRY
    registry = CollectorRegistry()
    # prometheus_client leaves this constructor unannotated.
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return registry


class MetricsEndpoint:
    """WSGI layer answering `METRICS_PATH` at the root of the server, whatever SERVICE_PREFIX is."""

    def __init__(self, wsgi_app: WSGIApplication, before_scrape: Callable[[], None]) -> None:
        self.wsgi_app = wsgi_app
        self.before_scrape = before_scrape
        self.metrics_app = make_wsgi_app(scrape_registry())

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != METRICS_PATH:
            return self.wsgi_app(environ, start_response)
        method = environ.get("REQUEST_METHOD")
        if method not in ("GET", "HEAD"):
            body = json.dumps(error_body(405, "The metrics endpoint answers GET and HEAD only.")).encode()
            start_response("405 Method Not Allowed", [("Content-Type", "application/json"), ("Allow", "GET, HEAD")])
            return [body]
        self.before_scrape()
        # HEAD gets the headers a GET would, and no body (RFC 9110, section 9.3.2).
        try:
            scraped = self.metrics_app({**environ, "REQUEST_METHOD": "GET"}, start_response)
        except UNREADABLE_METRICS:
            logger.exception("The metrics files in PROMETHEUS_MULTIPROC_DIR could not be read.")
            unreadable = error_body(503, "The metrics could not be read; the next scrape tries again.")
            start_response("503 Service Unavailable", [("Content-Type", "application/json"), ("Retry-After", "1")])
            scraped = [json.dumps(unreadable).encode()]
        return [] if method == "HEAD" else scraped


def serve_metrics(app: Flask) -> None:
    BUILD_INFO.labels(app.config["API_VERSION"]).set(1)

    def read_maintenance_flag() -> None:
        with app.app_context():
            MAINTENANCE.set(maintenance_gate().current_state().maintenance)

    wrap_wsgi_app(app, lambda wsgi_app: MetricsEndpoint(wsgi_app, read_maintenance_flag))
