"""The baked project's own test suite passes against PostgreSQL."""

import os
import subprocess
import sys

import pytest
from conftest import postgres_server_url

SUITE_TIMEOUT_SECONDS = 900


OPTION_SETS = [
    {},
    {"service_prefix": "example", "use_opentelemetry": "y"},
    {"use_prometheus": "n", "use_opentelemetry": "y"},
    {"use_prometheus": "n"},
    {"auth": "none"},
]


@pytest.mark.parametrize("options", OPTION_SETS, ids=repr)
def test_generated_suite_passes(bakery, options):
    url = postgres_server_url("run the generated project's suite")
    project = bakery.bake(**options)
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q"],
        cwd=project,
        env={**os.environ, "TEST_DATABASE_URL": url},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=SUITE_TIMEOUT_SECONDS,
    )
    assert completed.returncode == 0, completed.stdout[-8000:] + completed.stderr[-4000:]
