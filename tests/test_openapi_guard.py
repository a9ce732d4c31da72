"""The generated CI's `make openapi-breaks` refuses each kind of change that breaks clients.

Each test changes the committed openapi.json of a committed bake, as refreshing it after a code
change would, and runs the CI step's command against the last commit.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_migration_lint import committed_bake, git
from test_resource_guide import COMMAND_TIMEOUT_SECONDS

TODO = ("components", "schemas", "Todo")
TODO_CREATE = ("components", "schemas", "TodoCreate")
ENUM = {"enum": [True, False]}


def within(document, keys):
    for key in keys:
        document = document[key]
    return document


def remove_operation(document):
    del document["paths"]["/v1/todo/{todo_id}"]["delete"]


def remove_field(document):
    within(document, TODO)["properties"].pop("description")
    within(document, TODO)["required"].remove("description")


def add_required_parameter(document):
    parameter = {"in": "query", "name": "owner", "required": True, "schema": {"type": "string"}}
    document["paths"]["/v1/todo"]["get"]["parameters"].append(parameter)


def add_required_field(document):
    within(document, TODO_CREATE)["required"].append("description")


def narrow_type(document):
    within(document, TODO_CREATE)["properties"]["completed"] = {"type": "string"}


def tighten_limit(document):
    within(document, TODO_CREATE)["properties"]["title"]["maxLength"] = 100


def remove_enum_value(document):
    within(document, TODO_CREATE)["properties"]["completed"]["enum"] = [False]


# Each break, and what the refusal says about it.
BREAKS = {
    remove_operation: "DELETE /v1/todo/{todo_id}: the operation is removed",
    remove_field: "the field description is removed",
    add_required_parameter: "the query parameter owner is new and required",
    add_required_field: "POST /v1/todo body: the field description is now required",
    narrow_type: "body.completed: the type changes from boolean to string",
    tighten_limit: "body.title: maxLength tightens from 200 to 100",
    remove_enum_value: "body.completed: the values [True] are removed",
}


def add_enum(document):
    within(document, TODO_CREATE)["properties"]["completed"].update(ENUM)


@pytest.fixture(scope="module")
def project(cookies_session, template_dir):
    project = committed_bake(cookies_session, template_dir)
    # The enum rule needs an enum in the base document: `completed` lists both of its values there.
    write_document(project, add_enum)
    git(project, "commit", "--quiet", "--all", "-m", "An enum")
    return project


@pytest.fixture
def change(project):
    """Change the committed openapi.json, as during a change; restored after the test."""
    yield lambda edit: write_document(project, edit)
    git(project, "checkout", "--quiet", "--", "openapi.json")


def write_document(project, edit):
    path = project / "openapi.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    edit(document)
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")


def openapi_breaks(project):
    """The CI step's `make openapi-breaks` against the last commit, with this Python's tools."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return subprocess.run(
        ["make", "--no-print-directory", "openapi-breaks", "BASE=HEAD"],
        cwd=project,
        env={**os.environ, "PATH": path},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=COMMAND_TIMEOUT_SECONDS,
    )


def test_the_ci_runs_the_guard_against_the_base_commit(project):
    workflow = (project / ".github/workflows/ci.yml").read_text(encoding="utf-8")

    assert 'run: make openapi-breaks BASE="$BASE"' in workflow


def test_an_unchanged_document_passes(project):
    checked = openapi_breaks(project)

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "No change breaks clients." in checked.stdout


def test_a_change_that_breaks_no_client_passes(project, change):
    described = {"description": "What to do."}
    change(lambda document: within(document, TODO)["properties"]["title"].update(described))
    change(
        lambda document: within(document, TODO_CREATE)["properties"]["title"].update(maxLength=300)
    )

    checked = openapi_breaks(project)

    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.parametrize("edit", BREAKS, ids=lambda edit: edit.__name__)
def test_a_break_is_refused(project, change, edit):
    change(edit)

    checked = openapi_breaks(project)

    assert checked.returncode != 0, checked.stdout
    assert BREAKS[edit] in checked.stdout
    assert "raise the major version" in checked.stderr


def test_a_break_passes_when_the_version_marks_it_intended(project, change):
    change(remove_operation)
    change(lambda document: document["info"].update(version="0.2.0"))

    checked = openapi_breaks(project)

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Intended: the version rises from 0.1.0 to 0.2.0." in checked.stdout
