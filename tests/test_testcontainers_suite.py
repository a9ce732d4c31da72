"""Without TEST_DATABASE_URL and TEST_BROKER_URL, the baked suite runs on servers in containers."""

import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

from conftest import DEFAULT_POSTGRES_IMAGE, docker_engine, postgres_image

SUITE_TIMEOUT_SECONDS = 900
# The image the baked docker-compose.yml and tests/resources/broker.py start.
DEFAULT_RABBITMQ_IMAGE = "rabbitmq:4-alpine"
URL_SETTINGS = ("TEST_DATABASE_URL", "TEST_BROKER_URL")
# The label testcontainers puts on every container it starts. Other tests of the run may start
# containers of the same images on the same engine meanwhile (scripts/run_postgres.sh, compose).
STARTED_BY_TESTCONTAINERS = "org.testcontainers=true"


def rabbitmq_image():
    return os.environ.get("TEST_RABBITMQ_IMAGE", "").strip() or DEFAULT_RABBITMQ_IMAGE


def run_suite_without_server_urls(project, report):
    environ = {key: value for key, value in os.environ.items() if key not in URL_SETTINGS}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}"],
        cwd=project,
        env=environ,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=SUITE_TIMEOUT_SECONDS,
    )


def container_actions(client, image, since, until):
    """{container id: [actions]} of testcontainers' containers of `image` between two times."""
    filters = {"type": "container", "image": image, "label": STARTED_BY_TESTCONTAINERS}
    events = client.events(since=since, until=until, filters=filters, decode=True)
    actions = {}
    for event in events:
        actions.setdefault(event["Actor"]["ID"], []).append(event["Action"])
    return actions


def job_test_outcomes(report):
    """{test id: outcome} of the tests in tests/jobs, from pytest's JUnit XML report.

    A module skipped while it was collected is a test case with no class, named after the module.
    """
    outcomes = {}
    for case in ET.parse(report).iter("testcase"):
        test = ".".join(part for part in (case.get("classname"), case.get("name")) if part)
        if test.startswith("tests.jobs."):
            found = [child.tag for child in case if child.tag in ("skipped", "failure", "error")]
            outcomes[test] = found[0] if found else "passed"
    return outcomes


def test_generated_suite_passes_on_containers_it_starts_and_removes(bakery, tmp_path):
    client = docker_engine("run the generated suite on testcontainers' PostgreSQL and RabbitMQ")
    project = bakery.bake(worker="y")
    report = tmp_path / "report.xml"
    since = int(time.time())

    completed = run_suite_without_server_urls(project, report)

    until = int(time.time()) + 1
    assert completed.returncode == 0, completed.stdout[-8000:] + completed.stderr[-4000:]
    assert re.search(r"\d+ passed", completed.stdout), completed.stdout[-2000:]
    (postgres,) = container_actions(client, postgres_image(), since, until).values()
    assert postgres[:2] == ["create", "start"], postgres
    execs = [action for action in postgres if action.startswith("exec_start")]
    assert any("psql" in action for action in execs), f"no readiness check by psql: {postgres}"
    assert postgres[-1] == "destroy", postgres
    (rabbitmq,) = container_actions(client, rabbitmq_image(), since, until).values()
    assert rabbitmq[:2] == ["create", "start"], rabbitmq
    assert rabbitmq[-1] == "destroy", rabbitmq
    for image in (postgres_image(), rabbitmq_image()):
        left = {"ancestor": image, "label": STARTED_BY_TESTCONTAINERS}
        assert client.containers.list(all=True, filters=left) == []
    # The job tests ran on that broker: none skipped for want of one.
    outcomes = job_test_outcomes(report)
    assert outcomes, "no test of tests/jobs in the report"
    assert set(outcomes.values()) == {"passed"}, outcomes


def images_named(project, uses):
    """{path: the images that the path's pattern finds in that file of the bake}."""
    return {
        path: re.findall(pattern, (project / path).read_text(encoding="utf-8"))
        for path, pattern in uses.items()
    }


def test_every_docker_postgres_of_the_project_starts_the_same_image(bakery):
    project = bakery.bake()
    uses = {
        "tests/resources/database.py": r'DEFAULT_POSTGRES_IMAGE = "([^"]+)"',
        "scripts/run_postgres.sh": r"POSTGRES_IMAGE:-([^}]+)\}",
        "docker-compose.yml": r"image: (postgres\S*)",
        # CI pins the same image to a digest as well (zizmor asks for it; Renovate keeps it fresh).
        ".github/workflows/ci.yml": r"image: (postgres[^@\s]*)@sha256:[0-9a-f]{64}\b",
    }
    assert images_named(project, uses) == {path: [DEFAULT_POSTGRES_IMAGE] for path in uses}


def test_every_docker_rabbitmq_of_the_project_starts_the_same_image(bakery):
    project = bakery.bake(worker="y")
    uses = {
        "tests/resources/broker.py": r'DEFAULT_RABBITMQ_IMAGE = "([^"]+)"',
        "docker-compose.yml": r"image: (rabbitmq\S*)",
        ".github/workflows/ci.yml": r"image: (rabbitmq[^@\s]*)@sha256:[0-9a-f]{64}\b",
    }
    assert images_named(project, uses) == {path: [DEFAULT_RABBITMQ_IMAGE] for path in uses}
