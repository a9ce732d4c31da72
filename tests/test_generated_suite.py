"""The baked project's own test suite passes against PostgreSQL."""

import os
import subprocess
import sys

import pytest

SUITE_TIMEOUT_SECONDS = 900


def database_url():
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    reason = "TEST_DATABASE_URL is not set, e.g. postgresql://postgres@127.0.0.1:5432/postgres"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; CI must run the generated project's suite")
    pytest.skip(f"{reason}; the generated project's suite needs PostgreSQL")


@pytest.mark.parametrize("options", [{}, {"service_prefix": "example"}], ids=repr)
def test_generated_suite_passes(bakery, options):
    url = database_url()
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
