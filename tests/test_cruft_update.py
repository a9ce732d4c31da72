"""`cruft update` carries a project from the template's previous release to this commit.

The project is baked with cruft at the newest commit of the previous release (the parent of the
commit that set the current `_template_version`), changed as a user would change it, committed,
and updated with `cruft update -y`. Conflicts are resolved the way docs/updating.md describes for
additions on both sides (keep both), except in the files an upgrade note of CHANGELOG.md says the
template rewrote, which are resolved as that note says; then the project runs the commands of the
upgrade notes newer than its version, its migrations, linters and suite. cruft clones this
repository, so it updates to the committed HEAD, not to the working tree.
"""

import json
import os
import re
import subprocess
import sys
import textwrap
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from conftest import TEMPLATE, CookiecutterCli, CruftCli, postgres_server_url, text_files
from test_generated_quality import lint_imports_command
from test_migrations import flask, postgres_database
from test_resource_guide import GUIDE, apply_guide, migration_commands, snippets

SUITE_TIMEOUT_SECONDS = 900
CI_STEP = "      - name: Build the image\n        run: docker build -t todo-service .\n"
CONFLICT_MARKERS = ("<<<<<<< ", "=======\n", ">>>>>>> ")
# CHANGELOG.md, the upgrade notes of the move to src/plumbing, step 1: files the user edits that
# the template rewrote. Their conflicts are resolved by taking the template's version and adding
# the user's lines again, in the new shape.
REWRITTEN = (
    "src/config.py",
    "src/dependency_container.py",
    "src/api/controllers/__init__.py",
    "src/infrastructure/models/__init__.py",
)
LARGER_BODY_LIMIT = (
    '    config["MAX_CONTENT_LENGTH"] = integer(environ, "MAX_CONTENT_LENGTH", 4 * 1024 * 1024)\n'
)
# The files the move to uv deletes; a project that added pins puts them back as baked first.
REQUIREMENTS = ("requirements.txt", "requirements-dev.txt")
BASH_BLOCK = re.compile(r"^ *```bash\n(.*?)^ *```$", re.M | re.S)


def version_at(commit):
    shown = subprocess.run(
        ["git", "show", f"{commit}:cookiecutter.json"], cwd=TEMPLATE, capture_output=True, text=True
    )
    return json.loads(shown.stdout).get("_template_version") if shown.returncode == 0 else None


def previous_release(cruft_cli):
    """(commit, version): the parent of the commit that set the current version."""
    current = version_at("HEAD")
    changes = cruft_cli.git("log", "--format=%H", "--", "cookiecutter.json", cwd=TEMPLATE).split()
    for commit in changes:
        if version_at(commit) != current:
            continue
        _, *parents = cruft_cli.git("rev-list", "--parents", "-n1", commit, cwd=TEMPLATE).split()
        for parent in parents:
            if version_at(parent) not in (None, current):
                return parent, version_at(parent)
    pytest.fail(
        f"no commit of a release before {current} in this repository's history; the update test "
        "needs the commits of the previous release (a squashed merge or a shallow clone drops them)"
    )


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer holds {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def change_as_a_user(project):
    """A new resource by the baked guide, an edited setting, a dependency and a CI step."""
    guide = (project / GUIDE).read_text(encoding="utf-8")
    apply_guide(project, guide)
    with postgres_database(project) as database:
        for command in migration_commands(guide):
            completed = flask(project, database, *command[1:])
            assert completed.returncode == 0, completed.stdout + completed.stderr
    edit(
        project / "src" / "config.py",
        '"MAX_CONTENT_LENGTH", 1024 * 1024',
        '"MAX_CONTENT_LENGTH", 4 * 1024 * 1024',
    )
    edit(project / ".env.example", "MAX_CONTENT_LENGTH=1048576", "MAX_CONTENT_LENGTH=4194304")
    edit(
        project / "requirements.txt",
        "\nSQLAlchemy==",
        f"\nrequests=={version('requests')}\nSQLAlchemy==",
    )
    with open(project / ".github" / "workflows" / "ci.yml", "a", encoding="utf-8") as workflow:
        workflow.write(CI_STEP)


def added_lines(cruft_cli, project, since):
    """{path: lines the user added} between the commit `since` and HEAD."""
    diff = cruft_cli.git("diff", "--unified=0", since, "HEAD", cwd=project)
    added, path = {}, None
    for line in diff.splitlines():
        if line.startswith("+++ "):
            path = line.removeprefix("+++ b/")
        elif line.startswith("+") and line[1:].strip():
            added.setdefault(path, []).append(line[1:])
    return added


def put_the_requirements_back(cruft_cli, project, baked):
    """The upgrade note's step before the update: requirements*.txt as baked, the added pins noted.

    The template deletes the two files; git cannot merge a deletion into a file you changed, and
    cruft then turns every conflict of the update into a .rej file instead of conflict markers.
    """
    diff = cruft_cli.git("diff", "--unified=0", baked, "HEAD", "--", *REQUIREMENTS, cwd=project)
    pins = [line[1:] for line in diff.splitlines() if line.startswith("+") and "==" in line]
    cruft_cli.git("checkout", baked, "--", *REQUIREMENTS, cwd=project)
    cruft_cli.commit_all(project, "requirements*.txt as baked, before the update to uv")
    return pins


def add_own_pins_with_uv(project, pins):
    """The upgrade note's step after the update: `uv add` each noted pin, which locks it too."""
    added = subprocess.run(
        [sys.executable, "-m", "uv", "add", "--no-sync", *pins],
        cwd=project,
        env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )
    assert added.returncode == 0, added.stderr
    declared = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert set(pins) <= set(declared["project"]["dependencies"])


def take_the_templates_version(cruft_cli, project, path):
    """Step 1 of the upgrade note: the template's version of a file it rewrote, then `git add`."""
    cruft_cli.git("checkout", "--theirs", "--", path, cwd=project)
    cruft_cli.git("add", path, cwd=project)


def add_own_lines_again(project):
    """The project resource registered as the updated guide shows; the larger body limit in
    `load_config`."""
    guide = (project / GUIDE).read_text(encoding="utf-8")
    for language, code, _ in snippets(guide):
        if language == "diff":
            completed = subprocess.run(
                ["git", "apply", "-"], cwd=project, input=code, capture_output=True, text=True
            )
            assert completed.returncode == 0, completed.stderr
    config = project / "src" / "config.py"
    edit(config, "import template_settings", "import integer, template_settings")
    edit(config, "    return config\n", LARGER_BODY_LIMIT + "    return config\n")


def upgrade_note_commands(old_version):
    """The bash blocks of CHANGELOG.md's sections newer than `old_version`, oldest section first."""
    changelog = (TEMPLATE / "CHANGELOG.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", changelog, flags=re.M)[1:]
    newer = []
    for section in sections:
        if section.startswith(f"{old_version} "):
            break
        newer.append(section)
    return [block for section in reversed(newer) for block in BASH_BLOCK.findall(section)]


def run_upgrade_notes(project, old_version):
    """Each command as a reader types it in the project, its Python's tools first on PATH."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    for block in upgrade_note_commands(old_version):
        completed = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", textwrap.dedent(block)],
            cwd=project,
            env={**os.environ, "PATH": path},
            capture_output=True,
            text=True,
        )
        assert completed.returncode == 0, block + completed.stdout + completed.stderr


def resolve_by_keeping_both(cruft_cli, project, path):
    """What docs/updating.md advises when both sides added lines: keep the two, then `git add`."""
    stages = {}
    for stage in (1, 2, 3):
        stages[stage] = project / f".{stage}.merge"
        stages[stage].write_text(
            cruft_cli.git("show", f":{stage}:{path}", cwd=project), encoding="utf-8"
        )
    merged = cruft_cli.git(
        "merge-file", "--union", "-p", str(stages[2]), str(stages[1]), str(stages[3]), cwd=project
    )
    (project / path).write_text(merged, encoding="utf-8")
    for stage_file in stages.values():
        stage_file.unlink()
    cruft_cli.git("add", path, cwd=project)


@pytest.fixture(scope="module")
def update(tmp_path_factory):
    """The project before and after `cruft update -y`, with the update's figures."""
    workdir = tmp_path_factory.mktemp("cruft-update")
    cruft_cli = CruftCli(CookiecutterCli(workdir))
    commit, old_version = previous_release(cruft_cli)
    project = cruft_cli.create(workdir / "out", "--no-input", "--checkout", commit)
    cruft_cli.commit_all(project, f"Bake template {old_version}")
    baked = cruft_cli.git("rev-parse", "HEAD", cwd=project).strip()
    change_as_a_user(project)
    cruft_cli.commit_all(project, "Add projects, a larger body limit, requests and an image build")
    own_pins = put_the_requirements_back(cruft_cli, project, baked)

    updated = cruft_cli.run("update", "-y", cwd=project)

    assert updated.returncode == 0, updated.stdout + updated.stderr
    status = cruft_cli.git("status", "--porcelain", cwd=project).splitlines()
    conflicted = cruft_cli.git("diff", "--name-only", "--diff-filter=U", cwd=project).split()
    figures = {
        "from": f"{old_version} ({commit[:7]})",
        "changed": sorted(line[3:] for line in status),
        "conflicted": conflicted,
        "rejects": sorted(path.relative_to(project).as_posix() for path in project.rglob("*.rej")),
    }
    print(f"\ncruft update figures: {json.dumps(figures)}")
    return {
        "cruft": cruft_cli,
        "project": project,
        "old_version": old_version,
        "own_pins": own_pins,
        "figures": figures,
        "user_lines": added_lines(cruft_cli, project, baked),
        "texts": {path: (project / path).read_text(encoding="utf-8") for path in conflicted},
        "output": updated.stdout + updated.stderr,
    }


def test_the_update_reaches_this_commit(update):
    state = json.loads((update["project"] / ".cruft.json").read_text(encoding="utf-8"))
    head = update["cruft"].git("rev-parse", "HEAD", cwd=TEMPLATE).strip()
    assert state["commit"] == head
    assert ".cruft.json" in update["figures"]["changed"]
    assert "Good work! Project's cruft has been updated" in update["output"]


def test_no_user_change_is_lost_silently(update):
    """Each line the user added is still in its file, inside conflict markers at worst."""
    project, rejects = update["project"], update["figures"]["rejects"]
    for path, lines in update["user_lines"].items():
        if f"{path}.rej" in rejects:
            continue
        text = (project / path).read_text(encoding="utf-8")
        missing = [line for line in lines if line not in text]
        assert missing == [], f"{path} lost {missing}"


def test_files_both_sides_changed_carry_markers_the_docs_explain(update):
    assert update["figures"]["rejects"] == [], "git could not merge; see the .rej files"
    for path, text in update["texts"].items():
        assert all(marker in text for marker in CONFLICT_MARKERS), path
    guide = (TEMPLATE / "docs" / "updating.md").read_text(encoding="utf-8")
    for phrase in ("<<<<<<<", "--diff-filter=U", ".rej", "git add"):
        assert phrase in guide, phrase


def test_after_resolving_the_project_migrates_lints_and_passes_its_suite(update):
    cruft_cli, project = update["cruft"], update["project"]
    conflicted = update["figures"]["conflicted"]
    for path in conflicted:
        if path in REWRITTEN:
            take_the_templates_version(cruft_cli, project, path)
        else:
            resolve_by_keeping_both(cruft_cli, project, path)
        assert not re.search(r"^(<<<<<<<|>>>>>>>) ", (project / path).read_text(), re.M), path
    if set(REWRITTEN) <= set(conflicted):
        add_own_lines_again(project)
    assert cruft_cli.git("diff", "--name-only", "--diff-filter=U", cwd=project) == ""
    add_own_pins_with_uv(project, update["own_pins"])
    run_upgrade_notes(project, update["old_version"])
    with postgres_database(project) as database:
        heads = flask(project, database, "db", "heads")
        if heads.stdout.count("(head)") > 1:
            merged = flask(
                project, database, "db", "merge", "heads", "-m", "merge template migrations"
            )
            assert merged.returncode == 0, merged.stdout + merged.stderr
        for command in (("db", "upgrade"), ("db", "check"), ("openapi", "write", "openapi.json")):
            completed = flask(project, database, *command)
            assert completed.returncode == 0, completed.stdout + completed.stderr
    for command in (
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "."],
        lint_imports_command(),
    ):
        linted = subprocess.run(command, cwd=project, capture_output=True, text=True)
        assert linted.returncode == 0, linted.stdout + linted.stderr
    suite = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project,
        env={
            **os.environ,
            "TEST_DATABASE_URL": postgres_server_url("run the updated project's suite"),
        },
        capture_output=True,
        text=True,
        timeout=SUITE_TIMEOUT_SECONDS,
    )
    assert suite.returncode == 0, suite.stdout[-4000:] + suite.stderr[-2000:]
    assert list((project / "tests").rglob("test_project_api.py"))
    print(f"\nupdated project's suite: {suite.stdout.strip().splitlines()[-1]}")


def test_an_unchanged_project_updates_to_a_fresh_bake_and_keeps_its_secrets(cruft_cli, tmp_path):
    commit, old_version = previous_release(cruft_cli)
    project = cruft_cli.create(tmp_path / "old", "--no-input", "--checkout", commit)
    cruft_cli.commit_all(project, f"Bake template {old_version}")
    secrets = (project / ".env").read_text(encoding="utf-8")

    updated = cruft_cli.run("update", "-y", cwd=project)

    assert updated.returncode == 0, updated.stdout + updated.stderr
    fresh = cruft_cli.create(tmp_path / "fresh", "--no-input")
    after, expected = text_files(project), text_files(fresh)
    for files in (after, expected):
        files.pop(".env")
    state_after, state_expected = (
        json.loads(files.pop(".cruft.json")) for files in (after, expected)
    )
    assert {path for path in after if not path.startswith(".git/")} == set(expected)
    assert {path: text for path, text in after.items() if path in expected} == expected
    assert state_after == state_expected
    assert (project / ".env").read_text(encoding="utf-8") == secrets
