"""`FastDumpSchema` answers exactly what marshmallow's own dump answers, for every kind of field and object."""

import unittest
from dataclasses import dataclass
from datetime import UTC, datetime
from types import SimpleNamespace

from marshmallow import Schema, fields, post_dump, pre_dump

from src.api.schemas.fast_dump import FastDumpSchema
from src.api.schemas.service_context_schemas import ServiceContextSchema
from src.api.schemas.todo_schemas import TodoSchema
from src.domain.service_context import ServiceContext
from src.domain.todo import Todo

NOW = datetime(2026, 11, 21, 12, 30, 5, 123456, tzinfo=UTC)


def marshmallows_own(schema_class: type[Schema]) -> type[Schema]:
    """The same schema, dumped by marshmallow's unmodified `_serialize`."""
    return type(f"Plain{schema_class.__name__}", (schema_class,), {"_serialize": Schema._serialize})


class EveryKindOfField(FastDumpSchema):
    plain = fields.Integer()
    renamed = fields.String(data_key="outside")
    from_attribute = fields.String(attribute="source")
    dotted = fields.Integer(attribute="inner.value")
    defaulted = fields.String(dump_default="fallback")
    computed = fields.Method("shout")
    function = fields.Function(lambda obj: "function")
    nested = fields.Nested(TodoSchema, allow_none=True)
    listed = fields.List(fields.Integer())
    when = fields.AwareDateTime(format="iso", allow_none=True)

    def shout(self, obj) -> str:
        return str(getattr(obj, "plain", "")).upper()


class WithHooks(FastDumpSchema):
    value = fields.Integer()

    @pre_dump
    def double(self, obj, **kwargs):
        return SimpleNamespace(value=obj.value * 2)

    @post_dump
    def tag(self, data, **kwargs):
        return {**data, "tagged": True}


@dataclass
class Holder:
    value: int


class FastDumpTest(unittest.TestCase):
    def assertSameDump(self, schema_class: type[Schema], obj, **schema_options) -> None:
        expected = marshmallows_own(schema_class)(**schema_options).dump(obj)
        self.assertEqual(schema_class(**schema_options).dump(obj), expected)

    def test_todos_and_pages_of_todos(self):
        todo = Todo(title="Write", description="it", completed=True, id=7, version=3, created_at=NOW, updated_at=NOW)
        self.assertSameDump(TodoSchema, todo)
        self.assertSameDump(TodoSchema, [todo, Todo(title="new")], many=True)
        self.assertSameDump(TodoSchema, [], many=True)
        self.assertSameDump(TodoSchema, todo, only=("id", "title"))

    def test_service_context_with_and_without_values(self):
        self.assertSameDump(ServiceContextSchema, ServiceContext())
        self.assertSameDump(ServiceContextSchema, ServiceContext(maintenance=True, message="Back soon", updated_at=NOW))

    def test_every_kind_of_field(self):
        full = SimpleNamespace(
            plain=5,
            renamed="r",
            source="s",
            inner=SimpleNamespace(value=9),
            defaulted="d",
            nested=Todo(title="nested", id=1),
            listed=[1, 2],
            when=NOW,
        )
        self.assertSameDump(EveryKindOfField, full)
        self.assertSameDump(EveryKindOfField, SimpleNamespace(plain=None, inner=None, nested=None, when=None))

    def test_mappings_and_none(self):
        self.assertSameDump(EveryKindOfField, {"plain": 1, "renamed": "r", "source": "s", "listed": []})
        self.assertSameDump(TodoSchema, None)

    def test_dump_hooks_still_run(self):
        self.assertEqual(WithHooks().dump(Holder(2)), {"value": 4, "tagged": True})
        self.assertSameDump(WithHooks, [Holder(1), Holder(2)], many=True)
