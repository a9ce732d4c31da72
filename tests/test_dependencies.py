"""The baked project's dependencies: a lock uv accepts for every answer, deptry, pip, the audit."""

import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import TEMPLATE, load_module
from packaging.requirements import Requirement
from test_bake import OPTIONS_ONE_AT_A_TIME, option_id

LOCK_SCRIPT = load_module(TEMPLATE / ".ci" / "lock.py")
DEPENDENCY_SETS = [
    dict(zip(LOCK_SCRIPT.DEPENDENCY_ANSWERS, combination, strict=True))
    for combination in LOCK_SCRIPT.combinations()
]
# Every combination of the answers that change the dependencies, and each other answer alone: one
# that changed them without being listed in .ci/lock.py would leave its bake with a stale lock.
EVERY_OPTION_SET = DEPENDENCY_SETS + [
    option
    for option in OPTIONS_ONE_AT_A_TIME
    if option and not set(option) & set(LOCK_SCRIPT.DEPENDENCY_ANSWERS)
]
EVERY_OPTION_ON = {
    "auth": "jwt",
    "use_prometheus": "y",
    "use_opentelemetry": "y",
    "use_sentry": "y",
    "worker": "y",
}
BASH_BLOCK = re.compile(r"^```bash\n(.*?)^```$", re.M | re.S)
INSTALL_SECONDS = 900


def uv(project, *arguments, timeout=300, **environ):
    environment = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", **environ}
    return subprocess.run(
        [sys.executable, "-m", "uv", *arguments],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
    )


def pins(project):
    """{normalized name: version} of every requirement in pyproject.toml, dev group included."""
    project_table = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    declared = [
        *project_table["project"]["dependencies"],
        *project_table["dependency-groups"]["dev"],
    ]
    requirements = [Requirement(text) for text in declared]
    return {
        re.sub(r"[-_.]+", "-", requirement.name).lower(): str(requirement.specifier).removeprefix(
            "=="
        )
        for requirement in requirements
    }


def shell(command, project, **environ):
    """`command` run by bash in `project`, outside this run's virtual environment."""
    environment = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    environment["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environment.get('PATH', '')}"
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", command],
        cwd=project,
        env={**environment, **environ},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=INSTALL_SECONDS,
    )


@pytest.mark.parametrize("options", EVERY_OPTION_SET, ids=option_id)
def test_the_lock_is_the_one_uv_writes_for_the_answers(bakery, tmp_path, options):
    project = bakery.bake(repo_name="lock-check", version="2.1.0rc1", **options)
    # Offline and with an empty cache: uv decides from pyproject.toml and uv.lock alone.
    checked = uv(project, "lock", "--locked", "--offline", UV_CACHE_DIR=str(tmp_path / "uv-cache"))
    assert checked.returncode == 0, (
        f"uv.lock does not fit pyproject.toml; run `python .ci/lock.py`\n{checked.stderr}"
    )


@pytest.mark.parametrize(("auth", "locked"), [("jwt", True), ("none", False)])
def test_pyjwt_is_locked_only_with_jwt_auth(bakery, auth, locked):
    project = bakery.bake(auth=auth)
    assert ("pyjwt" in pins(project)) == locked
    assert ('name = "pyjwt"' in (project / "uv.lock").read_text(encoding="utf-8")) == locked


def test_the_template_tests_install_what_a_bake_with_every_option_locks(bakery):
    exported = uv(bakery.bake(**EVERY_OPTION_ON), *LOCK_SCRIPT.EXPORT, "--offline")
    assert exported.returncode == 0, exported.stderr
    expected = LOCK_SCRIPT.BAKED_REQUIREMENTS_HEADER + exported.stdout
    shipped = (TEMPLATE / "requirements-baked.txt").read_text(encoding="utf-8")
    assert shipped == expected, "requirements-baked.txt is stale; run `python .ci/lock.py`"


@pytest.mark.parametrize("options", DEPENDENCY_SETS, ids=option_id)
def test_deptry_finds_every_import_declared_and_every_dependency_used(bakery, options):
    project = bakery.bake(**options)
    completed = subprocess.run(
        [sys.executable, "-m", "deptry", "."],
        cwd=project,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def readme_commands(project):
    """The lines of the bash blocks of the baked README, in order."""
    readme = (project / "README.md").read_text(encoding="utf-8")
    return [line for block in BASH_BLOCK.findall(readme) for line in block.splitlines()]


def test_uv_sync_installs_exactly_the_lock_as_the_readme_says_first(bakery):
    project = bakery.bake(repo_name="sync-check", **EVERY_OPTION_ON)
    first = readme_commands(project)[0]
    assert first == "uv sync"

    synced = shell(f"{first} --locked", project, UV_PYTHON_DOWNLOADS="never")
    assert synced.returncode == 0, synced.stderr[-3000:]
    python = str(project / ".venv" / "bin" / "python")
    listed = uv(project, "pip", "list", "--format", "json", "--python", python)
    assert listed.returncode == 0, listed.stderr
    versions = {
        re.sub(r"[-_.]+", "-", package["name"]).lower(): package["version"]
        for package in json.loads(listed.stdout)
    }
    exported = uv(project, *LOCK_SCRIPT.EXPORT, "--offline")
    assert exported.returncode == 0, exported.stderr
    # Every package the lock holds for this platform and Python, at its locked version.
    locked = {
        requirement.name: str(requirement.specifier).removeprefix("==")
        for requirement in map(Requirement, exported.stdout.splitlines())
        if not requirement.marker or requirement.marker.evaluate()
    }
    assert {name: versions.get(name) for name in locked} == locked
    served = shell("uv run --locked python -c 'import wsgi; print(wsgi.app.name)'", project)
    assert served.returncode == 0, served.stderr[-3000:]


def test_pip_installs_the_pinned_service_and_its_tools_as_the_readme_says(bakery):
    project = bakery.bake()
    (command,) = [line for line in readme_commands(project) if "pip install ." in line]
    installed = shell(command, project)
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]

    python = str(project / ".venv" / "bin" / "python")
    listed = subprocess.run(
        [python, "-m", "pip", "list", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    versions = {
        re.sub(r"[-_.]+", "-", package["name"]).lower(): package["version"]
        for package in json.loads(listed.stdout)
    }
    assert {name: versions.get(name) for name in pins(project)} == pins(project)
    served = subprocess.run(
        [python, "-c", "import wsgi; print(wsgi.app.name)"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert served.returncode == 0, served.stderr


def test_the_ci_audit_reads_every_locked_package_with_its_hashes(bakery, tmp_path):
    """The workflow's audit step as written, but for pip-audit's `--dry-run`.

    pip-audit asks PyPI's JSON API (or OSV) about each package, and neither answers on this machine;
    everything before that question runs here: the export, its hashes, pip-audit reading all of it.
    """
    project = bakery.bake()
    workflow = yaml.safe_load((project / ".github" / "workflows" / "ci.yml").read_text())
    (step,) = [
        step
        for job in workflow["jobs"].values()
        for step in job["steps"]
        if "pip-audit" in step.get("run", "")
    ]
    export, audit = [
        line
        for line in step["run"].splitlines()
        if line.startswith(("uv export", "uv run pip-audit"))
    ]
    exported = shell(export, project, RUNNER_TEMP=str(tmp_path))
    assert exported.returncode == 0, exported.stderr
    locked = (tmp_path / "locked.txt").read_text(encoding="utf-8")
    applicable = [
        Requirement(line.removesuffix("\\").strip())
        for line in locked.splitlines()
        if line and not line.startswith((" ", "#"))
    ]
    expected = sum(
        1 for requirement in applicable if not requirement.marker or requirement.marker.evaluate()
    )

    arguments = shlex.split(audit.replace("$RUNNER_TEMP", str(tmp_path)).replace('"', ""))[3:]
    audited = subprocess.run(
        [sys.executable, "-m", "pip_audit", *arguments, "--dry-run"],
        cwd=project,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )
    assert audited.returncode == 0, audited.stderr
    assert f"would have audited {expected} packages" in audited.stderr
