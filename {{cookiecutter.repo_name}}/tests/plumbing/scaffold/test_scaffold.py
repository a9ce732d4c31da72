"""`flask scaffold`: what it refuses, what it writes, and that Todo is its own output (with the fields that
`flask scaffold-field` added since)."""

import ast
import os
import re
import shlex
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from alembic.script import ScriptDirectory
from click.testing import CliRunner

from src.plumbing.domain import Entity
from src.plumbing.infrastructure import ModelExtension
from src.plumbing.scaffold.command import OUTBOX_PORT, current_head, parse_fields, scaffold
from src.plumbing.scaffold.field_edits import add_field
from src.plumbing.scaffold.field_spec import RESERVED_FIELDS, SNAKE_CASE, FieldSpec, parse_field
from src.plumbing.scaffold.formatting import formatted
from src.plumbing.scaffold.generator import SOURCE_FILES, generate
from src.plumbing.scaffold.resource import Resource
from tests.plumbing.scaffold.project_copy import PROJECT, copy_project, fingerprint
from tests.resources.database import run_database_url

# Defaults that would end a docstring, make an invalid escape, start a line or drive a terminal if written as given.
HOSTILE_VALUES = ['a"""b', "c'''d", "\\N", "back\\slash\\", "new\nline", "\r\x1b[2J", "\u2028\x85", "q\"'q", "é\u200b"]
WRITTEN = ("wrote ", "changed ")
TODO_FIELDS = ("title:str:200:index", "description:str:2000:default=", "completed:bool:default=false")
# Resources the tests add to a copy of the project, named so as not to clash with the project's own.
OWNER_FIELDS = ("name:str:100:unique", "archived:bool:default=false:readonly")
{%- if cookiecutter.worker == "y" %}
# This project has the outbox, so resources of the tests also record their events in it.
EVENTS = ("--events",)
{%- else %}
EVENTS = ()
{%- endif %}
# Every type and modifier, a reference included.
ITEM_FIELDS = (
    "title:str:200",
    "notes:text:optional",
    "done:bool:index",
    "due:date:default=2026-12-31",
    "estimate:decimal:6.2:optional",
    "starts_at:datetime",
    "points:int:default=1",
    "code:uuid:unique",
    "closed_on:date:optional:index:readonly",
    "probe_owner:ref:probe_owner",
)


class ScaffoldTest(unittest.TestCase):
    def setUp(self) -> None:
        self.directory = Path(self.enterContext(tempfile.TemporaryDirectory()))
        self.project = copy_project(self.directory / "project")

    def run_scaffold(self, *arguments: str, project: Path | None = None):
        return CliRunner().invoke(scaffold, ["--project-dir", str(project or self.project), *arguments])

    def test_refusals_print_one_line_and_write_nothing(self):
        (self.project / "tests/api/test_gadget_api.py").write_text("")
        # A table that only a migration knows of, its model gone.
        legacy = f'from alembic import op\n\nrevision = "1e9ac1"\ndown_revision = "{current_head(self.project)}"\n'
        legacy += '\n\ndef upgrade():\n    op.create_table("legacy_table")\n'
        (self.project / "migrations/versions/1e9ac1_legacy_table.py").write_text(legacy)
        before = fingerprint(self.project)
        refused = [
            ("Project", "name:str:10"),
            ("class", "name:str:10"),
            ("self", "name:str:10"),
            ("service_context", "name:str:10"),
            ("gadget", "name:str:10"),
            ("widget", "name:varchar"),
            ("widget", "name:str"),
            ("widget", "name:str:10:primary"),
            ("widget", "owner:ref:nobody"),
            ("widget", "name:str:3:default=long"),
            ("widget", "name:str:10", "name:text"),
            ("widget", "version:int"),
            ("widget", "price:decimal:2.4"),
            ("widget", "flag:bool:unique"),
            ("widget", "starts_at:datetime:default=now"),
            ("alembic_version", "name:str:10"),
            ("legacy_table", "name:str:10"),
            ("widget", "repr:str:10"),
            ("widget", "int:int"),
            # Python reads command-line bytes that are not UTF-8 as os.fsdecode does.
            ("widget", os.fsdecode(b"name:str:10:default=caf\xe9")),
            (os.fsdecode(b"wid\xc3get"), "name:str:10"),
            ("widget", "archived:bool:readonly"),
            ("widget", "name:str:10:optional:unique:readonly"),
            ("widget", "name:str:10", "owner:ref:todo:optional:readonly"),
        ]
        for name, *fields in refused:
            with self.subTest(name=name, fields=fields):
                result = self.run_scaffold(name, *fields)

                self.assertEqual(result.exit_code, 1, result.output)
                self.assertRegex(result.output, r"^Error: [^\n]+\n$")
        self.assertEqual(fingerprint(self.project), before)

    def test_hostile_values_are_escaped_wherever_they_land(self):
        fields = [f"value_{number}:text:default={value}" for number, value in enumerate(HOSTILE_VALUES)]

        result = self.run_scaffold("probe_hostile", "title:str:200", *fields)

        self.assertEqual(result.exit_code, 0, result.output)
        written = [self.project / line.split()[-1] for line in result.output.splitlines() if line.startswith(WRITTEN)]
        self.assertEqual(len(written), 15)
        for path in written:
            with self.subTest(path=path.name):
                compile(path.read_text(encoding="utf-8"), str(path), "exec")
        [migration] = (self.project / "migrations/versions").glob("*_create_probe_hostile.py")
        docstring = ast.get_docstring(ast.parse(migration.read_text(encoding="utf-8")))
        command = shlex.join(["probe_hostile", "title:str:200", *fields])
        self.assertTrue(docstring.endswith(f"\nWritten by: flask scaffold {command}"), docstring)
        entity = ast.parse((self.project / "src/domain/probe_hostile.py").read_text(encoding="utf-8"))
        declared = [node for node in ast.walk(entity) if isinstance(node, ast.AnnAssign) and node.value is not None]
        defaults = [ast.literal_eval(node.value) for node in declared]
        self.assertEqual(defaults[: len(HOSTILE_VALUES)], HOSTILE_VALUES)

    def test_events_are_refused_in_a_project_without_the_outbox(self):
        (self.project / OUTBOX_PORT).unlink(missing_ok=True)
        before = fingerprint(self.project)

        result = self.run_scaffold("--events", "probe_owner", *OWNER_FIELDS)

        self.assertEqual(result.exit_code, 1, result.output)
        self.assertRegex(result.output, r"^Error: --events [^\n]+ worker=n\.\n$")
        self.assertEqual(fingerprint(self.project), before)

    def test_reserved_field_names_cover_the_attributes_of_the_generated_classes(self):
        attributes = {name for base in (Entity, ModelExtension) for name in dir(base) if SNAKE_CASE.fullmatch(name)}

        self.assertLessEqual(attributes, RESERVED_FIELDS)

    def test_dry_run_lists_the_files_and_writes_nothing(self):
        before = fingerprint(self.project)

        result = self.run_scaffold("--dry-run", *EVENTS, "probe_owner", *OWNER_FIELDS)

        self.assertEqual(result.exit_code, 0, result.output)
        self.assertIn("would write  src/domain/probe_owner.py", result.output)
{%- if cookiecutter.worker == "y" %}
        self.assertIn("would write  src/domain/probe_owner_events.py", result.output)
{%- endif %}
        self.assertIn("would change src/dependency_container.py", result.output)
        self.assertEqual(fingerprint(self.project), before)

    def test_the_same_commands_write_the_same_files(self):
        other = copy_project(self.directory / "other")
        for project in (self.project, other):
            for arguments in ((*EVENTS, "probe_owner", *OWNER_FIELDS), ("probe_item", *ITEM_FIELDS)):
                self.assertEqual(self.run_scaffold(*arguments, project=project).exit_code, 0)

        self.assertEqual(fingerprint(self.project), fingerprint(other))

    def test_what_it_writes_passes_ruff_and_its_own_tests(self):
        for arguments in ((*EVENTS, "probe_owner", *OWNER_FIELDS), ("--no-etag", *EVENTS, "probe_item", *ITEM_FIELDS)):
            result = self.run_scaffold(*arguments)
            self.assertEqual(result.exit_code, 0, result.output)
        written = [
            f"tests/{layer}/test_{name}{suffix}.py"
            for name in ("probe_owner", "probe_item")
            for layer, suffix in (
                ("domain", ""),
                ("services", "_service"),
                ("infrastructure", "_repository"),
                ("api", "_api"),
            )
        ]

        for command in (["ruff", "check", "."], ["ruff", "format", "--check", "."], ["lint-imports"]):
            with self.subTest(command=command[0]):
                self.assert_runs(command)
        self.assert_runs(["pytest", "-q", "-p", "no:cacheprovider", *written])

    def assert_runs(self, command: list[str]) -> None:
        """Run a tool of this environment in the copy."""
        tool = Path(sys.executable).with_name(command[0])
        command = [str(tool) if tool.exists() else command[0], *command[1:]]
        environment = {**os.environ, "TEST_DATABASE_URL": run_database_url()}
        result = subprocess.run(command, cwd=self.project, capture_output=True, text=True, env=environment, check=False)
        self.assertEqual(result.returncode, 0, result.stdout[-3000:] + result.stderr[-3000:])

    def test_todo_is_the_generators_output_plus_its_blank_title_rule(self):
        todo = Resource("todo", parse_fields(TODO_FIELDS))

        generated = formatted(generate(todo, PROJECT, "todo", down_revision=None), PROJECT)

        paths = [path.format(name="todo") for _, path in SOURCE_FILES] + ["tests/factories/todo_factory.py"]
{%- if cookiecutter.worker == "y" %}
        # TodoService also records TodoCompleted (docs/jobs-and-events.md), which the generator does not write.
        paths.remove("src/services/todo_service.py")
{%- endif %}
        expected = with_blank_title_rule({path: generated[path] for path in paths})
        for field in fields_added_to("todo", PROJECT):
            expected |= add_field(expected, todo, field)
        expected = formatted(expected, PROJECT)
        for path, content in expected.items():
            with self.subTest(path=path):
                self.assertEqual((PROJECT / path).read_text(), content)


def fields_added_to(name: str, project: Path) -> list[FieldSpec]:
    """The fields `flask scaffold-field NAME FIELD` added, oldest first, as its revisions record the command."""
    written = re.compile(rf"^Written by: flask scaffold-field {name} (.+)$", re.MULTILINE)
    revisions = reversed(list(ScriptDirectory(str(project / "migrations")).walk_revisions()))
    commands = [match[1] for revision in revisions for match in written.finditer(Path(revision.path).read_text())]
    return [parse_field(text) for text in dict.fromkeys(commands)]


def with_blank_title_rule(files: dict[str, str]) -> dict[str, str]:
    """Todo's one rule of its own: a title that is not blank, checked by the entity and stated in the schema."""
    entity, schemas = "src/domain/todo.py", "src/api/schemas/todo_schemas.py"
    files[entity] = files[entity].replace(
        "from src.plumbing.domain import Entity\n",
        "from src.plumbing.domain import Entity, ValidationError, is_blank\n",
    ) + (
        "\n    def validate(self) -> None:\n        if is_blank(self.title):\n"
        '            raise ValidationError("A todo needs a title that is not blank.", field="title")\n'
    )
    files[schemas] = files[schemas].replace(
        "max_length=TITLE_MAX_LENGTH)", "max_length=TITLE_MAX_LENGTH, not_blank=True)"
    )
    return files
