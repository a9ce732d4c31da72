"""Bake the defaults and each option changed alone; check what every bake leaves behind."""

import json
import re
import stat
import tomllib

import pytest

OPTIONS_ONE_AT_A_TIME = [
    {},
    {"service_prefix": "example"},
    {"service_prefix": "/example"},
    *({"python_version": version} for version in ["3.13", "3.12", "3.11"]),
    *({"open_source_license": name} for name in ["MIT", "Apache-2.0", "BSD-3-Clause"]),
    {"open_source_license": "Not open source"},
    {"use_docker": "n"},
    {"use_github_actions": "n"},
    {"use_kubernetes": "n"},
    # The observability options share create_app, middleware and gunicorn.conf.py: all combinations.
    {"use_prometheus": "n"},
    {"use_opentelemetry": "y"},
    {"use_prometheus": "n", "use_opentelemetry": "y"},
    {"auth": "none"},
    # Error reports name the caller with auth=jwt only: both.
    {"use_sentry": "y"},
    {"use_sentry": "y", "auth": "none"},
    # Without the worker the Todo use cases record no events, and they differ with auth: both.
    {"worker": "n"},
    {"worker": "n", "auth": "none"},
]
JINJA_MARKERS = ("{{", "{%", "{#")
# GitHub Actions expressions are written `${{ ... }}`: workflows and the docs' examples keep them.
ACTIONS_EXPRESSIONS = (".github/workflows/", "docs/")
# `flask scaffold` ships Jinja templates of its own, copied unrendered: their markers are theirs.
SCAFFOLD_TEMPLATES = "src/plumbing/scaffold/"
SECRET = re.compile(r"[A-Za-z0-9_-]{43}")
LICENSE_TITLES = {
    "MIT": "MIT License",
    "Apache-2.0": "Apache License",
    "BSD-3-Clause": "BSD 3-Clause License",
}


def option_id(option):
    return ",".join(f"{key}={value}" for key, value in option.items()) or "defaults"


def unrendered_markers(relative_path, text):
    if relative_path.startswith(SCAFFOLD_TEMPLATES):
        return ["cookiecutter"] if "cookiecutter" in text else []
    if relative_path.startswith(ACTIONS_EXPRESSIONS):
        text = text.replace("${{", "")
    return [marker for marker in JINJA_MARKERS if marker in text]


def placeholder_keys(env_example):
    return [
        line.split("=", 1)[0] for line in env_example.splitlines() if line.endswith("=change-me")
    ]


def env_values(env_text):
    pairs = (line.split("=", 1) for line in env_text.splitlines() if "=" in line)
    return {key: value for key, value in pairs if not key.startswith("#")}


def test_the_options_cover_every_choice(template_variables):
    covered = {(key, value) for option in OPTIONS_ONE_AT_A_TIME for key, value in option.items()}
    for key, allowed in template_variables.items():
        if isinstance(allowed, list):
            assert {(key, value) for value in allowed} <= covered | {(key, allowed[0])}


@pytest.mark.parametrize("option", OPTIONS_ONE_AT_A_TIME, ids=option_id)
def test_bake_leaves_nothing_unrendered(bakery, option):
    project = bakery.bake(**option)
    for path in project.rglob("*"):
        relative = path.relative_to(project).as_posix()
        assert not unrendered_markers("", relative), f"unrendered path {relative}"
    for relative, text in bakery.text_files(project).items():
        assert not unrendered_markers(relative, text), f"unrendered Jinja in {relative}"


@pytest.mark.parametrize("option", OPTIONS_ONE_AT_A_TIME, ids=option_id)
def test_option_removes_only_its_paths(bakery, post_gen_hook, answers, option):
    answers.update(option)
    project = bakery.bake(**option)
    removed = post_gen_hook.excluded_paths(answers)
    for paths in post_gen_hook.REMOVED_WHEN.values():
        for path in paths:
            # A path goes with its folder: use_kubernetes=n drops the worker's manifests too.
            gone = any(path == folder or path.startswith(f"{folder}/") for folder in removed)
            assert (project / path).exists() == (not gone), path
    assert (project / "gunicorn.conf.py").is_file()


@pytest.mark.parametrize("license_name", LICENSE_TITLES)
def test_license_names_the_author_and_year(bakery, license_name):
    project = bakery.bake(open_source_license=license_name, author_name="Ada Lovelace")
    text = (project / "LICENSE").read_text(encoding="utf-8")
    assert LICENSE_TITLES[license_name] in text
    assert re.search(r"Copyright (\(c\) )?20\d\d,? Ada Lovelace\n", text)
    assert not text.startswith("\n")
    assert text.endswith(".\n")
    assert not text.endswith("\n\n")


@pytest.mark.parametrize("python_version", ["3.13", "3.12", "3.11"])
def test_python_version_reaches_ruff_while_the_project_runs_on_3_11_and_newer(
    bakery, python_version
):
    project = bakery.bake(python_version=python_version)
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["tool"]["ruff"]["target-version"] == f"py{python_version.replace('.', '')}"
    # One lock serves every answer: it covers each Python the code runs on, whatever CI uses.
    assert pyproject["project"]["requires-python"] == ">=3.11"


def test_env_gets_a_fresh_private_secret_per_placeholder(bakery):
    first, second = bakery.bake(), bakery.bake()
    keys = placeholder_keys((first / ".env.example").read_text(encoding="utf-8"))
    assert keys, ".env.example has no KEY=change-me placeholder"
    values = []
    for project in (first, second):
        env = project / ".env"
        assert stat.S_IMODE(env.stat().st_mode) == 0o600
        text = env.read_text(encoding="utf-8")
        assert "change-me" not in text
        values += [env_values(text)[key] for key in keys]
    assert all(SECRET.fullmatch(value) for value in values)
    assert len(set(values)) == len(values), "a secret was reused"


def test_env_keeps_every_other_line(bakery):
    project = bakery.bake()
    example = (project / ".env.example").read_text(encoding="utf-8").splitlines()
    env = (project / ".env").read_text(encoding="utf-8").splitlines()
    assert len(env) == len(example)
    assert [e for e in example if not e.endswith("=change-me")] == [
        line for line, source in zip(env, example, strict=True) if not source.endswith("=change-me")
    ]


@pytest.mark.parametrize("option", OPTIONS_ONE_AT_A_TIME, ids=option_id)
def test_answers_are_saved_for_replay(bakery, answers, template_version, option):
    project = bakery.bake(**option)
    saved = json.loads((project / ".cookiecutter.json").read_text(encoding="utf-8"))
    assert saved == {"cookiecutter": {**answers, **option}, "template_version": template_version}
