"""`generate`: every file a new resource needs, rendered from the templates beside this module."""

import ast
import hashlib
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from src.plumbing.scaffold import field_code
from src.plumbing.scaffold.formatting import docstring_text, wrap
from src.plumbing.scaffold.refusal import Refusal
from src.plumbing.scaffold.resource import Resource

TEMPLATES = Path(__file__).with_name("templates")
# Template, and where its output goes; `{name}` is the resource's.
FILES = (
    ("entity.py.jinja", "src/domain/{name}.py"),
    ("model.py.jinja", "src/infrastructure/models/{name}_model.py"),
    ("repository.py.jinja", "src/infrastructure/repositories/{name}_repository.py"),
    ("service.py.jinja", "src/services/{name}_service.py"),
    ("schemas.py.jinja", "src/api/schemas/{name}_schemas.py"),
    ("controller.py.jinja", "src/api/controllers/{name}_controller.py"),
    ("factory.py.jinja", "tests/factories/{name}_factory.py"),
    ("test_domain.py.jinja", "tests/domain/test_{name}.py"),
    ("test_service.py.jinja", "tests/services/test_{name}_service.py"),
    ("test_repository.py.jinja", "tests/infrastructure/test_{name}_repository.py"),
    ("test_api.py.jinja", "tests/api/test_{name}_api.py"),
)
SOURCE_FILES = FILES[:6]
# What `--events` adds: the resource's created, changed and deleted events, beside its entity.
EVENT_FILES = (("events.py.jinja", "src/domain/{name}_events.py"),)


@dataclass(frozen=True)
class Parent:
    """A resource whose row the tests create first, because this one (or another parent) refers to it."""

    name: str
    ids: str

    @property
    def field(self) -> str:
        return f"{self.name}_id"


def environment() -> Environment:
    templates = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    templates.filters["wrap"] = wrap
    templates.filters["docstring"] = docstring_text
    return templates


def generate(resource: Resource, project: Path, command: str, down_revision: str | None) -> dict[str, str]:
    """Path (relative to the project) → source as rendered, for the resource's own files and its migration."""
    parents = parents_of(resource, project)
    context = {
        "r": resource,
        # Operations declare the scopes they need when the project checks bearer tokens (`auth=jwt`).
        "auth": (project / "src/plumbing/api/auth").is_dir(),
        "code": field_code,
        "lengths": [field_code.length_constant(field) for field in resource.fields if field.kind == "str"],
        "parents": parents,
        "defaults": [field for field in resource.fields if not field.required],
        "required_names": ", ".join(f'"{field.name}"' for field in resource.fields if field.required),
        "revision": revision_id(command, down_revision),
        "down_revision": down_revision,
        "command": command,
        **test_arguments(resource, parents),
    }
    templates = environment()
    written = FILES + EVENT_FILES if resource.events else FILES
    files = {path.format(name=resource.name): templates.get_template(name).render(context) for name, path in written}
    migration = f"migrations/versions/{context['revision']}_create_{resource.name}.py"
    files[migration] = templates.get_template("migration.py.jinja").render(context)
    return files


def test_arguments(resource: Resource, parents: list[Parent]) -> dict[str, object]:
    """How the generated tests pass parent ids to the factory: fixed ones, the test's own rows, or a missing one."""
    references = resource.references
    return {
        "parent_ids": ids(resource, "{field}={number}", number=1),
        "parent_ids_other": ids(resource, "{field}={number}", number=2),
        "parents_dict": ", ".join(f'"{field.name}": self.{field.name}' for field in references),
        "self_parent_ids": "".join(f"{field.name}=self.{field.name}, " for field in references),
        "other_parent_ids": lambda missing: ", ".join(
            f"{field.name}=2147483647" if field is missing else f"{field.name}=self.{field.name}"
            for field in references
        ),
        "filter_parent_ids": _parent_ids_of_first_filter(resource, parents),
    }


def revision_id(command: str, down_revision: str | None) -> str:
    """The same command on the same history gives the same revision, so two bakes get identical files."""
    return hashlib.sha256(f"{down_revision} {command}".encode()).hexdigest()[:12]


def ids(resource: Resource, pattern: str, number: int) -> str:
    return ", ".join(pattern.format(field=field.name, number=number) for field in resource.references)


def factory_parameters(name: str, project: Path) -> list[str]:
    """The parent ids that `tests/factories/<name>_factory.py` asks for, such as `["project_id"]`."""
    path = project / f"tests/factories/{name}_factory.py"
    if not path.exists():
        raise Refusal(f"ref:{name} needs {path.relative_to(project)}, the test factory flask scaffold writes.")
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef) and node.name == f"{name}_fields":
            return [argument.arg for argument in node.args.args]
    raise Refusal(f"{path.relative_to(project)} has no function {name}_fields.")


def parents_of(resource: Resource, project: Path) -> list[Parent]:
    """Every resource the tests must create before this one, those referred to by others first."""
    ordered: list[Parent] = []

    def visit(name: str) -> None:
        if any(parent.name == name for parent in ordered):
            return
        parameters = factory_parameters(name, project)
        for parameter in parameters:
            visit(parameter.removesuffix("_id"))
        ordered.append(Parent(name, ", ".join(f"{parameter}=self.{parameter}" for parameter in parameters)))

    for field in resource.references:
        if field.target is not None:  # always, for a ref field
            visit(field.target)
    return ordered


def _parent_ids_of_first_filter(resource: Resource, parents: list[Parent]) -> str:
    filters = resource.writable_filters
    if not filters or filters[0].kind != "ref":
        return ""
    return next(parent.ids for parent in parents if parent.name == filters[0].target)
