"""What keeps a baked project current and its CI safe: Renovate and zizmor."""

import json
import subprocess

import pytest
from test_bake import OPTIONS_ONE_AT_A_TIME, option_id
from test_deploy_files import run_ok, tool

WORKFLOW_OPTIONS = [
    option for option in OPTIONS_ONE_AT_A_TIME if option != {"use_github_actions": "n"}
]
PEDANTIC_FINDINGS_KEPT = set()
RENOVATE_SCHEMA = "vendor.renovate"


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
