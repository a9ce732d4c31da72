"""Traces: one request gives a server span with a child span per SQL statement, and its log lines name the trace."""

import json
import logging
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

from opentelemetry import trace
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from src.config import SERVICE_NAME
from src.plumbing.tracing import service_tracer_provider
from tests.plumbing.api.log_capture import captured_log_lines
from tests.resources.app_test_base import AppTestBase

PROJECT_ROOT = Path(__file__).resolve().parents[3]


@cache
def finished_spans() -> InMemorySpanExporter:
    """The process's tracer provider, set once before the app is built, as gunicorn's post_fork would."""
    exporter = InMemorySpanExporter()
    provider = service_tracer_provider(SERVICE_NAME)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    return exporter


class TracingTest(AppTestBase):
    environment = {"OTEL_TRACES_EXPORTER": "console", "LOG_LEVEL": "INFO"}

    def create_app(self):
        self.spans = finished_spans()
        return super().create_app()

    def setUp(self) -> None:
        self.setup_database()
        self.addCleanup(logging.getLogger().setLevel, logging.WARNING)
        self.spans.clear()

    def test_a_request_is_a_server_span_with_a_child_span_per_sql_statement(self):
        with captured_log_lines("json") as logged:
            self.client.get("/v1/todo/1", headers={"X-Request-ID": "traced-1"})

        [server] = [span for span in self.spans.get_finished_spans() if span.kind == SpanKind.SERVER]
        statements = [span for span in self.spans.get_finished_spans() if span.kind == SpanKind.CLIENT]
        self.assertEqual(server.name, "GET /v1/todo/<int(max=2147483647):todo_id>")
        self.assertGreaterEqual(len(statements), 1)
        for statement in statements:
            self.assertEqual(statement.parent.span_id, server.context.span_id)
            self.assertEqual(statement.context.trace_id, server.context.trace_id)
        [access] = [json.loads(line) for line in logged.getvalue().splitlines() if '"src.access"' in line]
        self.assertEqual(access["request_id"], "traced-1")
        self.assertEqual(access["trace_id"], trace.format_trace_id(server.context.trace_id))

    def test_health_probes_and_their_sql_are_not_traced(self):
        self.client.get("/health/live")
        self.client.get("/health/ready")
{%- if cookiecutter.use_prometheus == "y" %}
        self.client.get("/metrics")
{%- endif %}

        self.assertEqual(self.spans.get_finished_spans(), ())


class UntracedTest(AppTestBase):
    def test_without_an_exporter_nothing_of_opentelemetry_is_imported(self):
        script = (
            "import sys\n"
            "from src.create_app import create_app\n"
            "create_app(environ=dict(APP_ENV='testing', SECRET_KEY='x', SQLALCHEMY_DATABASE_URI='sqlite://'))\n"
            "print(sorted({name for name in sys.modules if name.startswith('opentelemetry')}))\n"
        )
        environment = {key: value for key, value in os.environ.items() if not key.startswith(("OTEL_", "PROMETHEUS_"))}
        completed = subprocess.run(
            [sys.executable, "-c", script], cwd=PROJECT_ROOT, env=environment, capture_output=True, text=True
        )

        self.assertEqual(completed.returncode, 0, completed.stderr)
        self.assertEqual(completed.stdout.strip(), "[]")
