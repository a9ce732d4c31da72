"""OpenTelemetry traces: a server span per request and a child span per SQL statement, once an exporter is set.

`create_app` imports this module only when `tracing_requested` says so; otherwise nothing of OpenTelemetry loads.
"""

import logging
import os
from collections.abc import Sequence
from functools import cache
from typing import Any

from flask import Flask
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.flask import FlaskInstrumentor
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, ALWAYS_ON, ParentBased, Sampler, SamplingResult
from opentelemetry.trace import Link, SpanKind, TraceState
from opentelemetry.util.types import Attributes
from sqlalchemy import Engine

# Probes and scrapes would drown the traces people look at. `/metrics` never reaches Flask at all.
UNTRACED_URLS = r"/health/(live|ready)(\?|$)"


@cache
def stamp_trace_ids_on_log_records() -> None:
    """Each log record made inside a span gets `trace_id` and `span_id`, which JSON log lines then carry.

    A record factory rather than a handler filter, so that it outlives any later logging reconfiguration.
    """
    make_record = logging.getLogRecordFactory()

    def record_with_trace_ids(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        context = trace.get_current_span().get_span_context()
        if context.is_valid:
            record.trace_id = trace.format_trace_id(context.trace_id)
            record.span_id = trace.format_span_id(context.span_id)
        return record

    logging.setLogRecordFactory(record_with_trace_ids)


class RequestsOnly(Sampler):
    """Starts a trace only at a request's server span, so that SQL outside one (probes, start-up) adds no orphans."""

    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Attributes = None,
        links: Sequence[Link] | None = None,
        trace_state: TraceState | None = None,
    ) -> SamplingResult:
        sampler = ALWAYS_ON if kind == SpanKind.SERVER else ALWAYS_OFF
        return sampler.should_sample(parent_context, trace_id, name, kind, attributes, links, trace_state)

    def get_description(self) -> str:
        return "RequestsOnly"


def span_exporter() -> SpanExporter:
    """`OTEL_TRACES_EXPORTER=console` prints spans; otherwise OTLP over HTTP, as `OTEL_EXPORTER_OTLP_*` say."""
    if os.environ.get("OTEL_TRACES_EXPORTER", "").strip().lower() == "console":
        return ConsoleSpanExporter()
    return OTLPSpanExporter()


def start_tracing(service_name: str) -> None:
    """Start the SDK once per process: gunicorn's `post_fork` does it in each worker, `create_app` everywhere else.

    Started after the fork, each worker exports its own spans from an export thread of its own. `service_name`
    names the spans unless `OTEL_SERVICE_NAME` does.
    """
    if isinstance(trace.get_tracer_provider(), TracerProvider):
        return
    provider = service_tracer_provider(service_name)
    provider.add_span_processor(BatchSpanProcessor(span_exporter()))
    trace.set_tracer_provider(provider)


def service_tracer_provider(service_name: str) -> TracerProvider:
    """The service's name on every span, and traces that start only at requests; no exporter yet."""
    resource = Resource.create({SERVICE_NAME: os.environ.get("OTEL_SERVICE_NAME", service_name)})
    return TracerProvider(resource=resource, sampler=ParentBased(root=RequestsOnly()))


def trace_requests(app: Flask, engine: Engine) -> None:
    start_tracing(app.config["API_TITLE"])
    # opentelemetry-instrumentation-flask leaves `instrument_app` unannotated.
    FlaskInstrumentor().instrument_app(app, excluded_urls=UNTRACED_URLS)  # type: ignore[no-untyped-call]
    # Release 0.66b1 declares SQLAlchemy < 2.1 and would refuse 2.1, whose cursor events it uses unchanged
    # (tests/api/test_tracing.py proves the spans). Drop `skip_dep_check` once a release covers 2.1.
    SQLAlchemyInstrumentor().instrument(engine=engine, skip_dep_check=True)
    stamp_trace_ids_on_log_records()
