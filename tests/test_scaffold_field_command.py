"""`flask scaffold-field`, run on a fresh bake as the README shows: the project passes everything.

The bake gets the README's two resources; `project` is then edited by hand (a rule of its own, as
the resource guide adds one). Fields go into Todo (the README's command), into the scaffolded `task`
and into the hand-edited `project`. The test then migrates and checks on SQLite and PostgreSQL,
lints the new revisions with squawk, runs the linters and the project's suite on PostgreSQL, and
checks what the command refuses.
"""

import subprocess
import sys

import pytest
from test_migration_lint import lint_migrations
from test_migrations import database_for
from test_resource_guide import run
from test_scaffold_command import (
    assert_the_linters_pass,
    flask_commands,
    passing_suite,
    session_bake_scaffolded,
)

# A rule the team added to the scaffolded project, as docs/adding-a-resource.md does: no blank name.
HAND_EDITS = {
    "src/domain/project.py": [
        (
            "from src.plumbing.domain import Entity\n",
            "from src.plumbing.domain import Entity, ValidationError, is_blank\n",
        ),
        (
            "    updated_at: datetime | None = None\n",
            "    updated_at: datetime | None = None\n\n    def validate(self) -> None:\n"
            "        if is_blank(self.name):\n"
            "            raise ValidationError("
            '"A project needs a name that is not blank.", field="name")\n',
        ),
    ],
    "src/api/schemas/project_schemas.py": [
        ("max_length=NAME_MAX_LENGTH)", "max_length=NAME_MAX_LENGTH, not_blank=True)")
    ],
}
FIELDS = (
    ("task", "priority:int:default=2:index"),
    ("task", "remote_id:uuid:optional:unique"),
    ("project", "budget:decimal:12.2:default=0"),
    ("project", "code:str:12:optional:unique"),
    ("project", "started_at:datetime:optional"),
)


def scaffold_field_commands(project):
    commands = flask_commands(project, "scaffold-field")
    assert commands, "the README's flask scaffold-field command"
    return commands


@pytest.fixture(scope="module")
def project(cookies_session, template_dir):
    project = session_bake_scaffolded(cookies_session, template_dir)
    for path, replacements in HAND_EDITS.items():
        source = (project / path).read_text(encoding="utf-8")
        for old, new in replacements:
            assert old in source, (path, old)
            source = source.replace(old, new)
        (project / path).write_text(source, encoding="utf-8")
    for command in scaffold_field_commands(project):
        run([sys.executable, "-m", *command], project)
    for resource, field in FIELDS:
        run([sys.executable, "-m", "flask", "scaffold-field", resource, field], project)
    return project


def test_the_readme_adds_a_field_to_todo_in_three_revisions(project):
    assert scaffold_field_commands(project) == [
        ["flask", "scaffold-field", "todo", "priority:int:default=3"]
    ]
    versions = project / "migrations/versions"
    for step in ("expand", "backfill", "constrain"):
        assert len(list(versions.glob(f"*_{step}_todo_priority.py"))) == 1, step
    assert "priority: int = 3" in (project / "src/domain/todo.py").read_text(encoding="utf-8")
    assert "A project needs a name that is not blank." in (
        project / "src/domain/project.py"
    ).read_text(encoding="utf-8")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_migrations_upgrade_and_match_the_models(project, backend):
    with database_for(backend, project) as database:
        run([sys.executable, "-m", "flask", "db", "upgrade"], project, database.environ)
        checked = run([sys.executable, "-m", "flask", "db", "check"], project, database.environ)
    assert "No new upgrade operations detected." in checked


def test_squawk_finds_no_hazard_in_the_revisions(project):
    linted = lint_migrations(project)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert "constrain_todo_priority.py" in linted.stdout
    assert "unique_project_code.py" in linted.stdout


def test_the_linters_pass_without_an_edit(project):
    assert_the_linters_pass(project)


def test_the_projects_suite_passes_with_the_new_fields(project):
    passing_suite(project, "run the project's suite with the new fields")
    for resource, field in (("todo", "priority:"), *FIELDS):
        assert (project / f"tests/api/test_{resource}_{field.split(':')[0]}_api.py").is_file(), (
            field
        )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("gadget", "size:int:optional"), "Error: No resource named 'gadget'"),
        (
            ("todo", "title:str:10:optional"),
            "Error: todo has a field 'title' already (src/domain/todo.py)",
        ),
        (
            ("task", "points:int"),
            "may hold rows, which would have no value for it. Give it a default",
        ),
        (("task", "project_id:int:optional"), "Error: task has a field 'project_id' already"),
    ],
)
def test_refusals_say_why_and_change_nothing(project, arguments, message):
    before = {path: path.read_bytes() for path in project.rglob("*.py")}

    completed = subprocess.run(
        [sys.executable, "-m", "flask", "scaffold-field", *arguments],
        cwd=project,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )

    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert message in completed.stderr
    assert {path: path.read_bytes() for path in project.rglob("*.py")} == before
