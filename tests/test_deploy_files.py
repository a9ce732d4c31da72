"""What a baked project ships to deploy and check itself: Dockerfile, compose file, CI workflow,
pre-commit hooks, Makefile and gunicorn settings, each linted, validated or run."""

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

PYTHON_VERSIONS = ["3.13", "3.12", "3.11"]
MAKE_TARGETS = ["install", "run", "test", "lint", "audit", "migrate", "upgrade", "upgrade-sql"]
WORKFLOWS = [".github/workflows/ci.yml", ".github/workflows/template-update.yml"]
CRUFT_PIN = re.compile(r"cruft==([0-9.]+)")
FULL_COMMIT = re.compile(r"[0-9a-f]{40}")
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
    """Every command the workflow's steps run; a line ending in a backslash joins the next."""
    return [
        line.strip()
        for job in workflow["jobs"].values()
        for step in job["steps"]
        for line in re.sub(r"\\\n\s*", "", step.get("run", "")).splitlines()
        if line.strip()
    ]


@pytest.mark.parametrize("python_version", PYTHON_VERSIONS)
def test_dockerfile_passes_hadolint_on_the_chosen_python(bakery, python_version):
    project = bakery.bake(python_version=python_version)
    run_ok([tool("hadolint"), "--no-color", "--failure-threshold", "style", "Dockerfile"], project)
    instructions = dict(dockerfile_instructions(project))
    # The official image by default; the template's tests build on one made from Debian's packages.
    assert instructions["FROM"] == "${PYTHON_IMAGE}"
    arguments = dict(
        line.split("=", 1) for name, line in dockerfile_instructions(project) if name == "ARG"
    )
    python_image, uv_image = arguments["PYTHON_IMAGE"], arguments["UV_IMAGE"]
    assert re.fullmatch(rf"python:{re.escape(python_version)}-slim(-\w+)?", python_image)
    assert re.fullmatch(r"ghcr\.io/astral-sh/uv:[\d.]+", uv_image), uv_image


def test_dockerfile_installs_the_lock_in_a_build_stage_and_runs_gunicorn_unprivileged(bakery):
    instructions = dockerfile_instructions(bakery.bake())
    order = [f"{name} {arguments}" for name, arguments in instructions]
    stages = [i for i, line in enumerate(order) if line.startswith("FROM ")]
    build, image = stages[-2], stages[-1]
    assert order[build].endswith(" AS build"), order[build]
    (install,) = [i for i, line in enumerate(order) if "uv sync" in line]
    assert build < install < image, "the dependencies install in the build stage"
    for flag in (
        "--locked",
        "--no-dev",
        "--no-editable",
    ):
        assert flag in order[install], flag
    final = order[image:]
    assert "COPY --from=build /app/.venv /app/.venv" in final
    assert final.index("COPY --from=build /app/.venv /app/.venv") < final.index("COPY . .")
    assert not [line for line in final if "uv" in line.split()], "the image itself holds no uv"

    user = dict(instructions)["USER"].split(":")[0]
    assert user not in ("root", "0"), user
    assert "HEALTHCHECK" in dict(instructions)
    command = json.loads(dict(instructions)["CMD"])
    assert command[0] == "gunicorn"
    assert "gunicorn.conf.py" in command


def test_dockerignore_keeps_secrets_and_local_state_out(bakery):
    ignored = (bakery.bake() / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert {".env", ".git", ".venv", "instance"} <= set(ignored)


def test_compose_starts_the_app_after_a_healthy_database_and_redis_and_a_migration(bakery):
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
    assert services["redis"]["healthcheck"]["test"]
    assert services["app"]["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
        "migrate": {"condition": "service_completed_successfully"},
    }
    database = services["db"]["environment"]["POSTGRES_DB"]
    for name in ("migrate", "app"):
        url = services[name]["environment"]["SQLALCHEMY_DATABASE_URI"]
        assert url.endswith(f"@db:5432/{database}"), url
    # Every worker of the app counts the rate limits in the stack's Redis.
    assert services["app"]["environment"]["RATELIMIT_STORAGE_URI"].startswith("redis://redis:6379/")


def compose_probe_status(command, heartbeat, path):
    """The exit status of a compose healthcheck, pointed at `path` instead of the service's file."""
    assert command[0] == "CMD", command
    assert any(heartbeat in part for part in command), command
    pointed = [part.replace(heartbeat, str(path)) for part in command[1:]]
    return subprocess.run(
        pointed, stdin=subprocess.DEVNULL, capture_output=True, timeout=30
    ).returncode


@pytest.mark.parametrize("use_prometheus", ["y", "n"])
def test_compose_runs_the_relay_and_the_worker_with_healthchecks_and_a_graceful_stop(
    bakery, tmp_path, use_prometheus
):
    project = bakery.bake(worker="y", use_prometheus=use_prometheus)
    run_ok(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", "docker-compose.yml"],
        project,
    )
    services = load_yaml(project / "docker-compose.yml")["services"]
    assert services["rabbitmq"]["healthcheck"]["test"]
    heartbeats = {"relay": "RELAY_HEARTBEAT_FILE", "worker": "WORKER_HEARTBEAT_FILE"}
    for name, setting in heartbeats.items():
        service = services[name]
        assert service["depends_on"] == {
            "rabbitmq": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }
        # The shared settings and the service's own heartbeat file.
        assert service["environment"]["BROKER_URL"] == services["app"]["environment"]["BROKER_URL"]
        heartbeat = service["environment"][setting]
        beat = tmp_path / f"{name}.alive"
        command = service["healthcheck"]["test"]
        assert compose_probe_status(command, heartbeat, beat) == 1, f"{name}: no heartbeat yet"
        beat.touch()
        assert compose_probe_status(command, heartbeat, beat) == 0, f"{name}: a fresh heartbeat"
        os.utime(beat, (0, 0))
        assert compose_probe_status(command, heartbeat, beat) == 1, f"{name}: a stale heartbeat"
    assert services["relay"]["command"][:3] == ["flask", "outbox", "relay"]
    assert services["worker"]["command"][:2] == ["dramatiq", "worker"]
    # The jobs in hand finish within JOB_TIME_LIMIT_MS (60 s by default) before the SIGKILL.
    assert int(services["worker"]["stop_grace_period"].removesuffix("s")) > 60
    assert ("WORKER_METRICS_PORT" in services["worker"]["environment"]) == (use_prometheus == "y")
    assert ("--metrics-port" in services["relay"]["command"]) == (use_prometheus == "y")


def test_compose_without_the_worker_has_no_broker(bakery):
    services = load_yaml(bakery.bake(worker="n") / "docker-compose.yml")["services"]
    assert set(services) == {"db", "redis", "migrate", "app"}
    assert "BROKER_URL" not in services["app"]["environment"]


@pytest.mark.parametrize("python_version", PYTHON_VERSIONS)
def test_workflow_is_valid_and_lints_audits_migrates_and_tests(bakery, python_version):
    project = bakery.bake(python_version=python_version)
    run_ok(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *WORKFLOWS],
        project,
    )
    workflow = load_yaml(project / WORKFLOWS[0])
    commands = workflow_commands(workflow)

    assert commands[0] == "uv sync --locked", "the job installs exactly what uv.lock holds"
    for expected in (
        "ruff check .",
        "ruff format --check .",
        "lint-imports",
        "mypy",
        "deptry .",
        "pytest",
    ):
        assert f"uv run {expected}" in commands, f"the workflow does not run {expected!r}"
    assert any("uv run pip-audit --strict" in command for command in commands)
    assert commands.index("uv run flask db upgrade") < commands.index("uv run flask db check")
    (job,) = workflow["jobs"].values()
    assert "postgres" in job["services"]
    assert job["env"]["TEST_DATABASE_URL"].startswith("postgresql://")
    setup = next(
        step for step in job["steps"] if step.get("uses", "").startswith("astral-sh/setup-uv@")
    )
    assert setup["with"]["python-version"] == python_version


@pytest.mark.parametrize(
    "options", [{}, {"use_kubernetes": "n"}, {"python_version": "3.11"}], ids=repr
)
def test_workflows_pin_actions_and_images_and_keep_no_credentials(bakery, options):
    project = bakery.bake(**options)
    for path in WORKFLOWS:
        for job in load_yaml(project / path)["jobs"].values():
            for step in job["steps"]:
                if "uses" not in step:
                    continue
                action, ref = step["uses"].split("@")
                assert FULL_COMMIT.fullmatch(ref), f"{path}: {action} is not pinned to a commit"
                if action == "actions/checkout":
                    assert step["with"]["persist-credentials"] is False, path
            for service in job.get("services", {}).values():
                assert re.search(r":[\w.-]+@sha256:[0-9a-f]{64}$", service["image"]), service[
                    "image"
                ]


def test_cruft_is_the_one_version_everywhere(bakery):
    project = bakery.bake()
    sources = {
        "the template's requirements-dev.txt": Path(__file__).parent.parent
        / "requirements-dev.txt",
        "README.md": project / "README.md",
        "ci.yml": project / WORKFLOWS[0],
        "template-update.sh": project / ".github" / "scripts" / "template-update.sh",
    }
    pinned = {
        name: set(CRUFT_PIN.findall(path.read_text(encoding="utf-8")))
        for name, path in sources.items()
    }
    assert all(pinned.values()), pinned
    assert len(set().union(*pinned.values())) == 1, pinned


@pytest.mark.parametrize(("cruft_exit", "warns"), [(0, False), (1, True)])
def test_workflow_reports_template_drift_as_a_warning_only(bakery, tmp_path, cruft_exit, warns):
    project = bakery.bake()
    workflow = load_yaml(project / ".github" / "workflows" / "ci.yml")
    (job,) = workflow["jobs"].values()
    (step,) = [step for step in job["steps"] if "cruft check" in step.get("run", "")]
    assert step["if"] == "hashFiles('.cruft.json') != ''"
    (check,) = step["run"].splitlines()
    assert check.startswith("uvx --from cruft==")
    fake = tmp_path / "bin" / "uvx"
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
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    (pinned,) = [pin for pin in pyproject["dependency-groups"]["dev"] if pin.startswith("ruff==")]
    assert repo["rev"] == f"v{pinned.removeprefix('ruff==')}"
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
