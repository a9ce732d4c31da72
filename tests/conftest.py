"""Fixtures that bake the template and look inside the baked project."""

import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import docker
import pytest
from cookiecutter.generate import generate_context
from cookiecutter.prompt import prompt_for_config

TEMPLATE = Path(__file__).resolve().parent.parent
# The official image the generated project uses wherever it starts PostgreSQL in Docker.
DEFAULT_POSTGRES_IMAGE = "postgres:16-alpine"
# cookiecutter.json's `_extensions` live at the template root; cookiecutter adds it to the path
# only while it bakes, and `default_answers` renders the answers outside a bake.
sys.path.insert(0, str(TEMPLATE))


def default_answers():
    """The answers a --no-input bake uses, rendered by cookiecutter itself."""
    context = generate_context(context_file=str(TEMPLATE / "cookiecutter.json"))
    answers = prompt_for_config(context, no_input=True)
    return {key: value for key, value in answers.items() if not key.startswith("_")}


def load_module(path):
    """Import a script that is not on the path (a hook, .ci/lock.py, a baked script) as a module."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_hook(name):
    """Import an unrendered hook as a module so tests can call its functions."""
    return load_module(TEMPLATE / "hooks" / f"{name}.py")


def text_files(root):
    """Every UTF-8 text file under root, as {relative posix path: content}."""
    texts = {}
    for path in sorted(Path(root).rglob("*")):
        if not path.is_file():
            continue
        try:
            texts[path.relative_to(root).as_posix()] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
    return texts


class Bakery:
    """Bakes the template through pytest-cookies into one output folder per test."""

    text_files = staticmethod(text_files)

    def __init__(self, cookies, output_root):
        self.cookies = cookies
        self.output_root = output_root

    def result(self, **answers):
        """The pytest-cookies Result, whether or not the bake succeeded."""
        return self.cookies.bake(extra_context=answers, template=str(TEMPLATE))

    def bake(self, **answers):
        """The baked project's path; fails the test if the bake did not succeed."""
        result = self.result(**answers)
        if result.exception is not None:
            pytest.fail(f"bake with {answers!r} failed: {result.exception!r}")
        return result.project_path

    def written_files(self):
        """Every file any bake of this test has left behind."""
        return [path for path in self.output_root.rglob("*") if path.is_file()]


class CookiecutterCli:
    """Runs `python -m cookiecutter` in a subprocess with an isolated user config."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.config_file = workdir / "cookiecutter-config.yaml"
        self.config_file.write_text(
            f"cookiecutters_dir: {json.dumps(str(workdir / 'cookiecutters'))}\n"
            f"replay_dir: {json.dumps(str(workdir / 'replay'))}\n",
            encoding="utf-8",
        )

    def run(self, *args, output_dir, cwd=None):
        return self.run_as_typed("--output-dir", str(output_dir), *args, cwd=cwd)

    def run_as_typed(self, *args, cwd=None):
        """`cookiecutter <args>` exactly, with only the isolated user config added."""
        command = [
            sys.executable,
            "-m",
            "cookiecutter",
            "--config-file",
            str(self.config_file),
            *args,
        ]
        return subprocess.run(
            command,
            cwd=cwd or self.workdir,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
        )

    def bake(self, *answers, output_dir):
        """Bake with --no-input and `key=value` answers."""
        return self.run("--no-input", str(TEMPLATE), *answers, output_dir=output_dir)

    def replay(self, replay_file, output_dir):
        """Bake from a replay file, as a user re-baking a project would."""
        return self.run("--replay-file", str(replay_file), str(TEMPLATE), output_dir=output_dir)


class CruftCli:
    """Runs `python -m cruft` in a subprocess with the same isolated cookiecutter config.

    cruft reads templates from git, so it bakes this repository's commits, not its working tree.
    """

    def __init__(self, cookiecutter_cli):
        self.environ = {
            **os.environ,
            "COOKIECUTTER_CONFIG": str(cookiecutter_cli.config_file),
            "GIT_AUTHOR_NAME": "Template Tests",
            "GIT_AUTHOR_EMAIL": "tests@example.com",
            "GIT_COMMITTER_NAME": "Template Tests",
            "GIT_COMMITTER_EMAIL": "tests@example.com",
        }

    def run(self, *args, cwd, typed=None):
        """`cruft <args>`; `typed` is what a user types at the prompts, if any."""
        return subprocess.run(
            [sys.executable, "-m", "cruft", *args],
            cwd=cwd,
            env=self.environ,
            input=typed or "",
            capture_output=True,
            text=True,
            timeout=300,
        )

    def git(self, *args, cwd):
        completed = subprocess.run(
            ["git", *args], cwd=cwd, env=self.environ, capture_output=True, text=True, check=False
        )
        assert completed.returncode == 0, f"git {' '.join(args)}\n{completed.stderr}"
        return completed.stdout

    def create(self, output_dir, *args, typed=None):
        """The project `cruft create <args>` bakes from this repository into `output_dir`."""
        output_dir.mkdir(parents=True, exist_ok=True)
        command = ["create", "--output-dir", str(output_dir), *args, str(TEMPLATE)]
        created = self.run(*command, cwd=output_dir, typed=typed)
        assert created.returncode == 0, created.stdout + created.stderr
        (project,) = [path for path in output_dir.iterdir() if path.is_dir()]
        return project

    def commit_all(self, project, message):
        """Commit everything, as a user keeps a baked project in git (`git init` on first use)."""
        if not (project / ".git").exists():
            self.git("init", "--quiet", "--initial-branch=main", cwd=project)
        self.git("add", "--all", cwd=project)
        self.git("commit", "--quiet", "--allow-empty", "-m", message, cwd=project)


@pytest.fixture
def bakery(cookies, tmp_path):
    return Bakery(cookies, tmp_path / "cookies")


@pytest.fixture
def cookiecutter_cli(tmp_path):
    workdir = tmp_path / "cli"
    workdir.mkdir()
    return CookiecutterCli(workdir)


@pytest.fixture
def cruft_cli(cookiecutter_cli):
    return CruftCli(cookiecutter_cli)


@pytest.fixture
def answers():
    """A fresh copy of the default answers, safe to change in a test."""
    return default_answers()


@pytest.fixture(scope="session")
def template_dir():
    return TEMPLATE


@pytest.fixture(scope="session")
def template_variables():
    """cookiecutter.json as written, choice lists included, without private `_` settings."""
    variables = json.loads((TEMPLATE / "cookiecutter.json").read_text(encoding="utf-8"))
    return {key: value for key, value in variables.items() if not key.startswith("_")}


@pytest.fixture(scope="session")
def template_version():
    """The template's version, which every bake records."""
    variables = json.loads((TEMPLATE / "cookiecutter.json").read_text(encoding="utf-8"))
    return variables["_template_version"]


@pytest.fixture(scope="session")
def pre_gen_hook():
    return load_hook("pre_gen_project")


@pytest.fixture(scope="session")
def post_gen_hook():
    return load_hook("post_gen_project")


def missing(reason, purpose):
    """Fail the test under CI=true, where everything it needs must be there; skip it elsewhere."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; CI must {purpose}")
    pytest.skip(f"{reason}; needed to {purpose}")


def postgres_server_url(purpose):
    """TEST_DATABASE_URL; without it the test fails under CI=true and is skipped elsewhere."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    example = "postgresql://postgres@127.0.0.1:5432/postgres"
    missing(f"TEST_DATABASE_URL is not set, e.g. {example}", purpose)


def run_bench(command, database_url, timeout):
    """Run a bench/ script on the PostgreSQL of `database_url`; its stdout, once it exited 0."""
    completed = subprocess.run(
        command,
        env={**os.environ, "TEST_DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
    )
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-8000:]
    return completed.stdout


def docker_engine(purpose):
    """A client of DOCKER_HOST's engine; without one the test fails under CI=true, else skips."""
    try:
        client = docker.from_env()
        client.ping()
    except docker.errors.DockerException as error:
        missing(f"no Docker engine answers ({error}); .ci/docker-engine.sh starts one", purpose)
    return client


def postgres_image():
    """The image the baked suite and run_postgres.sh start: TEST_POSTGRES_IMAGE or theirs."""
    return os.environ.get("TEST_POSTGRES_IMAGE", "").strip() or DEFAULT_POSTGRES_IMAGE


def free_port():
    """A loopback port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_json(url, server, seconds=30):
    """(status, JSON body) of `url` once the `server` process answers; fails if it exits first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            output = server.stderr.read() if server.stderr else ""
            pytest.fail(f"the server exited with {server.returncode}: {output}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, json.load(response)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            # gunicorn binds its socket before workers boot: until then connections wait or fail.
            time.sleep(0.2)
    pytest.fail(f"the server did not answer {url} within {seconds}s")
