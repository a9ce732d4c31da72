"""The baked resource guide works as written: its snippets, applied to a fresh bake, pass.

The guide introduces each file it adds with a line naming the file and shows each edit as a
diff. This test applies them in order, runs the guide's migration commands on PostgreSQL, then
the linters and the project's whole suite. Snippets that only illustrate are checked to be
complete: ruff finds no undefined name in them.
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
from test_migrations import postgres_database

GUIDE = "docs/adding-a-resource.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.M | re.S)
FILE_LINE = re.compile(r"`([\w./]+\.py)`:\s*$")
SUITE_TIMEOUT_SECONDS = 900
COMMAND_TIMEOUT_SECONDS = 180


def snippets(guide):
    """(language, code, the file it is introduced as, or None) for every fenced block, in order."""
    for match in FENCE.finditer(guide):
        before = guide[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        named = FILE_LINE.search(before)
        yield match.group(1), match.group(2), named.group(1) if named else None


def run(command, project, environ=None, timeout=COMMAND_TIMEOUT_SECONDS, stdin=None):
    completed = subprocess.run(
        command,
        cwd=project,
        env=environ,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, f"{' '.join(command)}\n{output[-6000:]}"
    return output


def apply_guide(project, guide):
    """Write the guide's files and apply its diffs; return the snippets that only illustrate."""
    illustrations = []
    for language, code, path in snippets(guide):
        if language == "python" and path:
            target = project / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(code, encoding="utf-8")
        elif language == "diff":
            run(["git", "apply", "--verbose", "-"], project, stdin=code)
        elif language == "python":
            illustrations.append(code)
    return illustrations


def migration_commands(guide):
    (block,) = [code for language, code, _ in snippets(guide) if "flask db migrate" in code]
    return [shlex.split(line) for line in block.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def guided_project(cookies_session, template_dir):
    result = cookies_session.bake(template=str(template_dir))
    assert result.exception is None, result.exception
    project = Path(result.project_path)
    guide = (project / GUIDE).read_text(encoding="utf-8")
    return project, guide, apply_guide(project, guide)


def test_the_guide_adds_every_file_its_table_lists(guided_project):
    project, guide, _ = guided_project
    listed = re.findall(r"^\| \d \| `([\w./]+\.py)`(?! \(edit\))", guide, re.M)
    assert len(listed) == 6, listed
    for path in listed:
        assert (project / path).is_file(), path


def test_the_illustrations_are_complete_code(guided_project):
    project, _, illustrations = guided_project
    assert illustrations, "the guide shows no illustrative snippet"
    scratch = project / "illustrations"
    scratch.mkdir()
    try:
        for number, code in enumerate(illustrations):
            (scratch / f"snippet_{number}.py").write_text(code, encoding="utf-8")
        run(
            [
                sys.executable,
                "-m",
                "ruff",
                "check",
                "--no-cache",
                "--select",
                "F,E",
                "illustrations",
            ],
            project,
        )
    finally:
        for snippet in scratch.iterdir():
            snippet.unlink()
        scratch.rmdir()


def test_the_project_passes_migrations_linters_and_its_suite(guided_project):
    project, guide, _ = guided_project
    with postgres_database(project) as database:
        environ = database.environ
        outputs = [
            run([sys.executable, "-m", *command], project, environ)
            for command in migration_commands(guide)
        ]
    assert "No new upgrade operations detected." in outputs[-1]
    assert len(list((project / "migrations" / "versions").glob("*_add_project.py"))) == 1

    run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], project)
    run([sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "."], project)
    run(lint_imports_command(), project)
    suite = run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        project,
        {**os.environ, "TEST_DATABASE_URL": postgres_server_url("run the guided project's suite")},
        timeout=SUITE_TIMEOUT_SECONDS,
    )
    for test_file in ("test_project.py", "test_project_service.py", "test_project_api.py"):
        assert list((project / "tests").rglob(test_file)), test_file
    assert re.search(r"\d+ passed", suite), suite[-2000:]
