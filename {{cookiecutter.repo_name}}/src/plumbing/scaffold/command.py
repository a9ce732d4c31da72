"""The `flask scaffold` command: checks everything first, then writes every file or none."""

import ast
import shlex
import subprocess
import sys
from pathlib import Path

import click

from src.plumbing.scaffold.field_spec import FieldSpec, check_name, parse_field
from src.plumbing.scaffold.formatting import formatted
from src.plumbing.scaffold.generator import generate
from src.plumbing.scaffold.refusal import Refusal
from src.plumbing.scaffold.registrations import registrations
from src.plumbing.scaffold.resource import Resource

PROJECT = Path(__file__).resolve().parents[3]
# The team's models and the template's own (the service context): a resource may not take any of their names.
MODEL_FOLDERS = ("src/infrastructure/models", "src/plumbing/infrastructure/models")
# Where Alembic records the revision a database is at; a resource of that name would break every migration.
ALEMBIC_VERSION_TABLE = "alembic_version"
# The committed OpenAPI document (see `make openapi`), refreshed after every change the commands make.
OPENAPI_DOCUMENT = "openapi.json"
# The port that `--events` records through; only a project baked with the worker (worker=y) has it.
OUTBOX_PORT = "src/plumbing/services/outbox.py"

# Both scaffold commands write into this project, or into the copy a test names.
project_dir_option = click.option(
    "--project-dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=PROJECT,
    help="The project to write into: by default this one; the tests write into a copy.",
)


@click.command("scaffold")
@click.option("--dry-run", is_flag=True, help="Print the files it would write, and change nothing.")
@click.option("--no-etag", is_flag=True, help="No version, ETag or If-Match: concurrent writes overwrite each other.")
@click.option(
    "--events",
    is_flag=True,
    help="Each create, change and delete records its event (NameCreated, NameChanged, NameDeleted) in the outbox.",
)
@project_dir_option
@click.argument("name")
@click.argument("fields", nargs=-1, required=True)
def scaffold(name: str, fields: tuple[str, ...], dry_run: bool, no_etag: bool, events: bool, project_dir: Path) -> None:
    """Add the resource NAME with FIELDS across the four layers, with its migration and tests.

    \b
    NAME is singular snake case: `line_item` serves /v1/line_item.
    A field is name:type[:modifier...]. Types: str:N, text, int, bool, decimal:P.S, date, datetime,
    uuid, ref:OTHER (a foreign key named OTHER_id). Modifiers: unique, optional, index, readonly,
    default=VALUE.
    """
    arguments = [*(["--no-etag"] if no_etag else []), *(["--events"] if events else []), name, *fields]
    command = shlex.join(arguments)
    try:
        check_utf8(arguments)
        resource = Resource(name, parse_fields(fields), etag=not no_etag, events=events)
        files, changes = plan(resource, project_dir, command)
    except Refusal as refusal:
        raise click.ClickException(str(refusal)) from None
    if write_plan(project_dir, files, changes, dry_run):
        click.echo(f"Next: flask db upgrade, then run the tests; /v1/{name} is served.")


def write_plan(project_dir: Path, files: dict[str, str], changes: dict[str, str], dry_run: bool) -> bool:
    """Write the new files and the changed ones, and list them; with `dry_run`, only list them. Whether it wrote."""
    if dry_run:
        click.echo(
            "\n".join([*(f"would write  {path}" for path in files), *(f"would change {path}" for path in changes)])
        )
        return False
    for path, content in {**files, **changes}.items():
        (project_dir / path).write_text(content, encoding="utf-8")
    click.echo("\n".join([*(f"wrote   {path}" for path in files), *(f"changed {path}" for path in changes)]))
    refresh_document(project_dir)
    return True


def refresh_document(project_dir: Path) -> None:
    """Write the committed openapi.json again, from a fresh process that imports the new code."""
    if not (project_dir / OPENAPI_DOCUMENT).exists():
        return
    command = [sys.executable, "-m", "flask", "--app", "src.app", "openapi", "write", OPENAPI_DOCUMENT]
    written = subprocess.run(command, cwd=project_dir, capture_output=True, text=True)
    if written.returncode != 0:
        click.echo(f"{written.stderr}\n{OPENAPI_DOCUMENT} is not refreshed: fix that, then `make openapi`.", err=True)
        return
    click.echo(f"changed {OPENAPI_DOCUMENT}")


def check_utf8(arguments: list[str]) -> None:
    """Python reads command-line bytes that are not UTF-8 as lone surrogates, which no source file can hold."""
    for argument in arguments:
        try:
            argument.encode("utf-8")
        except UnicodeEncodeError:
            shown = argument.encode("utf-8", "surrogateescape").decode("ascii", "backslashreplace")
            raise Refusal(f"Argument '{shown}' is not valid UTF-8; write names and defaults in UTF-8.") from None


def parse_fields(texts: tuple[str, ...]) -> tuple[FieldSpec, ...]:
    parsed = tuple(parse_field(text) for text in texts)
    names = [field.name for field in parsed]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise Refusal(f"Field {repeated[0]!r} is given more than once.")
    return parsed


def plan(resource: Resource, project: Path, command: str) -> tuple[dict[str, str], dict[str, str]]:
    """The files to create and the files to change, all checked, before anything is written."""
    check_name(resource.name, "Resource name")
    if resource.events and not (project / OUTBOX_PORT).exists():
        raise Refusal("--events records events in the outbox, which this project lacks: it was baked with worker=n.")
    tables = table_names(project) | migration_tables(project) | {ALEMBIC_VERSION_TABLE}
    if resource.name in tables or (project / f"src/domain/{resource.name}.py").exists():
        raise Refusal(f"A resource or table named {resource.name!r} already exists.")
    for field in resource.references:
        if field.target not in tables or not (project / f"src/domain/{field.target}.py").exists():
            raise Refusal(f"Field {field.name!r} refers to {field.target!r}, which is not a resource of this project.")
    files = generate(resource, project, command, current_head(project))
    taken = [path for path in files if (project / path).exists()]
    if taken:
        raise Refusal(f"{taken[0]} already exists; flask scaffold never overwrites a file.")
    changes = registrations(resource, project)
    # New modules and edited ones go through ruff together: one run of each tool for the whole resource.
    written = formatted({**files, **changes}, project)
    return {path: written[path] for path in files}, {path: written[path] for path in changes}


def table_names(project: Path) -> set[str]:
    """The `__tablename__` of every model module, the team's and the template's, read from the files."""
    names = set()
    for module in (module for folder in MODEL_FOLDERS for module in (project / folder).glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign) and any(
                getattr(target, "id", None) == "__tablename__" for target in node.targets
            ):
                names.add(ast.literal_eval(node.value))
    return names


def migration_tables(project: Path) -> set[str]:
    """Every table a migration creates, also those whose model is gone: `op.create_table("name", ...)`."""
    names: set[str] = set()
    for script in (project / "migrations/versions").glob("*.py"):
        for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", None) == "create_table"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                names.add(node.args[0].value)
    return names


def current_head(project: Path) -> str | None:
    """The revision the new one follows; with several heads, which one is ambiguous, so it refuses."""
    from alembic.script import ScriptDirectory  # Alembic is heavy to import; only this function needs it.

    heads = ScriptDirectory(str(project / "migrations")).get_heads()
    if len(heads) > 1:
        raise Refusal(f"The migrations have {len(heads)} heads; merge them first (flask db merge heads).")
    return heads[0] if heads else None
