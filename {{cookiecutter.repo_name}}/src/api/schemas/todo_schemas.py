"""Schemas of todos: one for bodies and answers; PATCH and the query string derive from it."""

from marshmallow import Schema, fields

from src.domain.todo import DESCRIPTION_MAX_LENGTH, TITLE_MAX_LENGTH
from src.plumbing.api import StrictBoolean, Text, list_query
from src.services.todo_service import TodoFilters


class TodoSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = Text(required=True, max_length=TITLE_MAX_LENGTH, not_blank=True)
    description = Text(max_length=DESCRIPTION_MAX_LENGTH)
    completed = StrictBoolean()
    created_at = fields.AwareDateTime(dump_only=True, format="iso")
    updated_at = fields.AwareDateTime(dump_only=True, format="iso")


TodoQuerySchema = list_query(TodoSchema, TodoFilters)
