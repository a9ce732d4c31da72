"""Schemathesis generates requests for every documented operation; every answer must match the document.

Each test runs twice: in process, and over a socket to the service under gunicorn, whose own refusals
(tests/api/test_protocol_limits.py) a generated request must not run into.
"""

{% if cookiecutter.auth == "jwt" -%}
import re
{% endif -%}
import secrets

import pytest
import schemathesis
from flask import Flask
{%- if cookiecutter.auth == "jwt" %}
from flask.testing import FlaskClient
{%- endif %}
from hypothesis import HealthCheck, settings
from sqlalchemy import text

from src.create_app import create_app
from src.infrastructure.models import TodoModel
from src.plumbing.infrastructure.databases import sqlalchemy_db
from tests.plumbing.api.contract_checks import contract_config
from tests.resources.app_test_base import TEST_ENVIRONMENT, build_app, delete_all_rows, wire
from tests.resources.database import run_database_url
from tests.resources.gunicorn_server import gunicorn_url
{%- if cookiecutter.auth == "jwt" %}
from tests.resources.tokens import bearer, declared_scopes, signed
{%- endif %}

EXAMPLES_PER_OPERATION = 50
# A token the generator never learns, so no generated request can switch maintenance on halfway through.
CONTRACT_ENVIRONMENT = {**TEST_ENVIRONMENT, "MAINTENANCE_TOKEN": secrets.token_urlsafe(32)}


# The document is built without a database, so collecting the tests needs none.
DOCUMENTING_APP = create_app(environ={**CONTRACT_ENVIRONMENT, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
DOCUMENT = DOCUMENTING_APP.test_client().get("/openapi.json").json

CONFIG = contract_config(DOCUMENT)
# Loaded from the app, so that the checks which send a request again (e.g. without its token) reach an app too;
# each test passes the app to call, the one with this run's database.
IN_PROCESS = schemathesis.openapi.from_wsgi("/openapi.json", DOCUMENTING_APP, config=CONFIG)
# The same document, its requests sent over a socket to the service under gunicorn.
OVER_HTTP = schemathesis.openapi.from_dict(DOCUMENT, config=CONFIG)
{%- if cookiecutter.auth == "jwt" %}


class EveryDeclaredScope:
    """Generated requests carry a token with every declared scope, so they reach validation and the database.

    Schemathesis' `ignored_auth` check sends a request again without it and with a wrong one, expecting 401.
    """

    token = signed(scope=" ".join(declared_scopes(DOCUMENTING_APP)))

    def get(self, case, context) -> str:
        return self.token

    def set(self, case, token, context) -> None:
        case.headers = {**(case.headers or {}), **bearer(token)}


for loaded in (IN_PROCESS, OVER_HTTP):
    loaded.auth()(EveryDeclaredScope)
{%- endif %}

GENERATION = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
)


@pytest.fixture
def service() -> Flask:
    app = build_app({**CONTRACT_ENVIRONMENT, "SQLALCHEMY_DATABASE_URI": run_database_url()})
    wire(app)
    with app.app_context():
        delete_all_rows()
        seed_todos(app)
    return app


def seed_todos(app: Flask) -> None:
    """Todos 1 to 3 exist, so generated ids, which favour small numbers, also find a todo."""
    with sqlalchemy_db.engine.begin() as connection:
        connection.execute(text(f'TRUNCATE TABLE "{TodoModel.__tablename__}" RESTART IDENTITY CASCADE'))
    for number in range(1, 4):
        app.container.todo_service().create({"title": f"seeded {number}"})


@IN_PROCESS.parametrize()
@GENERATION
def test_every_answer_matches_the_document(case, service):
    case.call_and_validate(app=service)


@OVER_HTTP.parametrize()
@GENERATION
def test_every_answer_under_gunicorn_matches_the_document(case, service):
    case.call_and_validate(base_url=gunicorn_url())


@pytest.mark.parametrize("transport", ["in-process", "gunicorn"])
def test_linked_calls_keep_their_promises(service, transport):
    """Follow the documented links (create, read, change with the ETag, delete) through generated scenarios."""
    loaded, call = (
        (OVER_HTTP, {"base_url": gunicorn_url()}) if transport == "gunicorn" else (IN_PROCESS, {"app": service})
    )

    class LinkedCalls(loaded.as_state_machine()):
        def setup(self):
            # Every scenario starts from empty tables, so no scenario depends on rows another one left.
            with service.app_context():
                delete_all_rows()

        def get_call_kwargs(self, case):
            return call

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
{%- if cookiecutter.auth == "jwt" %}


def test_every_operation_that_declares_security_answers_401_without_a_token(service):
    anonymous = FlaskClient(service)
    secured = [
        (method, re.sub(r"\{[^}]+\}", "1", path))
        for path, item in DOCUMENT["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and operation.get("security")
    ]
    assert len(secured) >= 6, secured

    for method, path in secured:
        # A JSON body, as a client would send to an operation that takes one: still 401, before any check of it.
        response = anonymous.open(path, method=method.upper(), json={})
        assert response.status_code == 401, (method, path, response.status_code)
        assert response.headers["WWW-Authenticate"].startswith("Bearer"), (method, path)
        assert response.json["code"] == 401
{%- endif %}
