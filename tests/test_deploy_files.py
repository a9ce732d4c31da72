"""What a baked project ships to deploy and check itself: Dockerfile, compose file, CI workflow,
pre-commit hooks, Makefile and gunicorn settings, each linted, validated or run."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

PYTHON_VERSIONS = ["3.13", "3.12", "3.11"]
MAKE_TARGETS = ["install", "run", "test", "lint", "migrate", "upgrade", "upgrade-sql"]
TOOL_TIMEOUT_SECONDS = 120


def tool(name):
    """A command-line tool installed next to this Python (by requirements-dev.txt), else on PATH."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed; pip install -r requirements-dev.txt")
    return found


def run(command, cwd, **kwargs):
    return subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=TOOL_TIMEOUT_SECONDS,
        **kwargs,
    )


def run_ok(command, cwd, **kwargs):
    completed = run(command, cwd, **kwargs)
    assert completed.returncode == 0, f"{' '.join(command)}\n{completed.stdout}{completed.stderr}"
    return completed.stdout


def dockerfile_instructions(project):
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comments dropped."""
    text = (project / "Dockerfile").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    return [tuple(line.split(None, 1)) for line in joined.splitlines() if line.strip()]


def load_yaml(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def workflow_commands(workflow):
    return [
        line.strip()
        for job in workflow["jobs"].values()
        for step in job["steps"]
        for line in step.get("run", "").splitlines()
        if line.strip()
    ]


@pytest.mark.parametrize("python_version", PYTHON_VERSIONS)
def test_dockerfile_passes_hadolint_on_the_chosen_python(bakery, python_version):
    project = bakery.bake(python_version=python_version)
    run_ok([tool("hadolint"), "--no-color", "--failure-threshold", "style", "Dockerfile"], project)
    instructions = dict(dockerfile_instructions(project))
    # The official image by default; the template's tests build on one made from Debian's packages.
    assert instructions["FROM"] == "${PYTHON_IMAGE}"
    name, default = instructions["ARG"].split("=", 1)
    assert name == "PYTHON_IMAGE"
    assert re.fullmatch(rf"python:{re.escape(python_version)}-slim(-\w+)?", default), default


def test_dockerfile_layers_dependencies_and_runs_gunicorn_unprivileged(bakery):
    instructions = dockerfile_instructions(bakery.bake())
    order = [f"{name} {arguments}" for name, arguments in instructions]
    requirements = order.index("COPY requirements.txt .")
    install = next(i for i, line in enumerate(order) if "pip install" in line)
    code = order.index("COPY . .")
    assert requirements < install < code, "dependencies should get a layer before the code"

    user = dict(instructions)["USER"].split(":")[0]
    assert user not in ("root", "0"), user
    assert "HEALTHCHECK" in dict(instructions)
    command = json.loads(dict(instructions)["CMD"])
    assert command[0] == "gunicorn"
    assert "gunicorn.conf.py" in command


def test_dockerignore_keeps_secrets_and_local_state_out(bakery):
    ignored = (bakery.bake() / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert {".env", ".git", ".venv", "instance"} <= set(ignored)


def test_compose_starts_the_app_after_a_healthy_database_and_a_migration(bakery):
    project = bakery.bake()
    run_ok(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", "docker-compose.yml"],
        project,
    )
    services = load_yaml(project / "docker-compose.yml")["services"]

    assert services["db"]["healthcheck"]["test"]
    assert services["migrate"]["command"] == ["flask", "db", "upgrade"]
    assert services["migrate"]["restart"] == "no"
    assert services["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert services["app"]["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "migrate": {"condition": "service_completed_successfully"},
    }
    database = services["db"]["environment"]["POSTGRES_DB"]
    for name in ("migrate", "app"):
        url = services[name]["environment"]["SQLALCHEMY_DATABASE_URI"]
        assert url.endswith(f"@db:5432/{database}"), url


@pytest.mark.parametrize("python_version", PYTHON_VERSIONS)
def test_workflow_is_valid_and_lints_migrates_and_tests(bakery, python_version):
    project = bakery.bake(python_version=python_version)
    path = ".github/workflows/ci.yml"
    run_ok([tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", path], project)
    workflow = load_yaml(project / path)
    commands = workflow_commands(workflow)

    for expected in ("ruff check .", "ruff format --check .", "lint-imports", "python -m pytest"):
        assert expected in commands, f"the workflow does not run {expected!r}"
    assert commands.index("flask db upgrade") < commands.index("flask db check")
    (job,) = workflow["jobs"].values()
    assert "postgres" in job["services"]
    assert job["env"]["TEST_DATABASE_URL"].startswith("postgresql://")
    setup = next(
        step for step in job["steps"] if step.get("uses", "").startswith("actions/setup-python")
    )
    assert setup["with"]["python-version"] == python_version


@pytest.mark.parametrize(("cruft_exit", "warns"), [(0, False), (1, True)])
def test_workflow_reports_template_drift_as_a_warning_only(bakery, tmp_path, cruft_exit, warns):
    project = bakery.bake()
    workflow = load_yaml(project / ".github" / "workflows" / "ci.yml")
    (job,) = workflow["jobs"].values()
    (step,) = [step for step in job["steps"] if "cruft check" in step.get("run", "")]
    assert step["if"] == "hashFiles('.cruft.json') != ''"
    install, check = step["run"].splitlines()
    pins = (Path(__file__).parent.parent / "requirements-dev.txt").read_text(encoding="utf-8")
    assert f"{install.removeprefix('pip install ')}\n" in pins, "CI and the template pin one cruft"
    assert install in (project / "README.md").read_text(encoding="utf-8"), "README pins it too"
    fake = tmp_path / "bin" / "cruft"
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\nexit {cruft_exit}\n", encoding="utf-8")
    fake.chmod(0o755)
    environ = {"PATH": f"{fake.parent}:/usr/bin:/bin"}
    completed = run(["bash", "-eo", "pipefail", "-c", check], project, env=environ)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("::warning::") == warns, completed.stdout


def test_pre_commit_runs_ruff_at_the_pinned_version(bakery):
    project = bakery.bake()
    (repo,) = load_yaml(project / ".pre-commit-config.yaml")["repos"]
    pinned = re.search(
        r"^ruff==(\S+)$", (project / "requirements-dev.txt").read_text(encoding="utf-8"), re.M
    )
    assert repo["rev"] == f"v{pinned.group(1)}"
    assert [hook["id"] for hook in repo["hooks"]] == ["ruff-check", "ruff-format"]


@pytest.mark.parametrize("target", MAKE_TARGETS)
def test_makefile_target_exists(bakery, target):
    project = bakery.bake()
    printed = run_ok([tool("make"), "-n", target, "MESSAGE=add users"], project)
    assert printed.strip(), f"make {target} runs nothing"


def test_make_migrate_insists_on_a_message(bakery):
    completed = run([tool("make"), "-n", "migrate"], bakery.bake())
    assert completed.returncode != 0
    assert "MESSAGE=" in completed.stderr
