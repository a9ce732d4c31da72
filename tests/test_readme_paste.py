"""The baked README's bash blocks, pasted in order as a reader would: each one succeeds.

A reader works in one shell and keeps the server running in another. The test does the same: every
block runs in a fresh `bash` that starts from the environment the previous block left (so what a
block exports stays set), with `set -e -o pipefail`, in the baked project. A block that starts the
server (`uv run flask run`, `uv run gunicorn ...`) is started in the background instead, after the
server before it has been stopped, and waited for on its probe.

What the test changes, and why, is listed here and nowhere else:

* Port 7000 becomes a free port on 127.0.0.1, in the server commands and in the URLs, and servers
  get it in FLASK_RUN_HOST/FLASK_RUN_PORT and GUNICORN_BIND too.
* `./scripts/run_postgres.sh` starts PostgreSQL in Docker; the test creates a database on the server
  of TEST_DATABASE_URL instead and writes its URL into `.env`, which is what the script does.
* curl reads a `.curlrc` with `fail-with-body`, so an answer of 400 or more fails its block, except
  the last command of a block whose next sentence says "The last command answers <status>".
* Blocks that need a Docker engine (`docker ...`, and the suite run through testcontainers) and the
  blocks of "Update from the template" (they need the project in git, created or linked by cruft)
  are not run here: tests/test_deploy_files.py, tests/test_testcontainers_suite.py,
  tests/test_cruft_bake.py and tests/test_cruft_update.py run them.
* Option sets that change only the license, or that repeat a default answer, bake the same README
  blocks as the defaults (a test below checks it): they are not pasted again.
* The shell has the caller's PATH without the template's virtual environment, so the project's own
  `.venv`, made by the README's `uv sync`, is what runs; uv stays reachable (from a folder of its
  own when it is installed in that virtual environment), and the caller's settings for uv and its
  downloads (UV_*, SSL_CERT_FILE, proxies) reach every block. UV_PYTHON_DOWNLOADS=never, as in the
  other template tests: uv uses a Python of the machine.
* The set-up's other way, pip without uv, is not run: tests/test_dependencies.py runs it.
* The README's example TEST_DATABASE_URL becomes the test's, and its TEST_BROKER_URL (worker=y) the
  caller's TEST_BROKER_URL when that is set. The two commands that run the whole suite take minutes,
  so they run in the default option set only; tests/test_generated_suite.py runs the suite in other
  option sets.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from conftest import default_answers, free_port, postgres_server_url, wait_for_json
from psycopg2 import sql
from sqlalchemy.engine import make_url
from test_bake import OPTIONS_ONE_AT_A_TIME, option_id

FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.M | re.S)
HEADING = re.compile(r"^## (.+)$", re.M)
SERVER_COMMAND = re.compile(r"^((uv run )?(flask run|gunicorn )|make run)")
PORT_7000 = re.compile(r"\b(localhost|0\.0\.0\.0|127\.0\.0\.1):7000\b")
README_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
README_BROKER_URL = "amqp://guest:guest@127.0.0.1:5672/"
EXPECTED_STATUS = re.compile(r"^\s*The last command answers (\d{3})")
RESTART = "Restart the server"
RUN_POSTGRES = "./scripts/run_postgres.sh"
NOT_RUN_SECTIONS = {
    "Update from the template": "needs the project in git, created or linked by cruft",
}
SUITE_COMMAND = re.compile(r"(uv run )?(python -m )?(pytest|unittest)\b")
PIP_INSTALL = "pip install ."
CURL_EXIT_HTTP_ERROR = 22
BLOCK_TIMEOUT_SECONDS = 900
STARTUP_SECONDS = 60
# Settings of the caller that would decide for the project; its .env and .flaskenv decide instead.
CALLER_SETTINGS = ("GUNICORN_", "SERVICE_PREFIX", "SQLALCHEMY_", "APP_ENV", "FLASK_", "TEST_")
DEFAULTS = default_answers()


def same_blocks_as_the_defaults(option):
    """The option only changes the license, or gives a default answer again."""
    return all(
        key == "open_source_license" or DEFAULTS[key] == value for key, value in option.items()
    )


NOT_PASTED_AGAIN = [
    option for option in OPTIONS_ONE_AT_A_TIME if option and same_blocks_as_the_defaults(option)
]
PASTED = [option for option in OPTIONS_ONE_AT_A_TIME if option not in NOT_PASTED_AGAIN]


def bash_blocks(readme):
    """(section, code, text before, text after) of each ```bash block, in order."""
    fences = list(FENCE.finditer(readme))
    for index, fence in enumerate(fences):
        if fence.group(1) != "bash":
            continue
        headings = HEADING.findall(readme, 0, fence.start())
        before_start = fences[index - 1].end() if index else 0
        after_end = fences[index + 1].start() if index + 1 < len(fences) else len(readme)
        yield (
            headings[-1] if headings else "",
            fence.group(2),
            readme[before_start : fence.start()],
            readme[fence.end() : after_end],
        )


def commands(code):
    return [line for line in code.splitlines() if line.strip() and not line.startswith("#")]


def reason_not_run(section, code, default_options):
    if section in NOT_RUN_SECTIONS:
        return NOT_RUN_SECTIONS[section]
    lines = commands(code)
    if any(PIP_INSTALL in line for line in lines):
        return "installs with pip instead of uv, which tests/test_dependencies.py does"
    if any(line.startswith("docker ") for line in lines):
        return "needs a Docker engine"
    if any(SUITE_COMMAND.match(line) for line in lines):
        return "runs the suite through testcontainers, which needs a Docker engine"
    if any(SUITE_COMMAND.search(line) for line in lines) and not default_options:
        return "runs the whole suite, which this test does in the default option set only"
    return None


def reader_environment(home):
    """The caller's environment without its virtual environment and project settings, with uv."""
    here = Path(sys.executable).parent
    path = [
        entry
        for entry in os.environ.get("PATH", "").split(os.pathsep)
        if entry and Path(entry) != here
    ]
    uv = shutil.which("uv") or shutil.which("uv", path=here)
    assert uv, "the README's blocks run uv, which the template's requirements-dev.txt installs"
    if Path(uv).parent == here:
        tools = home / "tools"
        tools.mkdir()
        (tools / "uv").symlink_to(uv)
        path.insert(0, str(tools))
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(CALLER_SETTINGS) and key not in ("VIRTUAL_ENV", "PYTHONPATH")
    }
    (home / ".curlrc").write_text("fail-with-body\n", encoding="utf-8")
    return {
        **environ,
        "PATH": os.pathsep.join(path),
        "CURL_HOME": str(home),
        "UV_PYTHON_DOWNLOADS": "never",
    }


class Reader:
    """Pastes blocks into a shell whose environment carries over, with a server on the side."""

    def __init__(self, project, environ, port, base, workdir):
        self.project = project
        self.environ = environ
        self.port = port
        self.base = base
        self.workdir = workdir
        self.server = None
        self.server_command = None
        self.pasted = 0

    def localised(self, code):
        return PORT_7000.sub(f"127.0.0.1:{self.port}", code)

    def paste(self, code):
        """Run one block; (exit status, output). The environment it leaves is kept."""
        self.pasted += 1
        state = self.workdir / f"environment-{self.pasted}"
        script = self.workdir / f"block-{self.pasted}.sh"
        script.write_text(
            f'set -e -o pipefail\n{self.localised(code)}\nenv -0 > "{state}"\n',
            encoding="utf-8",
        )
        completed = subprocess.run(
            ["bash", str(script)],
            cwd=self.project,
            env=self.environ,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=BLOCK_TIMEOUT_SECONDS,
        )
        if completed.returncode == 0:
            pairs = state.read_bytes().decode().split("\0")
            self.environ = dict(pair.split("=", 1) for pair in pairs if "=" in pair)
        return completed.returncode, completed.stdout + completed.stderr

    def start(self, command):
        self.stop()
        self.server_command = command
        log = self.workdir / f"server-{self.pasted}.log"
        self.server = subprocess.Popen(
            ["bash", "-c", f"exec {self.localised(command)}"],
            cwd=self.project,
            env={
                **self.environ,
                "FLASK_RUN_HOST": "127.0.0.1",
                "FLASK_RUN_PORT": str(self.port),
                "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            },
            stdin=subprocess.DEVNULL,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{self.port}{self.base}/health/live"
        status, _ = wait_for_json(url, self.server, seconds=STARTUP_SECONDS)
        assert status == 200, log.read_text(encoding="utf-8")

    def restart(self):
        assert self.server_command, "the README asks to restart a server it never started"
        self.start(self.server_command)

    def stop(self):
        if self.server is None:
            return
        os.killpg(self.server.pid, signal.SIGTERM)
        try:
            self.server.wait(timeout=STARTUP_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(self.server.pid, signal.SIGKILL)
            self.server.wait()
        self.server = None


@pytest.fixture
def database_url():
    """The URL of a fresh database on TEST_DATABASE_URL's server, dropped afterwards."""
    server_url = postgres_server_url("paste the baked README's blocks")
    name = f"readme_{uuid.uuid4().hex[:12]}"
    connection = psycopg2.connect(server_url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
    finally:
        connection.close()


def run_postgres_instead(project, database_url):
    """What ./scripts/run_postgres.sh leaves behind: the database's URL in .env."""
    env = project / ".env"
    lines = env.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = [
        f"SQLALCHEMY_DATABASE_URI={database_url}\n"
        if line.startswith("SQLALCHEMY_DATABASE_URI=")
        else line
        for line in lines
    ]
    env.write_text("".join(lines), encoding="utf-8")


def test_the_readme_blocks_find_what_they_need():
    """The tools this test pastes with: bash, and curl new enough for `fail-with-body`."""
    assert shutil.which("bash")
    assert shutil.which("curl")
    version = subprocess.run(["curl", "--version"], capture_output=True, text=True, check=True)
    major, minor = map(int, re.match(r"curl (\d+)\.(\d+)", version.stdout).groups())
    assert (major, minor) >= (7, 76)


@pytest.mark.parametrize("option", NOT_PASTED_AGAIN, ids=option_id)
def test_these_option_sets_bake_the_readme_blocks_of_the_defaults(bakery, option):
    def blocks(project):
        readme = (project / "README.md").read_text(encoding="utf-8")
        return [code for _, code, _, _ in bash_blocks(readme)]

    assert blocks(bakery.bake(**option)) == blocks(bakery.bake())


@pytest.mark.parametrize("option", PASTED, ids=option_id)
def test_every_bash_block_of_the_readme_works_pasted_in_order(
    bakery, database_url, tmp_path, option
):
    project = bakery.bake(**option)
    readme = (project / "README.md").read_text(encoding="utf-8")
    prefix = option.get("service_prefix", "").strip("/")
    workdir = tmp_path / "reader"
    workdir.mkdir()
    reader = Reader(
        project,
        reader_environment(workdir),
        free_port(),
        f"/{prefix}" if prefix else "",
        workdir,
    )
    broker_url = os.environ.get("TEST_BROKER_URL", "").strip() or README_BROKER_URL
    pasted = []
    try:
        for section, code, before, after in bash_blocks(readme):
            if reason_not_run(section, code, default_options=not option):
                continue
            lines = commands(code)
            servers = [line for line in lines if SERVER_COMMAND.match(line)]
            assert not servers or len(lines) == 1, f"{section}: {servers} would block the shell"
            if lines == [RUN_POSTGRES]:
                run_postgres_instead(project, database_url)
            elif servers:
                reader.start(lines[0])
            else:
                if RESTART in before:
                    reader.restart()
                code = code.replace(README_DATABASE_URL, database_url)
                code = code.replace(README_BROKER_URL, broker_url)
                status, output = reader.paste(code)
                expected = EXPECTED_STATUS.match(after)
                if expected:
                    assert status == CURL_EXIT_HTTP_ERROR, f"{section}:\n{code}\n{output}"
                    assert output.rstrip().endswith(expected.group(1)), output
                else:
                    assert status == 0, f"{section}:\n{code}\n{output}"
            pasted.append(section)
    finally:
        reader.stop()
    assert {"Set-up", "Local database", "Run", "Add a resource", "Migrate"} <= set(pasted)
    assert "Maintenance mode" in pasted
