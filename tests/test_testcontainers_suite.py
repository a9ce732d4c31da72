"""Without TEST_DATABASE_URL, the baked suite runs on PostgreSQL in a testcontainers container."""

import os
import re
import subprocess
import sys
import time

from conftest import DEFAULT_POSTGRES_IMAGE, docker_engine, postgres_image

SUITE_TIMEOUT_SECONDS = 900


def run_suite_without_database_url(project):
    environ = {key: value for key, value in os.environ.items() if key != "TEST_DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project,
        env=environ,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=SUITE_TIMEOUT_SECONDS,
    )


def container_actions(client, image, since, until):
    """{container id: [actions]} of the containers of `image` between two times, in order."""
    events = client.events(
        since=since, until=until, filters={"type": "container", "image": image}, decode=True
    )
    actions = {}
    for event in events:
        actions.setdefault(event["Actor"]["ID"], []).append(event["Action"])
    return actions


def test_generated_suite_passes_on_a_container_it_starts_and_removes(bakery):
    client = docker_engine("run the generated suite on a testcontainers database")
    image = postgres_image()
    project = bakery.bake()
    since = int(time.time())

    completed = run_suite_without_database_url(project)

    until = int(time.time()) + 1
    assert completed.returncode == 0, completed.stdout[-8000:] + completed.stderr[-4000:]
    assert re.search(r"\d+ passed", completed.stdout), completed.stdout[-2000:]
    (actions,) = container_actions(client, image, since, until).values()
    assert actions[:2] == ["create", "start"], actions
    execs = [action for action in actions if action.startswith("exec_start")]
    assert any("psql" in action for action in execs), f"no readiness check by psql: {actions}"
    assert actions[-1] == "destroy", actions
    assert client.containers.list(all=True, filters={"ancestor": image}) == []


def test_every_docker_postgres_of_the_project_starts_the_same_image(bakery):
    project = bakery.bake()
    uses = {
        "tests/resources/database.py": r'DEFAULT_POSTGRES_IMAGE = "([^"]+)"',
        "scripts/run_postgres.sh": r"POSTGRES_IMAGE:-([^}]+)\}",
        "docker-compose.yml": r"image: (postgres\S*)",
        # CI pins the same image to a digest as well (zizmor asks for it; Renovate keeps it fresh).
        ".github/workflows/ci.yml": r"image: (postgres[^@\s]*)@sha256:[0-9a-f]{64}\b",
    }
    images = {
        path: re.findall(pattern, (project / path).read_text(encoding="utf-8"))
        for path, pattern in uses.items()
    }
    assert images == {path: [DEFAULT_POSTGRES_IMAGE] for path in uses}
