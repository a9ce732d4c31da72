"""Injection into views: every id checked when the app starts, each view injected once, nothing built for a refusal.

Web workers (`wsgi.py`, `create_app(cli=False)`) import no CLI command, no scaffold and no Alembic.
"""

import json
import os
import subprocess
import sys
import unittest
from contextlib import contextmanager
from pathlib import Path

from dependency_injector import providers
from dependency_injector.wiring import Provide
{%- if cookiecutter.auth == "jwt" %}
from flask.testing import FlaskClient
{%- endif %}
from flask.views import MethodView

from src.config import load_config
from src.dependency_container import DependencyContainer
from src.infrastructure.repositories import SQLTodoRepository
from src.plumbing.api import Blueprint
from src.plumbing.application import create_service_app
from src.plumbing.settings import ConfigurationError
from tests.resources.app_test_base import AppTestBase
{%- if cookiecutter.auth == "jwt" %}
from tests.resources.tokens import bearer, signed
{%- endif %}

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# What only the flask commands need: a web worker that imports one of these pays for it on every start.
COMMAND_LINE_ONLY = ("src.plumbing.cli", "src.plumbing.scaffold", "alembic", "flask_migrate")
{%- if cookiecutter.auth == "jwt" %}
READ_ONLY = bearer(signed(scope="todo:read"))
{%- endif %}

misspelt = Blueprint("misspelt", __name__, url_prefix="/v1/misspelt")


@misspelt.route("")
class Misspelt(MethodView):
    @misspelt.operation()
    def get(self, todo_service=Provide["todo_servise"]):
        """Never served: the app refuses to start."""
        return {}


class CountingRepository(SQLTodoRepository):
    """Todo's repository, noting each time one is built."""

    def __init__(self, session, built: list[str]) -> None:
        built.append("repository")
        super().__init__(session)


class InjectionTest(AppTestBase):
    def setUp(self) -> None:
        self.setup_database()

    @contextmanager
    def repositories_built(self):
        """The repositories built while the block runs (todo's service builds one with each of its units of work)."""
        built: list[str] = []
        container = self.app.container
        with container.todo_repository.override(
            providers.Factory(CountingRepository, session=container.session, built=built)
        ):
            yield built

    def test_a_served_request_builds_its_service_once(self):
        with self.repositories_built() as built:
            self.assert200(self.client.get("/v1/todo"))

        self.assertEqual(built, ["repository"])

    def test_a_body_refused_with_422_builds_nothing(self):
        with self.repositories_built() as built:
            self.assertStatus(self.client.post("/v1/todo", json={"title": 12}), 422)

        self.assertEqual(built, [])
{%- if cookiecutter.auth == "jwt" %}

    def test_a_request_refused_by_authentication_builds_nothing(self):
        anonymous = FlaskClient(self.app)
        with self.repositories_built() as built:
            self.assertStatus(anonymous.get("/v1/todo"), 401)
            self.assertStatus(anonymous.post("/v1/todo", json={"title": "x"}, headers=READ_ONLY), 403)

        self.assertEqual(built, [])
{%- endif %}

    def test_a_misspelt_id_stops_the_app_from_starting_naming_the_view_and_the_id(self):
        config = load_config(self.app_environment())

        with self.assertRaises(ConfigurationError) as raised:
            create_service_app(__name__, config, DependencyContainer(), [misspelt], cli=False)

        self.assertIn("Misspelt.get asks for Provide['todo_servise']", str(raised.exception))


def imported_modules(script: str) -> set[str]:
    """The modules a fresh Python process has imported after running `script` in the project."""
    environment = {
        **{key: value for key, value in os.environ.items() if not key.startswith(("OTEL_", "PROMETHEUS_"))},
        "APP_ENV": "testing",
        "SECRET_KEY": "x",
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "LOG_LEVEL": "WARNING",
    }
    completed = subprocess.run(
        [sys.executable, "-c", f"{script}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return set(json.loads(completed.stdout.splitlines()[-1]))


def command_line_only(modules: set[str]) -> list[str]:
    return sorted(name for name in modules if name.startswith(COMMAND_LINE_ONLY))


class WebWorkerImportsTest(unittest.TestCase):
    def test_web_workers_import_no_command_scaffold_or_alembic(self):
        for script in ("import wsgi", "from src.create_app import create_app\ncreate_app(cli=False)"):
            with self.subTest(script=script):
                self.assertEqual(command_line_only(imported_modules(script)), [])

    def test_the_flask_command_imports_them(self):
        modules = imported_modules("from src.create_app import create_app\ncreate_app(cli=True)")

        for prefix in COMMAND_LINE_ONLY:
            self.assertTrue(any(name.startswith(prefix) for name in modules), prefix)
