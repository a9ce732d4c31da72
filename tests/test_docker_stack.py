"""The image and the compose stack of a worker=y bake, built and started on a private Docker engine.

The Dockerfile's base is the official Python image; here no registry is reachable, so the build
names the Python image that .ci/docker-engine.sh makes from Debian's packages
(TEST_PYTHON_IMAGE) and the uv image it makes from the installed uv (TEST_UV_IMAGE) through the
Dockerfile's PYTHON_IMAGE and UV_IMAGE arguments; the compose file's PostgreSQL is
TEST_POSTGRES_IMAGE, its Redis TEST_REDIS_IMAGE and its RabbitMQ TEST_RABBITMQ_IMAGE. Both ways
the README runs the image, `docker compose up` and `docker run` alone, must answer ordinary
requests while slow and idle clients hold connections open (docs/deployment.md says why), and a
completed todo's event must reach the worker's job through the relay and RabbitMQ.
"""

import json
import os
import shutil
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path

import jwt
import pytest
from conftest import docker_engine, free_port, missing, postgres_image
from slow_clients import under_attack
from test_bake import env_values

STACK_SECONDS = 180
# The relay polls every second and the worker takes the event at once; the rest is slack.
EVENT_SECONDS = 60
# The compose file checks the heartbeats every 30 s, the first time 30 s after the start.
HEALTHY_SECONDS = 120
ATTACK_SECONDS = 20
DATABASE = "todo_service"
COMPOSE_LABEL = "com.docker.compose"


def local_image(variable):
    """An image .ci/docker-engine.sh made here, named by `variable`, for the build's FROM lines."""
    image = os.environ.get(variable, "").strip()
    if not image:
        missing(f"{variable} is not set (.ci/docker-engine.sh exports it)", "build the image")
    return image


def compose_command():
    """Compose v2 as a docker plugin, or Debian's docker-compose; both read the same file."""
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    plugin = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
    if plugin.returncode == 0:
        return ["docker", "compose"]
    return missing("neither docker compose nor docker-compose is installed", "start the stack")


def wait_until_ready(url, seconds=STACK_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return json.load(response)
        except OSError:
            time.sleep(1)
    pytest.fail(f"{url} did not answer 200 within {seconds}s")


class Stack:
    """The baked project's image and its compose stack, under a project name of their own."""

    def __init__(self, project, client):
        self.project = project
        self.client = client
        self.name = f"fot{uuid.uuid4().hex[:10]}"
        self.image = f"fot-test/{self.name}:latest"
        self.port = free_port()
        self.override = project.parent / "docker-compose.test.yml"
        files = ["-f", "docker-compose.yml", "-f", str(self.override)]
        self.compose = [*compose_command(), "-p", self.name, *files]

    def build(self):
        self.client.images.build(
            path=str(self.project),
            buildargs={
                "PYTHON_IMAGE": local_image("TEST_PYTHON_IMAGE"),
                "UV_IMAGE": local_image("TEST_UV_IMAGE"),
            },
            # uv in the build reaches the package index as this machine does.
            network_mode="host",
            tag=self.image,
            rm=True,
            forcerm=True,
        )

    def up(self):
        images = {
            "db": postgres_image(),
            "redis": local_image("TEST_REDIS_IMAGE"),
            "rabbitmq": local_image("TEST_RABBITMQ_IMAGE"),
            "migrate": self.image,
            "app": self.image,
            "relay": self.image,
            "worker": self.image,
        }
        services = {name: {"image": image} for name, image in images.items()}
        self.override.write_text(json.dumps({"services": services}), encoding="utf-8")
        self.run_compose("up", "--detach")
        return wait_until_ready(f"http://127.0.0.1:{self.port}/health/ready")

    def run_compose(self, *arguments):
        environ = {**os.environ, "APP_PORT": str(self.port)}
        completed = subprocess.run(
            [*self.compose, *arguments],
            cwd=self.project,
            env=environ,
            capture_output=True,
            text=True,
            timeout=STACK_SECONDS,
            check=False,
        )
        assert completed.returncode == 0, completed.stdout + completed.stderr
        return completed.stdout

    def down(self):
        self.run_compose("down", "--volumes")
        self.client.images.remove(self.image, force=True)

    def container(self, service):
        """The service's container; compose labels it with project and service."""
        labels = [f"{COMPOSE_LABEL}.project={self.name}", f"{COMPOSE_LABEL}.service={service}"]
        (container,) = self.client.containers.list(all=True, filters={"label": labels})
        return container

    def logs(self, service):
        """What the service's container wrote."""
        return self.container(service).logs().decode()

    def query(self, sql):
        """The rows `sql` reads in the stack's database (psql in the db container), one per line."""
        command = ["psql", "-U", "postgres", "-d", DATABASE, "-At", "-c", sql]
        exit_code, output = self.container("db").exec_run(command)
        assert exit_code == 0, output.decode()
        return output.decode().splitlines()


@pytest.fixture(scope="module")
def stack(cookies_session, template_dir):
    client = docker_engine("build the image and start the compose stack")
    local_image("TEST_PYTHON_IMAGE")
    local_image("TEST_UV_IMAGE")
    local_image("TEST_REDIS_IMAGE")
    local_image("TEST_RABBITMQ_IMAGE")
    result = cookies_session.bake(template=str(template_dir), extra_context={"worker": "y"})
    assert result.exception is None, result.exception
    stack = Stack(Path(result.project_path), client)
    stack.build()
    try:
        assert stack.up() == {"status": "ok"}
        yield stack
    finally:
        stack.down()


def token(project, scopes):
    secret = env_values((project / ".env").read_text(encoding="utf-8"))["JWT_SECRET"]
    claims = {"sub": "stack-test", "scope": " ".join(scopes), "exp": int(time.time()) + 600}
    return jwt.encode(claims, secret, algorithm="HS256")


def write(stack, method, path, body, **headers):
    """(status, JSON body) of a write to the stack's app, with a token that may write todos."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{stack.port}{path}",
        data=json.dumps(body).encode(),
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token(stack.project, ['todo:write'])}",
            **headers,
        },
        method=method,
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.load(response)


def test_the_stack_migrates_serves_and_logs_json(stack):
    status, _ = write(stack, "POST", "/v1/todo", {"title": "From the compose stack"})
    assert status == 201
    # The bake's .env leaves LOG_FORMAT empty, so production writes JSON: every line parses.
    records = [json.loads(line) for line in stack.logs("app").splitlines() if line.strip()]
    assert any("Booting worker" in record["message"] for record in records)
    assert any(record.get("status") == 201 for record in records)


def test_the_stack_answers_while_slow_and_idle_clients_hold_connections(stack):
    probes = under_attack("127.0.0.1", stack.port, "/health/live", ATTACK_SECONDS)

    assert probes.failed == 0, probes
    assert probes.answered > ATTACK_SECONDS, probes


def test_the_image_alone_answers_as_the_readme_runs_it(stack):
    """`docker run --env-file .env -e APP_ENV=production ...`, on the stack's network."""
    environment = env_values((stack.project / ".env").read_text(encoding="utf-8"))
    environment |= {
        "APP_ENV": "production",
        "JWT_ALLOW_SHARED_SECRET": "true",
        "SQLALCHEMY_DATABASE_URI": f"postgresql://postgres:postgres@db:5432/{DATABASE}",
    }
    port = free_port()
    container = stack.client.containers.run(
        stack.image,
        detach=True,
        environment=environment,
        network=f"{stack.name}_default",
        ports={"7000/tcp": ("127.0.0.1", port)},
    )
    try:
        assert wait_until_ready(f"http://127.0.0.1:{port}/health/ready") == {"status": "ok"}
        probes = under_attack("127.0.0.1", port, "/health/live", ATTACK_SECONDS)
        assert probes.failed == 0, probes
        assert probes.answered > ATTACK_SECONDS, probes
        logged = container.logs().decode().splitlines()
        records = [json.loads(line) for line in logged if line.strip()]
        assert any(record.get("route") == "/health/live" for record in records)
    finally:
        container.remove(force=True)


def test_a_completed_todos_event_goes_through_the_relay_to_the_workers_job(stack):
    _, todo = write(stack, "POST", "/v1/todo", {"title": "Completed in the compose stack"})
    completed = {"completed": True}
    status, _ = write(stack, "PATCH", f"/v1/todo/{todo['id']}", completed, **{"If-Match": "*"})
    assert status == 200

    # The job of TodoCompleted writes one notification row for the todo.
    sql = f"SELECT message FROM notification WHERE todo_id = {int(todo['id'])}"
    deadline = time.monotonic() + EVENT_SECONDS
    while not (notified := stack.query(sql)) and time.monotonic() < deadline:
        time.sleep(1)
    expected = ["'Completed in the compose stack' was completed."]
    assert notified == expected, stack.logs("relay")[-3000:] + stack.logs("worker")[-3000:]


def test_the_relay_and_the_worker_become_healthy_by_their_heartbeats(stack):
    deadline = time.monotonic() + HEALTHY_SECONDS
    states = {}
    while time.monotonic() < deadline:
        for service in ("relay", "worker"):
            container = stack.container(service)
            states[service] = container.attrs["State"]["Health"]["Status"]
        if set(states.values()) == {"healthy"}:
            return
        time.sleep(2)
    pytest.fail(f"not healthy within {HEALTHY_SECONDS}s: {states}")
