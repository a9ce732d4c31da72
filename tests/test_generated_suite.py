"""The baked project's own test suite passes against PostgreSQL, in the environment `uv sync` makes.

Each option set runs in its own locked environment, not in this run's (which holds every option's
packages): a bake that imports a package its answers leave out of pyproject.toml fails here.
"""

import itertools
import os
import subprocess
import sys

import pytest
from conftest import postgres_server_url

SUITE_TIMEOUT_SECONDS = 900
SYNC_TIMEOUT_SECONDS = 300


# The answers that change the baked code and its tests.
CODE_ANSWERS = (
    "service_prefix",
    "use_prometheus",
    "use_opentelemetry",
    "use_sentry",
    "auth",
    "worker",
)
# Six bakes in which every two of those answers meet in all four of their combinations (a pairwise
# covering set; the first bake takes every default). Without the worker the Todo use cases record no
# events and they differ with auth, so worker=n meets auth=none twice.
OPTION_SETS = [
    {},
    {"service_prefix": "example", "use_opentelemetry": "y", "auth": "none"},
    {"service_prefix": "example", "use_prometheus": "n", "use_sentry": "y"},
    {"service_prefix": "example", "use_sentry": "y", "auth": "none", "worker": "n"},
    {"use_prometheus": "n", "use_opentelemetry": "y", "auth": "none", "worker": "n"},
    {"use_prometheus": "n", "use_opentelemetry": "y", "use_sentry": "y", "worker": "n"},
]


def test_the_option_sets_meet_every_pair_of_answers(template_variables):
    # A choice's values as cookiecutter.json lists them, the default first; the prefix is free text.
    values = {key: template_variables[key] for key in CODE_ANSWERS}
    values["service_prefix"] = [values["service_prefix"], "example"]
    bakes = [
        {key: options.get(key, values[key][0]) for key in CODE_ANSWERS} for options in OPTION_SETS
    ]
    missing = [
        (first, first_value, second, second_value)
        for first, second in itertools.combinations(CODE_ANSWERS, 2)
        for first_value in values[first]
        for second_value in values[second]
        if not any(bake[first] == first_value and bake[second] == second_value for bake in bakes)
    ]
    assert missing == []


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
