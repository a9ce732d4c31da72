"""`flask scaffold`, run on a fresh bake as the README shows: the project passes everything.

The README's commands scaffold two resources, one referring to the other. The test then migrates
and checks the migrations on SQLite and PostgreSQL, runs the linters and the project's suite, and
serves the result under gunicorn to run the README's curl examples against it.

In a bake with the worker, the command of docs/jobs-and-events.md scaffolds a resource with
`--events`: its writes leave their events in the outbox table. A bake without it refuses `--events`.
"""

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import free_port, postgres_server_url, text_files, wait_for_json
from test_generated_quality import lint_imports_command
from test_gunicorn import start_gunicorn, stop
from test_migrations import database_for
from test_resource_guide import SUITE_TIMEOUT_SECONDS, run

FENCE = re.compile(r"^```bash\n(.*?)^```$", re.M | re.S)
# The guide that scaffolds a resource with `--events`, in a bake with the worker.
EVENTS_GUIDE = "docs/jobs-and-events.md"
# Run in the bake on a migrated database: each write of the events guide's resource, one refused.
WRITES_AND_THEIR_EVENTS = """
import json

from sqlalchemy import text

from src.app import app
from src.plumbing.domain import VersionMismatchError
from src.plumbing.infrastructure import sqlalchemy_db

with app.app_context():
    service = app.container.line_item_service()
    item = service.create({"title": "Pen", "qty": 2})
    service.update(item.id, {"qty": 3}, expected_version=item.version)
    try:
        service.update(item.id, {"qty": 4}, expected_version=item.version)
    except VersionMismatchError:
        pass
    service.delete(item.id)
    rows = sqlalchemy_db.session.execute(text("SELECT name, payload FROM outbox ORDER BY id"))
    print(json.dumps([[name, payload] for name, payload in rows]))
"""


def readme_blocks(project, containing, document="README.md"):
    """The bash blocks of the README (or of another `document`) that contain `containing`."""
    readme = (project / document).read_text(encoding="utf-8")
    return [block for block in FENCE.findall(readme) if containing in block]


def flask_commands(project, command, document="README.md"):
    """The README's `[uv run] flask COMMAND ...` lines, from the one block that has them, as
    `flask ...` argument lists (the tests run them with their own Python)."""
    (block,) = readme_blocks(project, f"flask {command} ", document)
    lines = [line.removeprefix("uv run ") for line in block.splitlines()]
    return [shlex.split(line) for line in lines if line.startswith(f"flask {command} ")]


def scaffold_commands(project):
    commands = flask_commands(project, "scaffold")
    assert commands, "the README's block of flask scaffold commands"
    return commands


def run_scaffold_commands(project):
    """The README's `flask scaffold` commands, run in `project`; returns it."""
    for command in scaffold_commands(project):
        run([sys.executable, "-m", *command], project)
    return project


def scaffolded(bakery):
    return run_scaffold_commands(bakery.bake())


def session_bake_scaffolded(cookies_session, template_dir):
    """A bake of the module's own, with the README's resources scaffolded."""
    result = cookies_session.bake(template=str(template_dir))
    assert result.exception is None, result.exception
    return run_scaffold_commands(Path(result.project_path))


@pytest.fixture(scope="module")
def project(cookies_session, template_dir):
    return session_bake_scaffolded(cookies_session, template_dir)


def test_the_readme_scaffolds_two_resources_one_referring_to_the_other(project):
    assert [command[2] for command in scaffold_commands(project)] == ["project", "task"]
    task_model = (project / "src/infrastructure/models/task_model.py").read_text(encoding="utf-8")
    assert 'ForeignKey("project.id")' in task_model
    for name in ("project", "task"):
        assert len(list((project / "migrations/versions").glob(f"*_create_{name}.py"))) == 1


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_migrations_upgrade_and_match_the_models(project, backend):
    with database_for(backend, project) as database:
        run([sys.executable, "-m", "flask", "db", "upgrade"], project, database.environ)
        checked = run([sys.executable, "-m", "flask", "db", "check"], project, database.environ)
    assert "No new upgrade operations detected." in checked


def assert_the_linters_pass(project):
    run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], project)
    run([sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "."], project)
    run(lint_imports_command(), project)
    # What `flask scaffold` writes is typed: the baked mypy settings (strict) pass on it too.
    run([sys.executable, "-m", "mypy"], project)


def passing_suite(project, purpose):
    """The output of the project's whole suite on PostgreSQL, which must pass."""
    suite = run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rfE"],
        project,
        {**os.environ, "TEST_DATABASE_URL": postgres_server_url(purpose)},
        timeout=SUITE_TIMEOUT_SECONDS,
    )
    assert re.search(r"\d+ passed", suite), suite[-2000:]
    assert "failed" not in suite.splitlines()[-1], suite[-2000:]
    return suite


def test_the_linters_pass_without_an_edit(project):
    assert_the_linters_pass(project)


def test_the_projects_suite_passes_with_the_new_resources(project):
    passing_suite(project, "run the scaffolded project's suite")
    for name in ("project", "task"):
        for test_file in (
            f"test_{name}.py",
            f"test_{name}_service.py",
            f"test_{name}_repository.py",
            f"test_{name}_api.py",
        ):
            assert list((project / "tests").rglob(test_file)), test_file


def test_the_readme_curl_examples_run_under_gunicorn(project):
    with database_for("postgresql", project) as database:
        run([sys.executable, "-m", "flask", "db", "upgrade"], project, database.environ)
        port = free_port()
        server = start_gunicorn(
            project, "-b", f"127.0.0.1:{port}", "--workers=1", SQLALCHEMY_DATABASE_URI=database.url
        )
        try:
            wait_for_json(f"http://127.0.0.1:{port}/health/ready", server)
            (block,) = readme_blocks(project, "/v1/task")
            block = block.replace("localhost:7000", f"127.0.0.1:{port}")
            # Where the README's reader runs it: in the project, its Python's `flask` first on PATH.
            path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
            answers = subprocess.run(
                ["bash", "-euo", "pipefail", "-c", block],
                cwd=project,
                env={**os.environ, "PATH": path},
                capture_output=True,
                text=True,
                timeout=60,
            )
        finally:
            stop(server)
    assert answers.returncode == 0, answers.stderr
    created_project, created_task, listed, deleted = answers.stdout.splitlines()
    assert json.loads(created_project)["name"] == "Website relaunch"
    assert json.loads(created_task)["estimate"] == "2.50"
    assert [task["title"] for task in json.loads(listed)] == ["Plan"]
    assert deleted == "409"


def test_the_same_commands_on_two_fresh_bakes_write_identical_files(bakery):
    first, second = scaffolded(bakery), scaffolded(bakery)

    def generated(project):
        files = text_files(project)
        return {path: text for path, text in files.items() if path != ".env"}

    assert generated(first) == generated(second)


@pytest.fixture(scope="module")
def events_project(cookies_session, template_dir):
    """A bake with the worker, with the resource that the events guide scaffolds (`--events`)."""
    result = cookies_session.bake(template=str(template_dir), extra_context={"worker": "y"})
    assert result.exception is None, result.exception
    project = Path(result.project_path)
    for command in flask_commands(project, "scaffold", EVENTS_GUIDE):
        run([sys.executable, "-m", *command], project)
    return project


def test_events_writes_the_three_events_and_the_linters_pass(events_project):
    commands = flask_commands(events_project, "scaffold", EVENTS_GUIDE)
    assert [command[2:4] for command in commands] == [["--events", "line_item"]]
    events = (events_project / "src/domain/line_item_events.py").read_text(encoding="utf-8")
    each_with_the_id = r"^class (\w+)\(DomainEvent\):\n(?:.*\n)*?    line_item_id: int$"
    declared = re.findall(each_with_the_id, events, re.M)
    assert declared == ["LineItemCreated", "LineItemChanged", "LineItemDeleted"]
    assert_the_linters_pass(events_project)


def test_each_write_leaves_its_event_in_the_outbox_table_and_the_tests_pass(events_project):
    with database_for("postgresql", events_project) as database:
        environ = database.environ
        run([sys.executable, "-m", "flask", "db", "upgrade"], events_project, environ)
        written = run([sys.executable, "-c", WRITES_AND_THEIR_EVENTS], events_project, environ)
    named = {"line_item_id": 1}
    assert json.loads(written.splitlines()[-1]) == [
        ["LineItemCreated", named],
        ["LineItemChanged", named],
        ["LineItemDeleted", named],
    ]
    tests = [
        "tests/domain/test_line_item.py",
        "tests/services/test_line_item_service.py",
        "tests/infrastructure/test_line_item_repository.py",
        "tests/api/test_line_item_api.py",
    ]
    database_url = postgres_server_url("run the scaffolded resource's tests")
    environ = {**os.environ, "CI": "true", "TEST_DATABASE_URL": database_url}
    pytest_command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests]
    suite = run(pytest_command, events_project, environ)
    assert re.search(r"\d+ passed", suite), suite[-2000:]
    assert "failed" not in suite.splitlines()[-1], suite[-2000:]
    service_tests = (events_project / tests[1]).read_text(encoding="utf-8")
    assert "def test_a_write_rolled_back_records_no_event_and_changes_nothing" in service_tests


def test_a_bake_without_the_worker_refuses_events_and_writes_nothing(bakery):
    project = bakery.bake(worker="n")
    before = text_files(project)

    refused = subprocess.run(
        [sys.executable, "-m", "flask", "scaffold", "--events", "line_item", "title:str:80"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "Error: --events records events in the outbox" in refused.stderr
    assert "it was baked with worker=n." in refused.stderr
    assert text_files(project) == before
