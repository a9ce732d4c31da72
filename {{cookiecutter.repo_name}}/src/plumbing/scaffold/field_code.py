"""What each field becomes in the generated code: entity, column, migration, schema and test values."""

from datetime import date
from decimal import Decimal

from src.plumbing.scaffold.field_spec import FieldSpec

PYTHON_TYPES = {
    "str": "str",
    "text": "str",
    "int": "int",
    "bool": "bool",
    "decimal": "Decimal",
    "date": "date",
    "datetime": "datetime",
    "uuid": "UUID",
    "ref": "int",
}
COLUMN_TYPES = {
    "text": "Text",
    "int": "Integer",
    "bool": "Boolean",
    "date": "Date",
    "datetime": "UTCDateTime",
    "uuid": "Uuid",
    "ref": "Integer",
}
MIGRATION_TYPES = {
    "text": "sa.Text()",
    "int": "sa.Integer()",
    "bool": "sa.Boolean()",
    "date": "sa.Date()",
    "datetime": "sa.DateTime(timezone=True)",
    "uuid": "sa.Uuid()",
    "ref": "sa.Integer()",
}
SCHEMA_FIELDS = {
    "str": "Text",
    "text": "Text",
    "int": "StrictInteger",
    "bool": "StrictBoolean",
    "decimal": "DecimalString",
    "date": "fields.Date",
    "datetime": "Timestamp",
    "uuid": "fields.UUID",
    "ref": "StrictInteger",
}
# A value of the wrong JSON type for each field, which the API must refuse with 422.
WRONG_JSON = {
    "str": "12",
    "text": "12",
    "int": '"12"',
    "bool": '"yes"',
    "decimal": "12.5",
    "date": '"31/12/2026"',
    "datetime": '"2026-12-31T00:00:00"',
    "uuid": '"not-a-uuid"',
    "ref": '"1"',
}


def literal(value: object) -> str:
    """Python source for a default; strings come out of `repr`, and ruff then gives them the project's quotes."""
    if isinstance(value, Decimal):
        return f'Decimal("{value}")'
    if isinstance(value, date):
        return f"date({value.year}, {value.month}, {value.day})"
    return repr(value)


def length_constant(field: FieldSpec) -> str:
    return f"{field.name.upper()}_MAX_LENGTH"


def entity_annotation(field: FieldSpec) -> str:
    python_type = PYTHON_TYPES[field.kind]
    return f"{python_type} | None" if field.optional else python_type


def filter_annotation(field: FieldSpec) -> str:
    """A filter's type: the field's, or None when the list does not filter on it."""
    return f"{PYTHON_TYPES[field.kind]} | None"


def entity_default(field: FieldSpec) -> str | None:
    """The dataclass default, or None for a required field."""
    if field.default is not None:
        return literal(field.default)
    return "None" if field.optional else None


def column(field: FieldSpec) -> str:
    if field.kind == "str":
        arguments = [f"String({length_constant(field)})"]
    elif field.kind == "decimal":
        arguments = [f"Numeric({field.precision}, {field.scale})"]
    else:
        arguments = [COLUMN_TYPES[field.kind]]
    if field.kind == "ref":
        arguments.append(f'ForeignKey("{field.target}.id")')
    if field.unique:
        arguments.append("unique=True")
    elif field.filterable:
        arguments.append("index=True")
    if field.default is not None:
        arguments.append(f"default={literal(field.default)}")
    if field.kind == "bool" and field.default is not None:
        arguments.append(f'server_default=text("{str(field.default).lower()}")')
    return f"mapped_column({', '.join(arguments)})"


def migration_column(field: FieldSpec) -> str:
    if field.kind == "str":
        column_type = f"sa.String(length={field.length})"
    elif field.kind == "decimal":
        column_type = f"sa.Numeric(precision={field.precision}, scale={field.scale})"
    else:
        column_type = MIGRATION_TYPES[field.kind]
    server_default = ""
    if field.kind == "bool" and field.default is not None:
        server_default = f', server_default=sa.text("{str(field.default).lower()}")'
    return f'sa.Column("{field.name}", {column_type}{server_default}, nullable={field.optional})'


def schema_imports(fields: tuple[FieldSpec, ...]) -> list[str]:
    """What a schemas module takes from `src.plumbing.api`: the fields and ranges it uses, and `list_query`."""
    # marshmallow's own fields (`fields.Date`) come from marshmallow.
    names = {SCHEMA_FIELDS[field.kind] for field in fields if not SCHEMA_FIELDS[field.kind].startswith("fields.")}
    names |= {"INTEGER_RANGE" for field in fields if field.kind == "int"}
    names |= {"ID_RANGE" for field in fields if field.kind == "ref"}
    return [*sorted(names), "list_query"]


def schema_field(field: FieldSpec, not_blank: bool = False) -> str:
    arguments = []
    if field.readonly:
        arguments.append("dump_only=True")
    if field.required:
        arguments.append("required=True")
    if field.optional:
        arguments.append("allow_none=True")
    if field.kind == "str":
        arguments.append(f"max_length={length_constant(field)}")
    if not_blank:
        arguments.append("not_blank=True")
    if field.kind == "decimal":
        arguments += [f"precision={field.precision}", f"scale={field.scale}"]
    if field.kind == "int":
        arguments.append("validate=INTEGER_RANGE")
    if field.kind == "ref":
        arguments.append("validate=ID_RANGE")
    return f"{SCHEMA_FIELDS[field.kind]}({', '.join(arguments)})"


def sample(field: FieldSpec) -> str:
    """A valid value, different for each `number`, in the types the entity holds."""
    # Parsing gives every str field its length and every decimal its precision.
    if field.kind == "str" and field.length is not None:
        text = f'f"{field.words} {{number}}"' if field.length >= len(field.words) + 7 else None
        return text or f"str(number % {10 ** min(field.length, 6)})"
    if field.kind == "decimal" and field.precision is not None:
        whole = f"Decimal(number % {10**field.precision})"
        return f"{whole}.scaleb(-{field.scale})" if field.scale else whole
    return {
        "text": f'f"{field.words} {{number}}"',
        "int": "number",
        "bool": "number % 2 == 0",
        "date": "date.today() + timedelta(days=number)",
        "datetime": "datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=number)",
        "uuid": "UUID(int=number)",
        "ref": field.name,
    }[field.kind]
