"""The worked example of the baked docs/migrations.md runs as written: a column renamed in two
deploys.

Three copies of one bake share a PostgreSQL database: the code as baked, the code of deploy 1 and
the code of deploy 2, each made by applying the guide's files and diffs in order. After each
migration, the code still running from the release before is called through its own app: it must
keep working against the new schema, and old and new code must read each other's writes. Then the
new revisions go through squawk and the project's own stairway and repository tests. The guide's
illustrations are checked to be complete code.
"""

import json
import os
import re
import shutil
import sys

import pytest
from conftest import postgres_server_url
from test_migration_lint import committed_bake, lint_migrations
from test_migrations import flask_ok, postgres_database
from test_resource_guide import apply_guide, run

GUIDE = "docs/migrations.md"
NO_DRIFT = "No new upgrade operations detected."
# Calls one version of the code through its own app and test client, as its instances would.
CALLS = """
import json, sys
from tests.resources.app_test_base import TEST_ENVIRONMENT, new_app, wire

app = new_app({**TEST_ENVIRONMENT, "SQLALCHEMY_DATABASE_URI": sys.argv[1]})
wire(app)
client = app.test_client()
answers = []
for method, path, body in json.loads(sys.argv[2]):
    headers = {"If-Match": "*"} if method in ("PATCH", "DELETE") else {}
    answer = client.open(path, method=method, json=body, headers=headers)
    answers.append([answer.status_code, answer.get_json()])
print(json.dumps(answers))
"""


def section(guide, heading):
    """The text under `### heading`, up to the next heading of that level or above."""
    start = guide.index(f"### {heading}")
    after = re.search(r"^##+ ", guide[start + 4 :], re.M)
    return guide[start : start + 4 + after.start()] if after else guide[start:]


def call(project, database, *calls):
    """[(status, JSON body)] of each (method, path, body), made by this project's code."""
    output = run(
        [sys.executable, "-c", CALLS, database.url, json.dumps(calls)], project, database.environ
    )
    return [tuple(answer) for answer in json.loads(output.strip().splitlines()[-1])]


def created(project, database, description):
    ((status, todo),) = call(
        project, database, ("POST", "/v1/todo", {"title": "T", "description": description})
    )
    assert status == 201, todo
    return todo["id"]


def descriptions(project, database, *ids):
    answers = call(project, database, *[("GET", f"/v1/todo/{id_}", None) for id_ in ids])
    assert all(status == 200 for status, _ in answers), answers
    return [todo["description"] for _, todo in answers]


def patched(project, database, id_, description):
    ((status, todo),) = call(
        project, database, ("PATCH", f"/v1/todo/{id_}", {"description": description})
    )
    assert status == 200, todo
    assert todo["description"] == description


@pytest.fixture(scope="module")
def releases(cookies_session, template_dir, tmp_path_factory):
    """The code as baked, after deploy 1 and after deploy 2; the bake is committed to git."""
    baked = committed_bake(cookies_session, template_dir)
    guide = (baked / GUIDE).read_text(encoding="utf-8")
    root = tmp_path_factory.mktemp("releases")
    deploy_1 = shutil.copytree(baked, root / "deploy-1", symlinks=True)
    assert not apply_guide(deploy_1, section(guide, "Deploy 1"))
    deploy_2 = shutil.copytree(deploy_1, root / "deploy-2", symlinks=True)
    assert not apply_guide(deploy_2, section(guide, "Deploy 2"))
    return baked, deploy_1, deploy_2, guide


def test_two_deploys_rename_a_column_while_the_old_code_keeps_working(releases):
    baked, deploy_1, deploy_2, _ = releases
    with postgres_database(baked) as database:
        flask_ok(baked, database, "db", "upgrade")
        first = created(baked, database, "written before the expand")

        flask_ok(deploy_1, database, "db", "upgrade")
        assert NO_DRIFT in flask_ok(deploy_1, database, "db", "check")
        # The old code against the expanded schema, and both versions reading each other's writes.
        assert descriptions(baked, database, first) == ["written before the expand"]
        assert descriptions(deploy_1, database, first) == ["written before the expand"]
        second = created(baked, database, "old code")
        third = created(deploy_1, database, "new code")
        patched(baked, database, first, "changed by the old code")
        patched(deploy_1, database, second, "changed by the new code")
        expected = ["changed by the old code", "changed by the new code", "new code"]
        assert descriptions(baked, database, first, second, third) == expected
        assert descriptions(deploy_1, database, first, second, third) == expected

        flask_ok(deploy_2, database, "db", "upgrade")
        assert NO_DRIFT in flask_ok(deploy_2, database, "db", "check")
        # The code of deploy 1 against the contracted schema, until deploy 2 replaces it.
        fourth = created(deploy_1, database, "deploy 1 after the contract")
        patched(deploy_1, database, third, "changed after the contract")
        expected = [*expected[:2], "changed after the contract", "deploy 1 after the contract"]
        assert descriptions(deploy_2, database, first, second, third, fourth) == expected


def test_the_new_revisions_pass_squawk_and_the_stairway(releases):
    _, _, deploy_2, _ = releases
    linted = lint_migrations(deploy_2, "BASE=HEAD")
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert "expand_todo_notes.py, " in linted.stdout
    assert "contract_todo_description.py" in linted.stdout
    tests = ["tests/domain", "tests/services", "tests/infrastructure", "tests/api/test_todo_api.py"]
    url = postgres_server_url("run the renamed project's tests")
    run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests],
        deploy_2,
        {**os.environ, "TEST_DATABASE_URL": url},
        timeout=600,
    )
    run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], deploy_2)
    run([sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "."], deploy_2)


def test_the_illustrations_are_complete_code(releases, tmp_path):
    baked, _, _, guide = releases
    illustrations = [
        code for language, code in re.findall(r"^```(\w+)\n(.*?)^```$", guide, re.M | re.S)
        if language == "python" and "Revision ID" not in code
    ]  # fmt: skip
    assert len(illustrations) >= 5, illustrations
    for number, code in enumerate(illustrations):
        (tmp_path / f"snippet_{number}.py").write_text(code, encoding="utf-8")
    ruff = [sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "F,E"]
    run([*ruff, str(tmp_path)], baked)
