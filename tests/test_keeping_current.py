"""What keeps a baked project current and its CI safe: Renovate, zizmor, the template update."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TEMPLATE, CruftCli, load_module
from test_bake import OPTIONS_ONE_AT_A_TIME, option_id
from test_deploy_files import run_ok, tool

WORKFLOW_OPTIONS = [
    option for option in OPTIONS_ONE_AT_A_TIME if option != {"use_github_actions": "n"}
]
# zizmor's pedantic persona asks for `gh pr create` instead of peter-evans/create-pull-request; the
# action also refreshes the pull request and its branch each week, which would need a script.
PEDANTIC_FINDINGS_KEPT = {"superfluous-actions"}
RENOVATE_SCHEMA = "vendor.renovate"
UPDATE_SCRIPT = Path(".github") / "scripts" / "template-update.sh"
CHANGES_SCRIPT = Path(".github") / "scripts" / "template_changes.py"
CHANGELOG = """# Changelog

Intro text.

## Unreleased

- Something new.

Upgrade notes: run `flask db upgrade`.

## 0.3.0 (2026-12-01)

- Something older.

## 0.2.0 (2026-11-29)

- The version the project was baked from.
"""


def zizmor_findings(project, *persona):
    completed = subprocess.run(
        [tool("zizmor"), "--offline", "--format", "json", *persona, ".github/workflows"],
        cwd=project,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    return completed, json.loads(completed.stdout or "[]")


@pytest.mark.parametrize("options", WORKFLOW_OPTIONS, ids=option_id)
def test_the_workflows_pass_zizmor(bakery, options):
    project = bakery.bake(**options)
    completed, findings = zizmor_findings(project)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert findings == []
    _, pedantic = zizmor_findings(project, "--persona", "pedantic")
    assert {finding["ident"] for finding in pedantic} <= PEDANTIC_FINDINGS_KEPT


def test_renovate_config_matches_its_schema_and_pins_what_it_updates(bakery):
    project = bakery.bake()
    run_ok(
        [tool("check-jsonschema"), "--builtin-schema", RENOVATE_SCHEMA, "renovate.json"], project
    )
    config = json.loads((project / "renovate.json").read_text(encoding="utf-8"))
    assert config["lockFileMaintenance"]["enabled"] is True
    assert {"helpers:pinGitHubActionDigests", "docker:pinDigests"} <= set(config["extends"])


def test_the_pull_request_text_quotes_the_changelog_since_the_projects_version(bakery):
    changes = load_module(bakery.bake() / CHANGES_SCRIPT)

    text = changes.pull_request_text(CHANGELOG, "0.3.0", ["pyproject.toml"])

    assert "since version 0.3.0" in text
    assert "- `pyproject.toml`" in text
    assert "## Unreleased\n\n- Something new.\n\nUpgrade notes: run `flask db upgrade`." in text
    assert "0.3.0 (2026-12-01)" not in text
    assert "Intro text." not in text
    assert [section.splitlines()[0] for section in changes.entries_since(CHANGELOG, "0.2.0")] == [
        "## Unreleased",
        "## 0.3.0 (2026-12-01)",
    ]
    assert changes.entries_since(CHANGELOG, "0.1.0") is None
    assert "names version 0.1.0; here is all of it" in changes.pull_request_text(
        CHANGELOG, "0.1.0", []
    )


def test_this_templates_changelog_has_the_headings_the_pull_request_needs(bakery, template_version):
    changes = load_module(bakery.bake() / CHANGES_SCRIPT)
    changelog = (TEMPLATE / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changes.entries_since(changelog, template_version) is not None, "no heading names it"
    since_first = changes.entries_since(changelog, "0.1.0")
    assert since_first[0].startswith("## Unreleased\n")
    assert not [section for section in since_first if section.startswith("## 0.1.0")]


def template_copy(destination):
    """This working tree as a git repository of its own, for cruft to bake and update from."""
    ignored = shutil.ignore_patterns(
        ".git", ".ci-venv", "__pycache__", ".pytest_cache", ".ruff_cache"
    )
    shutil.copytree(TEMPLATE, destination, ignore=ignored)
    return destination


def test_the_weekly_update_merges_the_template_and_writes_the_pull_request(
    tmp_path, cookiecutter_cli
):
    """The workflow's script in a project baked with cruft, after the template gained a commit."""
    cruft_cli = CruftCli(cookiecutter_cli)
    template = template_copy(tmp_path / "template")
    cruft_cli.commit_all(template, "The template as it is")
    (tmp_path / "out").mkdir()
    created = cruft_cli.run("create", "--no-input", str(template), cwd=tmp_path / "out")
    assert created.returncode == 0, created.stdout + created.stderr
    project = tmp_path / "out" / "todo-service"
    cruft_cli.commit_all(project, "Bake")
    changelog = template / "CHANGELOG.md"
    changelog.write_text(
        changelog.read_text(encoding="utf-8").replace(
            "## Unreleased\n\n", "## Unreleased\n\n- A line the weekly update must quote.\n", 1
        ),
        encoding="utf-8",
    )
    with open(
        template / "{{cookiecutter.repo_name}}" / "Makefile", "a", encoding="utf-8"
    ) as makefile:
        makefile.write("\n# A template change the update must bring.\n")
    cruft_cli.commit_all(template, "A change to bring")
    output = tmp_path / "github-output"
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()

    updated = subprocess.run(
        ["bash", str(UPDATE_SCRIPT)],
        cwd=project,
        env={
            **{key: value for key, value in cruft_cli.environ.items() if key != "VIRTUAL_ENV"},
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            "RUNNER_TEMP": str(runner_temp),
            "GITHUB_OUTPUT": str(output),
            "UV_PYTHON_DOWNLOADS": "never",
        },
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=600,
    )

    assert updated.returncode == 0, updated.stdout[-3000:] + updated.stderr[-3000:]
    assert output.read_text(encoding="utf-8") == "changed=true\n"
    head = cruft_cli.git("rev-parse", "HEAD", cwd=template).strip()
    assert json.loads((project / ".cruft.json").read_text(encoding="utf-8"))["commit"] == head
    assert "# A template change the update must bring." in (project / "Makefile").read_text()
    text = (runner_temp / "template-update.md").read_text(encoding="utf-8")
    assert "- A line the weekly update must quote." in text
    assert "## Files to resolve" not in text
    assert cruft_cli.git("diff", "--name-only", "--diff-filter=U", cwd=project) == ""


def test_the_update_script_passes_shellcheck(bakery):
    project = bakery.bake()
    run_ok([tool("shellcheck"), str(UPDATE_SCRIPT)], project)
