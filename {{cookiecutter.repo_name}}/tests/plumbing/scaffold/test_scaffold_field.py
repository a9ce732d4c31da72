"""`flask scaffold-field`: what it refuses, the revisions it writes, and that the result passes the project's checks
on Todo, on a scaffolded resource and on one edited by hand."""

import os
import re
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from alembic.script import ScriptDirectory
from click.testing import CliRunner

from src.plumbing.scaffold.command import scaffold
from src.plumbing.scaffold.field_command import scaffold_field
from tests.plumbing.scaffold.project_copy import copy_project, fingerprint
from tests.plumbing.scaffold.test_scaffold import ITEM_FIELDS, OWNER_FIELDS
from tests.resources.database import run_database_url

# Edits a team could have made to a resource since it was scaffolded: a docstring, a method and comments, one of
# them among the filters.
HAND_EDITS = {
    "src/domain/probe_owner.py": [
        ("class ProbeOwner(Entity):\n", 'class ProbeOwner(Entity):\n    """Owns probe items."""\n\n'),
        (
            "    updated_at: datetime | None = None\n",
            "    updated_at: datetime | None = None\n\n    @property\n    def active(self) -> bool:\n"
            "        return not self.archived\n",
        ),
    ],
    "src/infrastructure/models/probe_owner_model.py": [
        ("    name: Mapped[str]", "    # Unique: owners are told apart by name.\n    name: Mapped[str]"),
    ],
    "src/services/probe_owner_service.py": [
        ("    name: str | None = equal()\n", "    # Owners are told apart by name.\n    name: str | None = equal()\n"),
    ],
    "tests/factories/probe_owner_factory.py": [
        ('        "name"', '        # Unique, hence the number.\n        "name"'),
    ],
}
# Every type and modifier a field of an existing table can take, over Todo (as this project has it), a scaffolded
# resource edited by hand and a scaffolded one that refers to it. Named so as not to clash with the project's own.
FIELDS = (
    ("todo", "probe_rank:int:default=3:index"),
    ("todo", "probe_label:str:40:default=it's new"),
    ("todo", "probe_estimate:decimal:6.2:optional"),
    ("probe_owner", "rating:decimal:4.1:default=2.5"),
    ("probe_owner", "since:date:default=2026-01-01"),
    ("probe_owner", "verified:bool:default=false:index"),
    ("probe_owner", "badge:uuid:optional:unique"),
    ("probe_item", "seen_at:datetime:optional"),
    ("probe_item", "tracking:uuid:optional:index"),
    ("probe_item", "summary:text:optional"),
    ("probe_item", "nickname:str:20:optional"),
    ("probe_item", "reviewed:bool:default=false:readonly"),
    ("probe_item", "shipped_on:date:optional:readonly:index"),
)


class ScaffoldFieldTest(unittest.TestCase):
    def setUp(self) -> None:
        self.directory = Path(self.enterContext(tempfile.TemporaryDirectory()))
        self.project = copy_project(self.directory / "project")

    def run_command(self, command, *arguments: str, project: Path | None = None):
        return CliRunner().invoke(command, ["--project-dir", str(project or self.project), *arguments])

    def test_refusals_give_the_reason_and_write_nothing(self):
        (self.project / "tests/api/test_todo_probe_flag_api.py").write_text("")
        before = fingerprint(self.project)
        refused = [
            (("gadget", "flag:bool:default=true"), "No resource named 'gadget'"),
            (("service_context", "flag:bool:default=true"), "No resource named 'service_context'"),
            (("todo", "title:str:10:optional"), "todo has a field 'title' already (src/domain/todo.py)"),
            (("todo", "id:int:optional"), "Field name 'id' is reserved"),
            (("todo", "probe_rank:int"), "may hold rows, which would have no value for it. Give it a default"),
            (("todo", "probe_rank:int"), "or make it optional (probe_rank:...:optional)"),
            (("todo", "probe_code:str:10:unique:default=x"), "would give every row already in 'todo' the same value"),
            (("todo", "todo:ref:todo"), "the foreign key NOT VALID"),
            (("todo", "probe_flag:bool:default=true"), "tests/api/test_todo_probe_flag_api.py already exists"),
            (("todo", "probe_rank:int:default=many"), "'many' is not a valid default"),
            (("todo", 'probe_note:str:10:default=a"b'), "no double quote, backslash or line break"),
            (("todo", "probe_at:datetime"), "no value for it. Make it optional (probe_at:...:optional)."),
        ]
        for arguments, reason in refused:
            with self.subTest(arguments=arguments):
                result = self.run_command(scaffold_field, *arguments)

                self.assertEqual(result.exit_code, 1, result.output)
                self.assertRegex(result.output, r"^Error: [^\n]+\n$")
                self.assertIn(reason, result.output)
        self.assertEqual(fingerprint(self.project), before)

    def test_where_it_cannot_place_a_line_it_refuses_and_names_the_file(self):
        edits = {
            "tests/factories/todo_factory.py": ("return {", "return dict(**{"),
            "src/domain/todo.py": ("class Todo(Entity)", "class Task(Entity)"),
            "src/api/schemas/todo_schemas.py": ("TodoSchema", "TodoBody"),
        }
        for path, (old, new) in edits.items():
            with self.subTest(path=path):
                project = copy_project(self.directory / path.replace("/", "_"))
                source = (project / path).read_text()
                (project / path).write_text(source.replace(old, new).replace("} | changes", "}) | changes"))
                before = fingerprint(project)

                result = self.run_command(scaffold_field, "todo", "probe_rank:int:default=1:index", project=project)

                self.assertEqual(result.exit_code, 1, result.output)
                self.assertIn(f"Error: {path}", result.output)
                self.assertEqual(fingerprint(project), before)

    def test_dry_run_lists_the_files_and_writes_nothing(self):
        before = fingerprint(self.project)

        result = self.run_command(scaffold_field, "--dry-run", "todo", "probe_rank:int:default=3")

        self.assertEqual(result.exit_code, 0, result.output)
        written = [line.split()[-1] for line in result.output.splitlines() if line.startswith("would write")]
        revisions = [re.search(r"_([a-z]+)_todo_probe_rank\.py$", path) for path in written[:3]]
        self.assertEqual([found and found[1] for found in revisions], ["expand", "backfill", "constrain"])
        self.assertEqual(written[3:], ["tests/api/test_todo_probe_rank_api.py"])
        self.assertIn("would change src/infrastructure/models/todo_model.py", result.output)
        self.assertEqual(fingerprint(self.project), before)

    def test_a_default_takes_three_revisions_in_a_row_an_optional_field_one(self):
        for field in ("probe_rank:int:default=3", "probe_estimate:decimal:6.2:optional"):
            self.assertEqual(self.run_command(scaffold_field, "todo", field).exit_code, 0)

        history = list(ScriptDirectory(str(self.project / "migrations")).walk_revisions())

        self.assertEqual(
            [Path(revision.path).name.split("_", 1)[1] for revision in reversed(history[:4])],
            [
                "expand_todo_probe_rank.py",
                "backfill_todo_probe_rank.py",
                "constrain_todo_probe_rank.py",
                "add_todo_probe_estimate.py",
            ],
        )

    def test_the_same_command_writes_the_same_files(self):
        other = copy_project(self.directory / "other")
        for project in (self.project, other):
            self.assertEqual(
                self.run_command(scaffold_field, "todo", "probe_rank:int:default=3", project=project).exit_code, 0
            )

        self.assertEqual(fingerprint(self.project), fingerprint(other))

    def test_fields_of_every_type_pass_ruff_the_stairway_and_their_tests(self):
        """On Todo, on a scaffolded resource edited by hand since, and on a scaffolded one that refers to it."""
        for arguments in (("probe_owner", *OWNER_FIELDS), ("probe_item", *ITEM_FIELDS)):
            self.assertEqual(self.run_command(scaffold, *arguments).exit_code, 0)
        for path, replacements in HAND_EDITS.items():
            source = (self.project / path).read_text()
            for old, new in replacements:
                self.assertIn(old, source)
                source = source.replace(old, new)
            (self.project / path).write_text(source)
        for resource, field in FIELDS:
            result = self.run_command(scaffold_field, resource, field)
            self.assertEqual(result.exit_code, 0, result.output)

        for command in (["ruff", "check", "."], ["ruff", "format", "--check", "."], ["lint-imports"]):
            with self.subTest(command=command[0]):
                self.assert_runs(command)
        written = [f"tests/api/test_{resource}_{field.split(':')[0]}_api.py" for resource, field in FIELDS]
        suites = ["tests/plumbing/infrastructure/test_migrations.py", "tests/api", "tests/domain", "tests/services"]
        self.assert_runs(["pytest", "-q", "-p", "no:cacheprovider", *written, *suites])

    def assert_runs(self, command: list[str]) -> None:
        """Run a tool of this environment in the copy."""
        tool = Path(sys.executable).with_name(command[0])
        command = [str(tool) if tool.exists() else command[0], *command[1:]]
        environment = {**os.environ, "TEST_DATABASE_URL": run_database_url()}
        result = subprocess.run(command, cwd=self.project, capture_output=True, text=True, env=environment, check=False)
        self.assertEqual(result.returncode, 0, result.stdout[-3000:] + result.stderr[-3000:])
