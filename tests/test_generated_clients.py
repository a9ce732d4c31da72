"""Clients generated from a fresh bake's openapi.json run the Todo flow against the live service.

The same flow runs for the `project` resource that the README's `flask scaffold` makes: the
programs, with the names of its fields put in (`RENAMES`).

openapi-python-client, and openapi-typescript with openapi-fetch, generate them from the committed
document. The programs in tests/clients use only the generated code; they must pass
`mypy --strict` and `tsc --noEmit --strict` before they run. Redocly's recommended rules, less
those the baked redocly.yaml switches off with a reason, find nothing in the document.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TEMPLATE, free_port, missing, wait_for_json
from test_gunicorn import start_gunicorn, stop
from test_migrations import database_for, flask_ok
from test_scaffold_command import run_scaffold_commands

CLIENTS = Path(__file__).parent / "clients"
JWT = re.compile(r"[\w-]+\.[\w-]+\.[\w-]+")
NPM_TOOLS = TEMPLATE / ".ci" / "npm" / "node_modules"
# The 401 of the flow comes from the maintenance switch, which needs a token of its own.
MAINTENANCE_TOKEN = "maintenance-token-for-the-client-flow-0123456789"
# The generated modules are the generator's code: only the programs are held to --strict.
MYPY_CONFIG = "[mypy]\nstrict = True\n\n[mypy-service_client.*]\nignore_errors = True\n"
# Todo's names in the programs, and those of the README's first scaffolded resource:
# `flask scaffold project name:str:100:unique archived:bool:default=false`.
RENAMES = (
    ("Todos", "Projects"),
    ("Todo", "Project"),
    ("todos", "projects"),
    ("todo", "project"),
    ("title", "name"),
    ("completed", "archived"),
)
TSCONFIG = {
    "compilerOptions": {
        "strict": True,
        "target": "es2022",
        "module": "nodenext",
        "moduleResolution": "nodenext",
        "lib": ["es2022", "dom"],
        "types": ["node"],
        "outDir": "out",
    },
    "files": ["todo_flow.ts"],
}


def npm_tool(name):
    """A tool .ci/run installs from .ci/npm/package-lock.json; missing: fails under CI=true."""
    path = NPM_TOOLS / ".bin" / name
    if not path.exists():
        missing(f"{path} is missing (npm ci --prefix .ci/npm)", "lint and generate clients")
    return path


def run(command, cwd, timeout=300):
    """`command` with this Python's tools first on the PATH (openapi-python-client runs ruff)."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    environ = {**os.environ, "PATH": path}
    completed = subprocess.run(
        command, cwd=cwd, env=environ, capture_output=True, text=True, timeout=timeout
    )
    assert completed.returncode == 0, (
        f"{' '.join(map(str, command))}\n{completed.stdout}{completed.stderr}"
    )
    return completed.stdout


@pytest.fixture(
    scope="module", params=[("jwt", "todo"), ("none", "todo"), ("jwt", "project")], ids=str
)
def service(request, cookies_session, template_dir):
    """A fresh bake with this `auth`, served by gunicorn on PostgreSQL, and the flow to run there:
    (project, URL, token, the flow's name)."""
    auth, resource = request.param
    result = cookies_session.bake(template=str(template_dir), extra_context={"auth": auth})
    assert result.exception is None, result.exception
    project = Path(result.project_path)
    if resource != "todo":
        run_scaffold_commands(project)
    with database_for("postgresql", project) as database:
        flask_ok(project, database, "db", "upgrade")
        token = "no token needed"
        if auth == "jwt":
            scopes = ("--scope", f"{resource}:read", "--scope", f"{resource}:write")
            issued = flask_ok(project, database, "issue_token", "--subject", "alice", *scopes)
            token = JWT.search(issued).group(0)
        port = free_port()
        server = start_gunicorn(
            project,
            "-b",
            f"127.0.0.1:{port}",
            "--workers=1",
            SQLALCHEMY_DATABASE_URI=database.url,
            MAINTENANCE_TOKEN=MAINTENANCE_TOKEN,
        )
        try:
            wait_for_json(f"http://127.0.0.1:{port}/health/ready", server)
            yield project, f"http://127.0.0.1:{port}", token, resource
        finally:
            stop(server)


def test_redocly_finds_no_error_and_no_warning(service):
    project, _, _, _ = service

    linted = subprocess.run(
        [npm_tool("redocly"), "lint", "openapi.json", "--format=json"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert json.loads(linted.stdout)["totals"] == {"errors": 0, "warnings": 0, "ignored": 0}


def flow(name, resource):
    """A program of tests/clients for `resource`: Todo's, or renamed for the scaffolded one."""
    text = (CLIENTS / name).read_text(encoding="utf-8")
    if resource == "todo":
        return text
    for todo_name, project_name in RENAMES:
        text = text.replace(todo_name, project_name)
    return text


def test_the_python_client_runs_the_flow(service, tmp_path):
    project, url, token, resource = service
    generator = Path(sys.executable).parent / "openapi-python-client"
    document = project / "openapi.json"
    run(
        [
            generator,
            "generate",
            "--path",
            document,
            "--output-path",
            "service_client",
            "--meta",
            "none",
        ],
        tmp_path,
    )
    (tmp_path / "todo_flow.py").write_text(flow("todo_flow.py", resource))
    (tmp_path / "mypy.ini").write_text(MYPY_CONFIG)

    run([sys.executable, "-m", "mypy", "--config-file", "mypy.ini", "todo_flow.py"], tmp_path)

    passed = run([sys.executable, "todo_flow.py", url, token], tmp_path)

    assert f"The {resource.capitalize()} flow passed." in passed


def test_the_typescript_client_runs_the_flow(service, tmp_path):
    project, url, token, resource = service
    run([npm_tool("openapi-typescript"), project / "openapi.json", "-o", "schema.d.ts"], tmp_path)
    (tmp_path / "todo_flow.ts").write_text(flow("todo_flow.ts", resource))
    (tmp_path / "tsconfig.json").write_text(json.dumps(TSCONFIG))
    (tmp_path / "package.json").write_text('{"type": "module"}')
    os.symlink(NPM_TOOLS, tmp_path / "node_modules")

    run([npm_tool("tsc"), "--noEmit", "--strict", "-p", "."], tmp_path)
    run([npm_tool("tsc"), "-p", "."], tmp_path)

    passed = run(["node", "out/todo_flow.js", url, token], tmp_path)

    assert f"The {resource.capitalize()} flow passed." in passed
