"""The baked project's own test suite passes against PostgreSQL, in the environment `uv sync` makes.

Each option set runs in its own locked environment, not in this run's (which holds every option's
packages): a bake that imports a package its answers leave out of pyproject.toml fails here.
"""

import os
import subprocess
import sys

import pytest
from conftest import postgres_server_url

SUITE_TIMEOUT_SECONDS = 900
SYNC_TIMEOUT_SECONDS = 300


OPTION_SETS = [
    {},
    {"service_prefix": "example", "use_opentelemetry": "y"},
    {"use_prometheus": "n", "use_opentelemetry": "y"},
    {"use_prometheus": "n"},
    {"auth": "none"},
    {"use_sentry": "y"},
    {"use_sentry": "y", "auth": "none", "use_opentelemetry": "y"},
    # Without the worker the Todo use cases record no events, and they differ with auth: both.
    {"worker": "n"},
    {"worker": "n", "auth": "none"},
]


@pytest.mark.parametrize("options", OPTION_SETS, ids=repr)
def test_generated_suite_passes(bakery, options):
    url = postgres_server_url("run the generated project's suite")
    project = bakery.bake(**options)
    synced = subprocess.run(
        [sys.executable, "-m", "uv", "sync", "--locked", "--python", sys.executable],
        cwd=project,
        env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=SYNC_TIMEOUT_SECONDS,
    )
    assert synced.returncode == 0, synced.stderr[-4000:]
    completed = subprocess.run(
        [str(project / ".venv" / "bin" / "python"), "-m", "pytest", "-q"],
        cwd=project,
        env={**os.environ, "TEST_DATABASE_URL": url},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=SUITE_TIMEOUT_SECONDS,
    )
    assert completed.returncode == 0, completed.stdout[-8000:] + completed.stderr[-4000:]
