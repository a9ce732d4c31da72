"""The baked project passes its own linters: ruff, ruff format, import-linter and mypy (strict)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

OPTION_SETS = [
    {},
    {"service_prefix": "example", "python_version": "3.11"},
    {"open_source_license": "Not open source", "use_docker": "n", "use_github_actions": "n"},
    {"use_prometheus": "n"},
    {"use_opentelemetry": "y"},
    {"use_prometheus": "n", "use_opentelemetry": "y"},
    {"auth": "none"},
    {"use_sentry": "y"},
    {"use_sentry": "y", "auth": "none"},
    # Without the worker the Todo use cases record no events, and they differ with auth: both.
    {"worker": "n"},
    {"worker": "n", "auth": "none"},
]
# Every optional module at once, beside the sets above that each leave one out.
TYPED_OPTION_SETS = [
    *OPTION_SETS,
    {
        "auth": "none",
        "use_prometheus": "n",
        "use_opentelemetry": "y",
        "use_sentry": "y",
        "service_prefix": "orders",
    },
]


def lint_imports_command():
    found = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    found = found or shutil.which("lint-imports")
    if found is None:
        pytest.fail("lint-imports is not installed; pip install -r requirements-dev.txt")
    return [found]


def run(command, project):
    completed = subprocess.run(
        command, cwd=project, capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    assert completed.returncode == 0, f"{' '.join(command)}\n{completed.stdout}{completed.stderr}"


@pytest.mark.parametrize("options", OPTION_SETS, ids=repr)
def test_ruff_check_passes(bakery, options):
    run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], bakery.bake(**options))


@pytest.mark.parametrize("options", OPTION_SETS, ids=repr)
def test_ruff_format_has_nothing_to_change(bakery, options):
    run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "."],
        bakery.bake(**options),
    )


@pytest.mark.parametrize("options", [{}, {"auth": "none"}, {"use_sentry": "y"}], ids=repr)
def test_import_layers_hold(bakery, options):
    run(lint_imports_command(), bakery.bake(**options))


@pytest.mark.parametrize("options", TYPED_OPTION_SETS, ids=repr)
def test_mypy_strict_passes(bakery, options):
    project = bakery.bake(**options)
    # The baked pyproject.toml's settings: strict, on src/, with the exceptions it lists.
    run([sys.executable, "-m", "mypy"], project)
