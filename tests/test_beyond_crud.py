"""The baked docs/beyond-crud.md works as written, in the default option set and without auth.

The guide scaffolds two resources, then builds four features on them. This test runs its scaffold
commands on a fresh bake, applies its files and diffs in order, and runs the linters and the
project's suite. It also holds the guide to what it promises: no file of the plumbing changed, no
underscored method overridden, the plumbing imported through its public modules only, each filter
declared once, and the figures of its table.
"""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import postgres_server_url
from test_generated_quality import lint_imports_command
from test_resource_guide import SUITE_TIMEOUT_SECONDS, apply_guide, run, snippets

GUIDE = "docs/beyond-crud.md"
PUBLIC_PLUMBING = {
    "domain",
    "services",
    "infrastructure",
    "api",
    "settings",
    "container",
    "application",
}
# Without auth: the tests the guide adds or changes, and the contract test of the whole document.
FOCUSED_TESTS = [
    "tests/services",
    "tests/api/test_project_actions.py",
    "tests/api/test_task_api.py",
    "tests/api/test_project_api.py",
    "tests/plumbing/api/test_contract.py",
]


def git(project, *arguments):
    identity = ["-c", "user.name=guide", "-c", "user.email=guide@example.com"]
    return subprocess.run(
        ["git", *identity, *arguments], cwd=project, capture_output=True, text=True, check=True
    ).stdout


def flask_commands(guide, command):
    """The `[uv run] flask COMMAND ...` lines of the guide's one bash block that has them."""
    blocks = [code for language, code, _ in snippets(guide) if language == "bash"]
    (block,) = [code for code in blocks if f"flask {command} " in code]
    lines = [line.removeprefix("uv run ") for line in block.splitlines() if line.strip()]
    return [shlex.split(line) for line in lines]


@pytest.fixture(scope="module", params=[{}, {"auth": "none"}], ids=["default", "auth-none"])
def built(request, cookies_session, template_dir):
    result = cookies_session.bake(template=str(template_dir), extra_context=request.param)
    assert result.exception is None, result.exception
    project = Path(result.project_path)
    guide = (project / GUIDE).read_text(encoding="utf-8")
    for command in flask_commands(guide, "scaffold"):
        run([sys.executable, "-m", *command], project)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "scaffolded")
    illustrations = apply_guide(project, guide)
    for command in flask_commands(guide, "openapi"):
        run([sys.executable, "-m", *command], project)
    git(project, "add", "-A")
    return project, guide, illustrations, request.param


def test_every_block_of_code_is_applied(built):
    _, _, illustrations, _ = built
    assert illustrations == []


def test_the_features_leave_the_plumbing_alone(built):
    project, guide, _, _ = built
    changed = git(project, "diff", "--cached", "--name-only").split()
    assert changed
    assert not [path for path in changed if path.startswith("src/plumbing/")]
    blocks = [code for language, code, _ in snippets(guide) if language in {"python", "diff"}]
    code = "\n".join(blocks)
    assert not re.search(r"def _(?!_)\w", code), "the guide overrides an underscored method"
    imported = set(re.findall(r"from src\.plumbing\.([\w.]+) import", code))
    assert imported <= PUBLIC_PLUMBING, imported - PUBLIC_PLUMBING


def test_each_filter_is_declared_in_one_place(built):
    project, _, _, _ = built
    for name in ("due_before", "done: bool | None"):
        declaring = [
            path.relative_to(project).as_posix()
            for path in (project / "src").rglob("*.py")
            if name in path.read_text(encoding="utf-8")
        ]
        assert declaring == ["src/services/task_service.py"]


def test_the_table_counts_what_the_guide_changes(built):
    project, guide, _, _ = built
    without_document = ["--", ".", ":(exclude)openapi.json"]
    status = git(project, "diff", "--cached", "--name-status", *without_document).splitlines()
    new = len([line for line in status if line.startswith("A")])
    files = f"| files | {new} new, {len(status) - new} changed, and `openapi.json` written again |"
    assert files in guide
    assert "openapi.json" in git(project, "diff", "--cached", "--name-only")
    numstat = git(project, "diff", "--cached", "--numstat", *without_document).splitlines()
    counts = [(int(added), int(removed), path) for added, removed, path in map(str.split, numstat)]
    added, removed = sum(count[0] for count in counts), sum(count[1] for count in counts)
    outside = [count for count in counts if not count[2].startswith("tests/")]
    outside_added = sum(count[0] for count in outside)
    outside_removed = sum(count[1] for count in outside)
    row = (
        f"| lines, without `openapi.json` | {added} added, {removed} removed; outside `tests/`, "
        f"{outside_added} added and "
        f"{outside_removed} removed |"
    )
    assert row in guide


def test_the_project_passes_the_linters_and_its_suite(built):
    project, _, _, options = built
    run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], project)
    run([sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "."], project)
    run(lint_imports_command(), project)
    selected = [] if not options else FOCUSED_TESTS
    suite = run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *selected],
        project,
        {**os.environ, "TEST_DATABASE_URL": postgres_server_url("run the guide's project's suite")},
        timeout=SUITE_TIMEOUT_SECONDS,
    )
    assert re.search(r"\d+ passed", suite), suite[-2000:]
    assert "failed" not in suite, suite[-2000:]
