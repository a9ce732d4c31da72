"""A baked `scripts/run_postgres.sh`, against a fake `docker` recording its calls, and for real."""

import os
import shutil
import stat
import subprocess
import sys
import uuid

import pytest
from conftest import docker_engine, free_port, postgres_image
from fake_docker import FakeDocker
from sqlalchemy import create_engine, make_url, text

URI_LINE = "SQLALCHEMY_DATABASE_URI="
DEFAULT_URI = "postgresql://postgres:postgres@127.0.0.1:5432/todo_service"
SCRIPT_TIMEOUT_SECONDS = 60


def run_script(project, path, **settings):
    environ = {key: value for key, value in os.environ.items() if not key.startswith("POSTGRES_")}
    return subprocess.run(
        [str(project / "scripts" / "run_postgres.sh")],
        cwd=project,
        env={**environ, "PATH": path, **settings},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=SCRIPT_TIMEOUT_SECONDS,
    )


def run_with(project, docker, **settings):
    path = f"{docker.bin}{os.pathsep}{os.environ['PATH']}"
    return run_script(project, path, FAKE_DOCKER_STATE=str(docker.state), **settings)


def uri_lines(project):
    env = (project / ".env").read_text(encoding="utf-8")
    return [line for line in env.splitlines() if line.startswith(URI_LINE)]


@pytest.fixture
def project(bakery):
    return bakery.bake()


def test_without_docker_it_says_so_and_fails(project, tmp_path):
    tools = tmp_path / "tools"
    tools.mkdir()
    for name in ("bash", "dirname"):
        (tools / name).symlink_to(shutil.which(name))

    completed = run_script(project, str(tools))

    assert completed.returncode != 0
    assert "Docker is not installed" in completed.stderr
    assert uri_lines(project) == [URI_LINE]


def test_with_docker_but_no_engine_it_says_so_and_fails(project, tmp_path):
    docker = FakeDocker(tmp_path, engine=False)

    completed = run_with(project, docker)

    assert completed.returncode != 0
    assert "engine does not answer" in completed.stderr
    assert docker.calls("run") == []


def test_first_run_creates_the_container_waits_and_sets_the_uri_once(project, tmp_path):
    docker = FakeDocker(tmp_path, not_ready_polls=2)
    before = (project / ".env").read_text(encoding="utf-8").splitlines()

    completed = run_with(project, docker)

    assert completed.returncode == 0, completed.stderr
    (run,) = docker.calls("run")
    assert run[-1] == "postgres:16-alpine"
    assert run[run.index("--publish") : run.index("--publish") + 2] == ["--publish", "5432:5432"]
    assert len(docker.calls("exec")) == 3, "the script should poll until PostgreSQL is ready"
    after = (project / ".env").read_text(encoding="utf-8").splitlines()
    assert after == [f"{URI_LINE}{DEFAULT_URI}" if line == URI_LINE else line for line in before]
    assert stat.S_IMODE((project / ".env").stat().st_mode) == 0o600


def test_a_second_run_reuses_the_container_and_does_not_duplicate_the_line(project, tmp_path):
    docker = FakeDocker(tmp_path)
    run_with(project, docker)
    first = (project / ".env").read_text(encoding="utf-8")

    completed = run_with(project, docker)

    assert completed.returncode == 0, completed.stderr
    assert len(docker.calls("run")) == 1
    assert (project / ".env").read_text(encoding="utf-8") == first
    assert uri_lines(project) == [f"{URI_LINE}{DEFAULT_URI}"]


def test_a_stopped_container_is_started_on_the_port_it_was_created_with(project, tmp_path):
    docker = FakeDocker(tmp_path, container={"running": False, "port": "5440"})

    completed = run_with(project, docker)

    assert completed.returncode == 0, completed.stderr
    assert docker.calls("run") == []
    assert len(docker.calls("start")) == 1
    assert uri_lines(project) == [f"{URI_LINE}{DEFAULT_URI.replace(':5432/', ':5440/')}"]


def test_port_image_credentials_and_database_come_from_the_environment(project, tmp_path):
    docker = FakeDocker(tmp_path)
    settings = {
        "POSTGRES_PORT": "5433",
        "POSTGRES_IMAGE": "postgres:17-alpine",
        "POSTGRES_USER": "orders",
        "POSTGRES_PASSWORD": "p@ss word",
        "POSTGRES_DB": "orders_db",
        "POSTGRES_CONTAINER": "orders-db",
    }

    completed = run_with(project, docker, **settings)

    assert completed.returncode == 0, completed.stderr
    (run,) = docker.calls("run")
    assert run[-1] == "postgres:17-alpine"
    assert {"5433:5432", "orders-db", "POSTGRES_USER=orders", "POSTGRES_DB=orders_db"} <= set(run)
    assert "POSTGRES_PASSWORD=p@ss word" in run
    assert uri_lines(project) == [
        f"{URI_LINE}postgresql://orders:p%40ss%20word@127.0.0.1:5433/orders_db"
    ]


def test_an_env_without_the_line_gets_it_appended(project, tmp_path):
    env = project / ".env"
    kept = [
        line
        for line in env.read_text(encoding="utf-8").splitlines()
        if not line.startswith(URI_LINE)
    ]
    env.write_text("\n".join(kept), encoding="utf-8")

    completed = run_with(project, FakeDocker(tmp_path))

    assert completed.returncode == 0, completed.stderr
    assert env.read_text(encoding="utf-8").splitlines() == [*kept, f"{URI_LINE}{DEFAULT_URI}"]


def test_it_gives_up_when_postgres_never_accepts_connections(project, tmp_path):
    docker = FakeDocker(tmp_path, not_ready_polls=100)

    completed = run_with(project, docker, POSTGRES_WAIT_SECONDS="1")

    assert completed.returncode != 0
    assert "did not accept connections" in completed.stderr
    assert uri_lines(project) == [URI_LINE]


def test_the_script_passes_shellcheck(project):
    shellcheck = shutil.which("shellcheck", path=os.path.dirname(sys.executable)) or shutil.which(
        "shellcheck"
    )
    if shellcheck is None:
        pytest.fail("shellcheck is not installed; pip install -r requirements-dev.txt")
    completed = subprocess.run(
        [shellcheck, "scripts/run_postgres.sh"], cwd=project, capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stdout


@pytest.fixture
def engine_container():
    """The name of a container the test may create on a real engine, removed afterwards."""
    client = docker_engine("start PostgreSQL with scripts/run_postgres.sh")
    name = f"run-postgres-{uuid.uuid4().hex[:8]}"
    yield name
    for container in client.containers.list(all=True, filters={"name": f"^{name}$"}):
        container.remove(force=True, v=True)


def test_on_a_real_engine_it_starts_postgres_once_and_the_uri_connects(project, engine_container):
    settings = {
        "POSTGRES_IMAGE": postgres_image(),
        "POSTGRES_PORT": str(free_port()),
        "POSTGRES_CONTAINER": engine_container,
    }

    first = run_script(project, os.environ["PATH"], **settings)
    assert first.returncode == 0, first.stdout + first.stderr
    (line,) = uri_lines(project)
    second = run_script(project, os.environ["PATH"], **settings)

    assert second.returncode == 0, second.stdout + second.stderr
    assert f"Reusing the running container {engine_container}." in second.stdout
    assert uri_lines(project) == [line]
    url = make_url(line.removeprefix(URI_LINE))
    assert url.host == "127.0.0.1"
    engine = create_engine(url.set(drivername="postgresql+psycopg2"))
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT current_database()")).scalar() == "todo_service"
    finally:
        engine.dispose()
