"""The fields of `flask scaffold`, parsed from `name:type[:modifier...]`."""

import keyword
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from src.plumbing.scaffold.refusal import Refusal

SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")
INTEGER_RANGE = (-(2**31), 2**31 - 1)
TYPES = ("str", "text", "int", "bool", "decimal", "date", "datetime", "uuid", "ref")
MODIFIERS = ("unique", "optional", "index", "readonly", "default=VALUE")
# Parameters of methods, which no argument may be named after.
RESERVED_NAMES = frozenset({"self", "cls"})
# Taken by every resource or its list query string, by the classes a field becomes an attribute of (the entity's
# `Entity`, the model's `ModelExtension` and SQLAlchemy's declarative base: `repr` would replace the method the
# model's `__repr__` calls), or by names those class bodies use after the field is declared (types, helpers).
RESERVED_FIELDS = RESERVED_NAMES | frozenset(
    {"id", "version", "created_at", "updated_at", "page", "per_page", "itemized"}
    | {"validate", "check_version", "metadata", "query", "query_class", "registry", "repr"}
    | {"fields", "opts", "load", "dump", "context"}
    | {"str", "int", "bool", "date", "datetime", "text", "mapped_column", "utc_now"}
)


@dataclass(frozen=True)
class FieldSpec:
    """One field of a resource: its name on the entity, in the table and in JSON, its type and modifiers."""

    name: str
    kind: str
    length: int | None = None
    precision: int | None = None
    scale: int | None = None
    target: str | None = None
    unique: bool = False
    optional: bool = False
    index: bool = False
    readonly: bool = False
    default: object = None

    @property
    def words(self) -> str:
        return self.name.replace("_", " ")

    @property
    def required(self) -> bool:
        return not self.optional and self.default is None

    @property
    def filterable(self) -> bool:
        return self.unique or self.index or self.kind == "ref"


def check_name(name: str, what: str) -> None:
    """Snake case, not a Python keyword, and not a name the generated methods use for themselves."""
    if not SNAKE_CASE.fullmatch(name) or keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise Refusal(f"{what} {name!r} is not a snake_case Python identifier such as 'due_date'.")
    if name in RESERVED_NAMES:
        raise Refusal(f"{what} {name!r} is reserved: methods use it for themselves.")


def parse_field(text: str) -> FieldSpec:
    name, _, rest = text.partition(":")
    parts = rest.split(":") if rest else []
    if not parts:
        raise Refusal(f"Field {text!r} has no type: write name:type, one of {', '.join(TYPES)}.")
    check_name(name, "Field name")
    kind, parts = parts[0], parts[1:]
    if kind not in TYPES:
        raise Refusal(f"Field {name!r} has the unknown type {kind!r}; known types: {', '.join(TYPES)}.")
    spec: dict[str, Any] = {"name": name, "kind": kind}
    parts = _type_arguments(spec, parts, text)
    for modifier in parts:
        _apply_modifier(spec, modifier, text)
    field = FieldSpec(**spec)
    if field.name in RESERVED_FIELDS:
        raise Refusal(f"Field name {field.name!r} is reserved: every resource has it or uses it already.")
    if field.kind == "bool" and field.unique:
        raise Refusal(f"Field {name!r}: a unique bool allows two rows at most; leave out 'unique'.")
    if field.readonly:
        _check_readonly(field, text)
    return field


def _check_readonly(field: FieldSpec, text: str) -> None:
    """A read-only field is in answers but in no body: creations give it its default, and only actions change it."""
    if field.required:
        raise Refusal(f"Field {text!r}: a readonly field needs default=VALUE or optional, since no body sets it.")
    if field.unique or field.kind == "ref":
        raise Refusal(f"Field {text!r}: a readonly field cannot be unique or a ref; every new row would share it.")


def _type_arguments(spec: dict[str, Any], parts: list[str], text: str) -> list[str]:
    """`str:N`, `decimal:P.S` and `ref:OTHER` take an argument; the other types none."""
    kind = spec["kind"]
    if kind not in ("str", "decimal", "ref"):
        return parts
    argument = parts[0] if parts else ""
    if kind == "str":
        if not argument.isdigit() or not 1 <= int(argument) <= 10_000:
            raise Refusal(f"Field {text!r}: str needs a maximum length from 1 to 10000, as in name:str:100.")
        spec["length"] = int(argument)
    elif kind == "decimal":
        match = re.fullmatch(r"([0-9]+)\.([0-9]+)", argument)
        if not match or not 1 <= int(match[1]) <= 38 or int(match[2]) > int(match[1]):
            raise Refusal(f"Field {text!r}: decimal needs P.S (1 <= P <= 38, S <= P), as in decimal:12.2.")
        spec["precision"], spec["scale"] = int(match[1]), int(match[2])
    else:
        check_name(argument, "Referenced resource")
        spec["target"], spec["name"] = argument, f"{argument}_id"
    return parts[1:]


def _apply_modifier(spec: dict[str, Any], modifier: str, text: str) -> None:
    if modifier in ("unique", "optional", "index", "readonly"):
        spec[modifier] = True
        return
    if modifier.startswith("default="):
        spec["default"] = _default_value(spec, modifier.removeprefix("default="), text)
        return
    raise Refusal(f"Field {text!r} has the unknown modifier {modifier!r}; known: {', '.join(MODIFIERS)}.")


def _default_value(spec: dict[str, Any], value: str, text: str) -> object:
    """The default as a Python value of the field's type, checked against the field's limits."""
    kind = spec["kind"]
    try:
        if kind in ("str", "text"):
            if spec.get("length") is not None and len(value) > spec["length"]:
                raise ValueError
            return value
        if kind == "int" and re.fullmatch(r"-?[0-9]+", value):
            number = int(value)
            if INTEGER_RANGE[0] <= number <= INTEGER_RANGE[1]:
                return number
        if kind == "bool" and value in ("true", "false"):
            return value == "true"
        if kind == "decimal":
            return _decimal_default(value, spec["precision"], spec["scale"])
        if kind == "date":
            return date.fromisoformat(value)
    except (ValueError, InvalidOperation):
        pass
    if kind in ("datetime", "uuid", "ref"):
        raise Refusal(f"Field {text!r}: a {kind} field takes no default.")
    raise Refusal(f"Field {text!r}: {value!r} is not a valid default for this field.")


def _decimal_default(value: str, precision: int, scale: int) -> Decimal:
    number = Decimal(value)
    exponent = number.as_tuple().exponent  # a letter for an infinity or a NaN, which no column holds
    if not isinstance(exponent, int) or exponent < -scale or abs(number) >= 10 ** (precision - scale):
        raise ValueError
    return number.quantize(Decimal(1).scaleb(-scale))
