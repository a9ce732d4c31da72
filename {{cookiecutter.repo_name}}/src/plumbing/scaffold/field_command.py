"""The `flask scaffold-field` command: one new field of an existing resource, with its revisions and tests.

Spelled `scaffold-field RESOURCE FIELD` beside `scaffold NAME FIELD...`, rather than `scaffold field ...`: the
first argument of `flask scaffold` is the new resource's name, which a subcommand would take away.
"""

from pathlib import Path

import click

from src.plumbing.scaffold import field_code
from src.plumbing.scaffold.command import current_head, project_dir_option, table_names, write_plan
from src.plumbing.scaffold.field_edits import add_field, declared_names, paths, sql_literal
from src.plumbing.scaffold.field_spec import FieldSpec, check_name, parse_field
from src.plumbing.scaffold.formatting import formatted
from src.plumbing.scaffold.generator import environment, factory_parameters, parents_of, revision_id, test_arguments
from src.plumbing.scaffold.refusal import Refusal
from src.plumbing.scaffold.resource import Resource

BATCH_ROWS = 1000
# The types that take a default; the others (datetime, uuid) are added optional.
DEFAULT_KINDS = ("str", "text", "int", "bool", "decimal", "date")


@click.command("scaffold-field")
@click.option("--dry-run", is_flag=True, help="Print the files it would write and change, and change nothing.")
@project_dir_option
@click.argument("resource")
@click.argument("field")
def scaffold_field(resource: str, field: str, dry_run: bool, project_dir: Path) -> None:
    """Add FIELD to the existing RESOURCE: entity, model, schema, factory, revisions and a test module.

    \b
    FIELD is name:type[:modifier...], as for `flask scaffold`. Types: str:N, text, int, bool, decimal:P.S,
    date, datetime, uuid. Modifiers: optional, index, unique (with optional), readonly,
    default=VALUE.
    The table may hold rows, so the field is optional or has a default. With a default, the column comes in
    three revisions to deploy in turn: expand (nullable, with a server default), backfill, constrain (NOT NULL);
    docs/migrations.md, "Add a required field".
    """
    command = f"{resource} {field}"
    try:
        if any(character in field for character in '"\\\n'):
            # The command is quoted in the docstrings of the revisions and the test module it writes.
            raise Refusal(f"Field {field!r}: no double quote, backslash or line break, please; edit the code after.")
        files, changes = plan(resource, parse_field(field), project_dir, command)
    except Refusal as refusal:
        raise click.ClickException(str(refusal)) from None
    if not write_plan(project_dir, files, changes, dry_run):
        return
    if len([path for path in files if path.startswith("migrations/")]) > 1:
        click.echo("Next: deploy the revisions in turn, as docs/migrations.md shows; then run the tests.")
    else:
        click.echo("Next: flask db upgrade, then run the tests.")


def plan(name: str, field: FieldSpec, project: Path, command: str) -> tuple[dict[str, str], dict[str, str]]:
    """The files to create and the files to change, all checked, before anything is written."""
    check_name(name, "Resource name")
    resource = Resource(name, ())
    where = paths(name)
    if name not in table_names(project) or not (project / where["entity"]).exists():
        raise Refusal(f"No resource named {name!r}: flask scaffold-field adds a field to one that exists.")
    check_field(field, name)
    missing = [path for role, path in where.items() if not (project / path).exists() and role != "service"]
    if missing or (field.filterable and not (project / where["service"]).exists()):
        raise Refusal(f"{(missing or [where['service']])[0]} is missing: the field goes into it.")
    sources = {path: (project / path).read_text() for path in where.values() if (project / path).exists()}
    for path, names in declared_names(sources, resource).items():
        if field.name in names:
            raise Refusal(f"{name} has a field {field.name!r} already ({path}).")
    changes = add_field(sources, resource, field)
    files = revisions(name, field, current_head(project), command)
    files[test_path(name, field)] = test_module(name, field, project, command)
    taken = [path for path in files if (project / path).exists()]
    if taken:
        raise Refusal(f"{taken[0]} already exists; flask scaffold-field never overwrites a file.")
    written = formatted({**files, **changes}, project)
    return {path: written[path] for path in files}, {path: written[path] for path in changes}


def check_field(field: FieldSpec, resource: str) -> None:
    """What an existing table, which may hold rows, can take in one field."""
    if field.kind == "ref":
        raise Refusal(
            f"Field {field.name!r}: flask scaffold-field does not add references to existing tables; add the column "
            "optional, then the foreign key NOT VALID and VALIDATE it in a revision of your own (docs/migrations.md)."
        )
    if field.unique and field.default is not None:
        raise Refusal(
            f"Field {field.name!r}: unique with a default would give every row already in {resource!r} the same "
            "value; make it optional and unique, and fill it for the existing rows yourself."
        )
    if field.required:
        reason = f"Field {field.name!r} is required and has no default, but the table {resource!r} may hold rows, "
        reason += "which would have no value for it."
        optional = f"make it optional ({field.name}:...:optional)."
        if field.kind not in DEFAULT_KINDS:
            raise Refusal(f"{reason} {optional.capitalize()}")
        raise Refusal(
            f"{reason} Give it a default ({field.name}:...:default=VALUE): the column is then added nullable, "
            "backfilled and made NOT NULL in three revisions (edit the backfill to compute the values from other "
            f"columns); or {optional}"
        )


def revisions(name: str, field: FieldSpec, head: str | None, command: str) -> dict[str, str]:
    """Path → source of each revision, in order: one to add an optional column, three for one with a default
    (expand, backfill, constrain), then one that indexes it concurrently when the list filters on it (unique or
    index)."""
    steps = ["add"] if field.default is None else ["expand", "backfill", "constrain"]
    if field.filterable:
        steps.append("index")
    templates = environment()
    templates.filters["quoted"] = python_string
    template = templates.get_template("field_migration.py.jinja")
    default_sql = sql_literal(field.default) if field.default is not None else ""
    files, down_revision = {}, head
    for step in steps:
        revision = revision_id(f"{command} {step}", down_revision)
        context = {
            "step": step,
            "table": name,
            "field": field,
            "column_type": column_type(field),
            "default_sql": default_sql,
            "backfill_sql": f"UPDATE {name} SET {field.name} = {default_sql} WHERE id IN "
            f"(SELECT id FROM {name} WHERE {field.name} IS NULL LIMIT {BATCH_ROWS})",
            "batch": BATCH_ROWS,
            "revision": revision,
            "down_revision": down_revision,
            "command": command,
        }
        slug = "unique" if step == "index" and field.unique else step
        files[f"migrations/versions/{revision}_{slug}_{name}_{field.name}.py"] = template.render(context)
        down_revision = revision
    return files


def column_type(field: FieldSpec) -> str:
    if field.kind == "str":
        return f"sa.String(length={field.length})"
    if field.kind == "decimal":
        return f"sa.Numeric(precision={field.precision}, scale={field.scale})"
    return field_code.MIGRATION_TYPES[field.kind]


def python_string(text: str) -> str:
    """A Python string literal in double quotes, as ruff would write it (the revisions are not formatted)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def test_path(name: str, field: FieldSpec) -> str:
    return f"tests/api/test_{name}_{field.name}_api.py"


def test_module(name: str, field: FieldSpec, project: Path, command: str) -> str:
    """Tests of the field through the API, with the resource's factory; its parents are created first."""
    references = tuple(
        FieldSpec(name=parameter, kind="ref", target=parameter.removesuffix("_id"))
        for parameter in factory_parameters(name, project)
    )
    resource = Resource(name, references)
    ordered = parents_of(resource, project)
    context = {
        "r": resource,
        "field": field,
        "field_class_name": "".join(part.capitalize() for part in field.name.split("_")),
        "code": field_code,
        "parents": ordered,
        "command": command,
        **test_arguments(resource, ordered),
    }
    return environment().get_template("test_field_api.py.jinja").render(context)
