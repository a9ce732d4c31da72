"""`make lint-migrations` in a baked project: squawk refuses new revisions that lock or rewrite a
busy table unless the revision says why, and passes the shipped ones and the safe ways of
docs/migrations.md."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

COMMAND_TIMEOUT_SECONDS = 180
REVISION = "c0ffee000001"
REVISION_FILE = f"20261201_{REVISION}_change_todo.py"
HEADER = f'''"""Change todo.

Revision ID: {REVISION}
Revises: {{parent}}
"""
'''
BODY = f"""
import sqlalchemy as sa
from alembic import op

revision = "{REVISION}"
down_revision = "{{parent}}"


def upgrade():
{{upgrade}}


def downgrade():
    pass
"""
# One revision per hazard the generated CI must stop, and the rules squawk names for it.
HAZARDS = {
    "index without CONCURRENTLY": (
        '    op.create_index("ix_todo_completed", "todo", ["completed"])',
        ("require-concurrent-index-creation",),
    ),
    "lock-taking constraint": (
        '    op.create_unique_constraint("uq_todo_title", "todo", ["title"])',
        ("disallowed-unique-constraint", "constraint-missing-not-valid"),
    ),
    "column type change": (
        '    op.alter_column("todo", "title", type_=sa.String(100))',
        ("changing-column-type",),
    ),
    "table rewrite": (
        '    op.add_column("todo", sa.Column("seen_at", sa.DateTime(timezone=True),'
        ' server_default=sa.text("clock_timestamp()")))',
        ("adding-field-with-default",),
    ),
}
SAFE_INDEX = """\
    with op.get_context().autocommit_block():
        op.create_index("ix_todo_completed", "todo", ["completed"], postgresql_concurrently=True)"""
CONCURRENT_INDEX_IN_A_TRANSACTION = (
    '    op.create_index("ix_todo_completed", "todo", ["completed"], postgresql_concurrently=True)'
)


def git(project, *arguments):
    subprocess.run(
        ["git", "-c", "user.name=Template Tests", "-c", "user.email=tests@example.com", *arguments],
        cwd=project,
        check=True,
        capture_output=True,
    )


def committed_bake(cookies_session, template_dir):
    """A default bake, committed to git as its team would keep it."""
    result = cookies_session.bake(template=str(template_dir))
    assert result.exception is None, result.exception
    project = Path(result.project_path)
    git(project, "init", "--quiet", "--initial-branch=main")
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "-m", "Bake")
    return project


@pytest.fixture(scope="module")
def project(cookies_session, template_dir):
    return committed_bake(cookies_session, template_dir)


def head_revision(project):
    """The bake's newest revision: the one no other revision names as its `down_revision`."""
    revisions, parents = set(), set()
    for script in (project / "migrations" / "versions").glob("*.py"):
        text = script.read_text(encoding="utf-8")
        revisions |= set(re.findall(r'^revision = "(\w+)"', text, re.M))
        parents |= set(re.findall(r'^down_revision = "(\w+)"', text, re.M))
    (head,) = revisions - parents
    return head


@pytest.fixture
def new_revision(project):
    """Write a new revision (not yet committed, as during a change); removed after the test."""
    path = project / "migrations" / "versions" / REVISION_FILE
    parent = head_revision(project)

    def write(upgrade, comments=""):
        text = HEADER.format(parent=parent) + comments + BODY.format(upgrade=upgrade, parent=parent)
        path.write_text(text, encoding="utf-8")

    yield write
    path.unlink(missing_ok=True)


def lint_migrations(project, *make_arguments):
    """`make lint-migrations ...` with this interpreter's virtual environment first on the PATH."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    environ = {**os.environ, "PATH": path}
    return subprocess.run(
        ["make", "--no-print-directory", "lint-migrations", *make_arguments],
        cwd=project,
        env=environ,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=COMMAND_TIMEOUT_SECONDS,
    )


def test_the_shipped_migrations_pass(project):
    linted = lint_migrations(project)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert "20261121_2bdf804dbce1_create_tables.py" in linted.stdout


@pytest.mark.parametrize("hazard", HAZARDS, ids=str)
def test_a_hazardous_revision_is_refused(project, new_revision, hazard):
    upgrade, rules = HAZARDS[hazard]
    new_revision(upgrade)
    linted = lint_migrations(project, "BASE=HEAD")
    assert linted.returncode != 0, linted.stdout
    for rule in rules:
        assert rule in linted.stdout, linted.stdout
    assert REVISION_FILE.removesuffix(".py") in linted.stdout
    # Only the new revision is linted: the shipped one is older than the base.
    assert f"Linting {REVISION_FILE}\n" in linted.stdout
    assert "Make the revision safe" in linted.stderr


@pytest.mark.parametrize("hazard", HAZARDS, ids=str)
def test_the_same_revision_passes_when_it_says_why(project, new_revision, hazard):
    upgrade, rules = HAZARDS[hazard]
    reason = "todo holds a few hundred rows; the lock lasts milliseconds"
    new_revision(upgrade, f"\n# squawk-ignore-file {', '.join(rules)}: {reason}\n")
    linted = lint_migrations(project, "BASE=HEAD")
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_an_ignore_without_a_reason_is_refused(project, new_revision):
    upgrade, (rule,) = HAZARDS["index without CONCURRENTLY"]
    new_revision(upgrade, f"\n# squawk-ignore-file {rule}\n")
    linted = lint_migrations(project, "BASE=HEAD")
    assert linted.returncode != 0
    assert REVISION_FILE in linted.stderr
    assert "gives no reason" in linted.stderr


def test_an_index_built_concurrently_in_an_autocommit_block_passes(project, new_revision):
    new_revision(SAFE_INDEX)
    linted = lint_migrations(project, "BASE=HEAD")
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_a_concurrent_index_inside_the_revision_transaction_is_refused(project, new_revision):
    """PostgreSQL would refuse it at deploy time; squawk says so at review time."""
    new_revision(CONCURRENT_INDEX_IN_A_TRANSACTION)
    linted = lint_migrations(project, "BASE=HEAD")
    assert linted.returncode != 0
    assert "ban-concurrent-index-creation-in-transaction" in linted.stdout


def test_nothing_new_since_the_base_lints_nothing(project):
    linted = lint_migrations(project, "BASE=HEAD")
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert "nothing to lint" in linted.stdout
