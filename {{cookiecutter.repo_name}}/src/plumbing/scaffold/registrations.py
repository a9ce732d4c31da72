"""The three registrations of a new resource: its model, its blueprint and its providers."""

import ast
from pathlib import Path
from typing import TypeGuard

from src.plumbing.scaffold.positions import end_line, source_of
from src.plumbing.scaffold.refusal import Refusal
from src.plumbing.scaffold.resource import Resource

MODELS = "src/infrastructure/models/__init__.py"
BLUEPRINTS = "src/api/controllers/__init__.py"
CONTAINER = "src/dependency_container.py"


def registrations(resource: Resource, project: Path) -> dict[str, str]:
    """Path → its new content (not yet formatted), with the resource registered; nothing is written here."""
    return {
        MODELS: register_model(resource, _read(project, MODELS)),
        BLUEPRINTS: register_blueprint(resource, _read(project, BLUEPRINTS)),
        CONTAINER: register_providers(resource, _read(project, CONTAINER)),
    }


def register_model(resource: Resource, source: str) -> str:
    model = f"{resource.class_name}Model"
    lines = source.splitlines()
    exported = _assignment(source, "__all__", MODELS)
    if not isinstance(exported.value, ast.List):
        raise Refusal(f"{MODELS}: __all__ is not a list, so the new model cannot be added to it.")
    listed = [
        element.value
        for element in exported.value.elts
        if isinstance(element, ast.Constant) and isinstance(element.value, str)
    ]
    if len(listed) < len(exported.value.elts):
        raise Refusal(f"{MODELS}: __all__ lists more than quoted names, so the new model cannot be added to it.")
    names = sorted({*listed, model})
    lines[exported.lineno - 1 : exported.end_lineno] = [f"__all__ = {names!r}".replace("'", '"')]
    lines.insert(exported.lineno - 1, f"from src.infrastructure.models.{resource.name}_model import {model}\n")
    return "\n".join(lines) + "\n"


def register_blueprint(resource: Resource, source: str) -> str:
    lines = source.splitlines()
    listed = _assignment(source, "BLUEPRINTS", BLUEPRINTS)
    if not isinstance(listed.value, ast.Tuple):
        raise Refusal(f"{BLUEPRINTS}: BLUEPRINTS is not a tuple of blueprints.")
    added = f"{resource.name}_controller.blueprint"
    if listed.lineno == listed.end_lineno:
        # One blueprint fits on one line, as ruff writes it; two or more take a line each.
        listed_ones = [source_of(source, element) for element in listed.value.elts]
        lines[listed.lineno - 1] = f"BLUEPRINTS = ({', '.join([*listed_ones, added])},)"
    else:
        lines.insert(end_line(listed) - 1, f"    {added},")
    lines.insert(listed.lineno - 1, f"from src.api.controllers import {resource.name}_controller\n")
    return "\n".join(lines) + "\n"


def register_providers(resource: Resource, source: str) -> str:
    container = next(
        (
            node
            for node in ast.parse(source).body
            if isinstance(node, ast.ClassDef) and node.name == "DependencyContainer"
        ),
        None,
    )
    if container is None:
        raise Refusal(f"{CONTAINER} has no class DependencyContainer to register the {resource.name} providers in.")
    name, class_name = resource.name, resource.class_name
    # A service that records events writes them through the outbox in its repository's session.
    outbox = ", outbox=PlumbingContainer.outbox" if resource.events else ""
    block = [
        f"    {name}_repository = providers.Factory(SQL{class_name}Repository, session=PlumbingContainer.session)",
        f"    {name}_service = providers.Factory({class_name}Service, repository={name}_repository{outbox})",
    ]
    lines = source.splitlines()
    lines[container.end_lineno : container.end_lineno] = ["", *block]
    first_import = next(node.lineno for node in ast.parse(source).body if isinstance(node, ast.ImportFrom))
    lines[first_import - 1 : first_import - 1] = [
        f"from src.infrastructure.repositories.{name}_repository import SQL{class_name}Repository",
        f"from src.services.{name}_service import {class_name}Service",
    ]
    return "\n".join(lines) + "\n"


def _read(project: Path, path: str) -> str:
    return (project / path).read_text(encoding="utf-8")


def _assignment(source: str, name: str, path: str) -> ast.Assign:
    found = next((node for node in ast.parse(source).body if _assigns(node, name)), None)
    if found is None:
        raise Refusal(f"{path} has no {name} to register the new resource in.")
    return found


def _assigns(node: ast.stmt, name: str) -> TypeGuard[ast.Assign]:
    return isinstance(node, ast.Assign) and any(
        isinstance(target, ast.Name) and target.id == name for target in node.targets
    )
