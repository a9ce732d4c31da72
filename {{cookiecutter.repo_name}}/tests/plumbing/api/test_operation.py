"""`Blueprint.operation` refuses declarations it cannot honour, at import time rather than on a request."""

import unittest

from flask.views import MethodView

from src.api.schemas.todo_schemas import TodoQuerySchema, TodoSchema
from src.plumbing.api import Blueprint


class OperationDeclarationTest(unittest.TestCase):
    def setUp(self) -> None:
        self.blueprint = Blueprint("declared", __name__, url_prefix="/v1/declared")

    def test_a_conditional_change_must_take_the_expected_version(self):
        with self.assertRaisesRegex(TypeError, "expected_version"):

            class Forgetful(MethodView):
                @self.blueprint.operation(body=TodoSchema(partial=True), response=TodoSchema, conditional=True)
                def patch(self, changes, item_id): ...

    def test_an_action_that_needs_if_match_must_take_the_expected_version(self):
        with self.assertRaisesRegex(TypeError, "expected_version"):

            class Forgetful(MethodView):
                @self.blueprint.operation(response=TodoSchema, if_match=True)
                def post(self, item_id): ...

    def test_a_read_cannot_need_if_match(self):
        with self.assertRaisesRegex(TypeError, "read"):

            class Reading(MethodView):
                @self.blueprint.operation(response=TodoSchema, if_match=True)
                def get(self, item_id, expected_version): ...

    def test_an_error_status_without_a_documented_answer_is_refused(self):
        with self.assertRaisesRegex(ValueError, "418"):

            class Teapot(MethodView):
                @self.blueprint.operation(response=TodoSchema, errors=[418])
                def get(self): ...

    def test_a_conditional_operation_takes_no_query_string(self):
        with self.assertRaisesRegex(TypeError, "query string"):

            class Listing(MethodView):
                @self.blueprint.operation(query=TodoQuerySchema, response=TodoSchema(many=True), conditional=True)
                def get(self, query): ...
