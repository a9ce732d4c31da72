"""Schemathesis generates requests for every documented operation; every answer must match the document.

Each test runs twice: in process, and over a socket to the service under gunicorn, whose own refusals
(tests/api/test_protocol_limits.py) a generated request must not run into.
"""

import secrets

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from sqlalchemy import text

from src.create_app import create_app
from src.infrastructure.databases import sqlalchemy_db
from src.infrastructure.models import TodoModel
from tests.resources.app_test_base import TEST_ENVIRONMENT, build_app, delete_all_rows, wire
from tests.resources.database import run_database_url
from tests.resources.gunicorn_server import gunicorn_url

EXAMPLES_PER_OPERATION = 50
# A token the generator never learns, so no generated request can switch maintenance on halfway through.
CONTRACT_ENVIRONMENT = {**TEST_ENVIRONMENT, "MAINTENANCE_TOKEN": secrets.token_urlsafe(32)}
CHECKS = {
    # 428 Precondition Required (RFC 6585) is the precise answer to a write that omits the required If-Match.
    "missing_required_header": {"expected-statuses": [400, 401, 403, 406, 415, 422, 428]},
    # A generated ETag is well-formed but cannot be the current one, so 412 is the right answer to it.
    "positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", 401, 403, 404, 409, 412, 429, "5xx"]},
    # An If-Match outside RFC 9110's syntax is still read as a tag, and it names no current version either.
    "negative_data_rejection": {"expected-statuses": [400, 401, 403, 404, 405, 406, 409, 412, 415, 422, 428, 429]},
}


def openapi_document() -> dict:
    """The document is built without a database, so collecting the tests needs none."""
    app = create_app(environ={**CONTRACT_ENVIRONMENT, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return app.test_client().get("/openapi.json").json


schema = schemathesis.openapi.from_dict(openapi_document(), config=schemathesis.Config.from_dict({"checks": CHECKS}))


@pytest.fixture
def service() -> Flask:
    app = build_app({**CONTRACT_ENVIRONMENT, "SQLALCHEMY_DATABASE_URI": run_database_url()})
    wire(app)
    with app.app_context():
        delete_all_rows()
        seed_todos(app)
    return app


@pytest.fixture(params=["in-process", "gunicorn"])
def transport(request, service: Flask) -> dict:
    """How schemathesis sends a generated request: to the app in this process, or to gunicorn's socket."""
    return {"base_url": gunicorn_url()} if request.param == "gunicorn" else {"app": service}


def seed_todos(app: Flask) -> None:
    """Todos 1 to 3 exist, so generated ids, which favour small numbers, also find a todo."""
    with sqlalchemy_db.engine.begin() as connection:
        connection.execute(text(f'TRUNCATE TABLE "{TodoModel.__tablename__}" RESTART IDENTITY CASCADE'))
    for number in range(1, 4):
        app.container.todo_service().create({"title": f"seeded {number}"})


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
)
def test_every_answer_matches_the_document(case, transport):
    case.call_and_validate(**transport)


def test_linked_calls_keep_their_promises(service, transport):
    """Follow the documented links (create, read, change with the ETag, delete) through generated scenarios."""

    class LinkedCalls(schema.as_state_machine()):
        def setup(self):
            # Every scenario starts from empty tables, so no scenario depends on rows another one left.
            with service.app_context():
                delete_all_rows()

        def get_call_kwargs(self, case):
            return transport

    LinkedCalls.run(
        settings=settings(
            max_examples=20,
            stateful_step_count=10,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
