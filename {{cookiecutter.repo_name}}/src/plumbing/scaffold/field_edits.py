"""One new field written into a resource's existing modules, placed by their structure (`ast`), never by line numbers.

Each edit finds the class, the assignment or the dictionary it extends; where it finds none it can extend
safely, it refuses and names the file. The result is not yet formatted: ruff sorts the added imports into the
module's own and formats it, as for a new resource.
"""

import ast
from decimal import Decimal
from typing import TypeGuard

from src.plumbing.scaffold import field_code
from src.plumbing.scaffold.field_spec import FieldSpec
from src.plumbing.scaffold.positions import end_column, end_line
from src.plumbing.scaffold.refusal import Refusal
from src.plumbing.scaffold.resource import Resource

# The resource's modules a field goes into, by role; `{name}` is the resource's.
PATHS = {
    "entity": "src/domain/{name}.py",
    "model": "src/infrastructure/models/{name}_model.py",
    "schemas": "src/api/schemas/{name}_schemas.py",
    "service": "src/services/{name}_service.py",
    "factory": "tests/factories/{name}_factory.py",
}
# What every resource declares after its own fields, in the entity, the model and the schema.
ENTITY_TRAILING = ("id", "version", "created_at", "updated_at")
MODEL_TRAILING = ("version", "created_at", "updated_at")
SCHEMA_TRAILING = ("created_at", "updated_at")
# More imports than one field needs: ruff drops those the module does not use (F401) and merges the rest.
ENTITY_IMPORTS = ("from datetime import date, datetime", "from decimal import Decimal", "from uuid import UUID")
MODEL_IMPORTS = (
    *ENTITY_IMPORTS,
    "from sqlalchemy import Boolean, Date, Integer, Numeric, String, Text, Uuid, text",
    "from src.plumbing.infrastructure import UTCDateTime",
)
FACTORY_IMPORTS = ("from datetime import UTC, date, datetime, timedelta", *ENTITY_IMPORTS[1:])


def paths(resource: str) -> dict[str, str]:
    return {role: path.format(name=resource) for role, path in PATHS.items()}


def add_field(sources: dict[str, str], resource: Resource, field: FieldSpec) -> dict[str, str]:
    """Path → new source of each module that declares the field: entity, model, schema, factory (unless the field
    is read-only), and the service's `Filters` when the list filters on it. `sources` holds the current ones, by
    path."""
    where = paths(resource.name)
    changed = {
        where["entity"]: entity(sources[where["entity"]], resource, field, where["entity"]),
        where["model"]: model(sources[where["model"]], resource, field, where["model"]),
        where["schemas"]: schemas(sources[where["schemas"]], resource, field, where["schemas"]),
    }
    if not field.readonly:  # no body sets a read-only field, so the factory gives it no value
        changed[where["factory"]] = factory(sources[where["factory"]], resource, field, where["factory"])
    if field.filterable:
        changed[where["service"]] = filters(sources[where["service"]], resource, field, where["service"])
    return changed


def declared_names(sources: dict[str, str], resource: Resource) -> dict[str, set[str]]:
    """Path → the field names the entity, model, schema and factory declare already."""
    where = paths(resource.name)
    return {
        where["entity"]: _class_fields(_class(sources[where["entity"]], resource.class_name, where["entity"])),
        where["model"]: _class_fields(_model_class(sources[where["model"]], resource, where["model"])),
        where["schemas"]: _class_fields(
            _class(sources[where["schemas"]], f"{resource.class_name}Schema", where["schemas"])
        ),
        where["factory"]: set(_factory_dict(sources[where["factory"]], resource, where["factory"])[1]),
    }


def entity(source: str, resource: Resource, field: FieldSpec, path: str) -> str:
    line = f"    {field.name}: {field_code.entity_annotation(field)} = {field_code.entity_default(field)}"
    source = _insert_field(source, _class(source, resource.class_name, path), [line], ENTITY_TRAILING, path)
    if field.kind == "str":
        source = _add_length_constant(source, field, path)
    return _add_imports(source, ENTITY_IMPORTS, path)


def model(source: str, resource: Resource, field: FieldSpec, path: str) -> str:
    lines = []
    if field.kind == "bool" and field.default is not None:
        lines.append(
            f"    # A literal `{str(field.default).lower()}` reads the same on PostgreSQL and SQLite, so autogenerate"
            " scripts work on both."
        )
    lines.append(f"    {field.name}: Mapped[{field_code.entity_annotation(field)}] = {model_column(field)}")
    source = _insert_field(source, _model_class(source, resource, path), lines, MODEL_TRAILING, path)
    imports = list(MODEL_IMPORTS)
    if field.kind == "str":
        imports.append(f"from src.domain.{resource.name} import {field_code.length_constant(field)}")
    return _add_imports(source, imports, path)


def model_column(field: FieldSpec) -> str:
    """The column as `flask scaffold` declares it, and the server default that the rows added before it get."""
    column = field_code.column(field)
    if field.default is None or field.kind == "bool":  # a bool's column has its server default already
        return column
    return f"{column.removesuffix(')')}, server_default=text({sql_literal(field.default)!r}))"


def sql_literal(value: object) -> str:
    """A default as PostgreSQL and SQLite read it in a server default or an UPDATE."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, int | Decimal):
        return str(value)
    return f"'{value}'"  # a date, in ISO format


def schemas(source: str, resource: Resource, field: FieldSpec, path: str) -> str:
    schema = _class(source, f"{resource.class_name}Schema", path)
    line = f"    {field.name} = {field_code.schema_field(field)}"
    source = _insert_field(source, schema, [line], SCHEMA_TRAILING, path)
    imports = [f"from src.plumbing.api import {', '.join(field_code.schema_imports((field,)))}"]
    imports.append("from marshmallow import fields")
    if field.kind == "str":
        imports.append(f"from src.domain.{resource.name} import {field_code.length_constant(field)}")
    return _add_imports(source, imports, path)


def filters(source: str, resource: Resource, field: FieldSpec, path: str) -> str:
    """The list filters on the field: `<Name>Filters` gains an equality filter on it."""
    found = _class(source, f"{resource.class_name}Filters", path)
    line = f"    {field.name}: {field_code.filter_annotation(field)} = equal()"
    if any(_field_name(node) for node in found.body):
        source = _insert_field(source, found, [line], (), path)
    else:
        lines = source.splitlines()
        lines[found.body[-1].end_lineno : found.body[-1].end_lineno] = ["", line]
        source = _joined(lines)
    return _add_imports(source, (*ENTITY_IMPORTS, "from src.plumbing.services import equal"), path)


def factory(source: str, resource: Resource, field: FieldSpec, path: str) -> str:
    returned, _ = _factory_dict(source, resource, path)
    if not returned.values:
        raise Refusal(f"{path}: {resource.name}_fields returns an empty dict; add the field to it by hand.")
    value = field_code.sample(field)
    source = _insert_after(source, returned.values[-1], f',\n        "{field.name}": {value}')
    return _add_imports(source, FACTORY_IMPORTS, path)


def _factory_dict(source: str, resource: Resource, path: str) -> tuple[ast.Dict, list[str]]:
    """The dict `<name>_fields` returns (`{...} | changes`, as scaffolded, or `{...}`), and its keys."""
    function = next(
        (
            node
            for node in ast.parse(source).body
            if isinstance(node, ast.FunctionDef) and node.name == f"{resource.name}_fields"
        ),
        None,
    )
    if function is None:
        raise Refusal(f"{path} has no function {resource.name}_fields to add the field's test values to.")
    returns = [node for node in ast.walk(function) if isinstance(node, ast.Return)]
    value = returns[0].value if len(returns) == 1 else None
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.BitOr):
        value = value.left
    if not isinstance(value, ast.Dict) or None in value.keys:
        raise Refusal(f"{path}: {resource.name}_fields does not return one dict literal; add the field to it by hand.")
    keys = [key.value for key in value.keys if isinstance(key, ast.Constant) and isinstance(key.value, str)]
    return value, keys


def _add_length_constant(source: str, field: FieldSpec, path: str) -> str:
    """`<FIELD>_MAX_LENGTH = N` after the module's last such constant, or else before its first class."""
    body = ast.parse(source).body
    constants = [node for node in body if isinstance(node, ast.Assign) and _name(node).endswith("_MAX_LENGTH")]
    lines = source.splitlines()
    line = f"{field_code.length_constant(field)} = {field.length}"
    if constants:
        lines.insert(end_line(constants[-1]), line)
        return _joined(lines)
    first_class = next((node for node in body if isinstance(node, ast.ClassDef)), None)
    if first_class is None:
        raise Refusal(f"{path} has no class to place {field_code.length_constant(field)} before.")
    start = min([first_class.lineno, *(decorator.lineno for decorator in first_class.decorator_list)])
    lines[start - 1 : start - 1] = [line, "", ""]
    return _joined(lines)


def _insert_field(
    source: str, found: ast.ClassDef, new_lines: list[str], trailing_names: tuple[str, ...], path: str
) -> str:
    """Before the first of the fields every resource has after its own (and the comments right above it), or
    else after the class's last field: where `flask scaffold` writes the fields of a new resource."""
    fields = [node for node in found.body if _field_name(node)]
    if not fields:
        raise Refusal(f"{path}: class {found.name} declares no field to place {new_lines[-1].split()[0]!r} beside.")
    trailing = [node for node in fields if _field_name(node) in trailing_names]
    lines = source.splitlines()
    if trailing:
        position = trailing[0].lineno - 1
        while position > found.lineno and lines[position - 1].strip().startswith("#"):
            position -= 1
    else:
        position = end_line(fields[-1])
    lines[position:position] = new_lines
    return _joined(lines)


def _insert_after(source: str, node: ast.expr, text: str) -> str:
    """`text` right after the expression `node` ends (in characters, as `ast` counts them)."""
    lines = source.splitlines(keepends=True)
    line = lines[end_line(node) - 1]
    # ast counts columns in UTF-8 bytes.
    column = len(line.encode()[: end_column(node)].decode())
    lines[end_line(node) - 1] = line[:column] + text + line[column:]
    return "".join(lines)


def _replace(source: str, node: ast.expr, text: str) -> str:
    """The expression `node` replaced by `text`."""
    lines = source.splitlines(keepends=True)
    start = sum(map(len, lines[: node.lineno - 1])) + len(lines[node.lineno - 1].encode()[: node.col_offset].decode())
    end = sum(map(len, lines[: end_line(node) - 1]))
    end += len(lines[end_line(node) - 1].encode()[: end_column(node)].decode())
    return source[:start] + text + source[end:]


def _add_imports(source: str, imports: list[str] | tuple[str, ...], path: str) -> str:
    """The imports, placed before the module's first one; ruff then sorts, merges and prunes them."""
    first = next((node for node in ast.parse(source).body if isinstance(node, ast.Import | ast.ImportFrom)), None)
    if first is None:
        raise Refusal(f"{path} has no import statement to add the field's imports beside.")
    lines = source.splitlines()
    lines[first.lineno - 1 : first.lineno - 1] = list(imports)
    return _joined(lines)


def _class(source: str, name: str, path: str) -> ast.ClassDef:
    found = next(
        (node for node in ast.parse(source).body if isinstance(node, ast.ClassDef) and node.name == name), None
    )
    if found is None:
        raise Refusal(f"{path} has no class {name} to add the field to.")
    return found


def _model_class(source: str, resource: Resource, path: str) -> ast.ClassDef:
    """The class whose `__tablename__` is the resource's name."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef):
            for statement in node.body:
                if (
                    _assigns(statement, "__tablename__")
                    and isinstance(statement.value, ast.Constant)
                    and statement.value.value == resource.name
                ):
                    return node
    raise Refusal(f"{path} has no model class with __tablename__ = {resource.name!r} to add the column to.")


def _class_fields(found: ast.ClassDef) -> set[str]:
    return {name for name in map(_field_name, found.body) if name}


def _field_name(node: ast.stmt) -> str | None:
    """The name a class-level `name: T = ...` or `name = ...` declares."""
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        name = node.targets[0].id
        return None if name.startswith("__") else name
    return None


def _assigns(node: ast.stmt, name: str) -> TypeGuard[ast.Assign]:
    return isinstance(node, ast.Assign) and any(
        isinstance(target, ast.Name) and target.id == name for target in node.targets
    )


def _name(node: ast.Assign) -> str:
    return node.targets[0].id if isinstance(node.targets[0], ast.Name) else ""


def _joined(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"
