"""gunicorn serves a baked project as the README and the Dockerfile start it."""

import json
import os
import re
import subprocess
import sys
import urllib.request

import pytest
from conftest import free_port, wait_for_json

STARTUP_SECONDS = 30
# Everything gunicorn.conf.py reads, and variables that prometheus_client and OpenTelemetry read.
EMPTY_SETTINGS = (
    "GUNICORN_BIND",
    "GUNICORN_WORKERS",
    "GUNICORN_THREADS",
    "GUNICORN_WORKER_CLASS",
    "GUNICORN_WORKER_CONNECTIONS",
    "GUNICORN_TIMEOUT",
    "GUNICORN_GRACEFUL_TIMEOUT",
    "GUNICORN_KEEPALIVE",
    "GUNICORN_LIMIT_REQUEST_LINE",
    "GUNICORN_LIMIT_REQUEST_FIELDS",
    "GUNICORN_LIMIT_REQUEST_FIELD_SIZE",
    "GUNICORN_CONTROL_SOCKET",
    "LOG_LEVEL",
    "LOG_FORMAT",
    "PROMETHEUS_MULTIPROC_DIR",
    "OTEL_SERVICE_NAME",
    "OTEL_EXPORTER_OTLP_TIMEOUT",
)


def project_environ(**settings):
    """Drop the caller's GUNICORN_*, prefix and database settings: the project's .env decides."""
    keep = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GUNICORN_", "SERVICE_PREFIX", "SQLALCHEMY_", "APP_ENV", "FLASK_"))
    }
    return {**keep, **settings}


def start_gunicorn(project, *flags, **settings):
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "wsgi:app", *flags],
        cwd=project,
        env=project_environ(**settings),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def stop(server):
    server.terminate()
    try:
        _, errors = server.communicate(timeout=STARTUP_SECONDS)
    except subprocess.TimeoutExpired:
        server.kill()
        _, errors = server.communicate()
    return errors


def dockerfile_healthcheck(project, port):
    """The HEALTHCHECK command of the Dockerfile, pointed at `port` instead of the image's 7000."""
    text = (project / "Dockerfile").read_text(encoding="utf-8")
    command = json.loads(re.search(r"HEALTHCHECK [^\n]*\\\n\s*CMD (\[.*\])", text).group(1))
    return [
        sys.executable if part == "python" else part.replace(":7000", f":{port}")
        for part in command
    ]


@pytest.mark.parametrize("service_prefix", ["", "example"])
def test_settings_from_the_environment_and_the_docker_healthcheck(bakery, service_prefix):
    project = bakery.bake(service_prefix=service_prefix)
    base = f"/{service_prefix}" if service_prefix else ""
    port = free_port()
    server = start_gunicorn(project, GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="2")
    try:
        assert wait_for_json(f"http://127.0.0.1:{port}{base}/health/live", server) == (
            200,
            {"status": "ok"},
        )
        assert wait_for_json(f"http://127.0.0.1:{port}{base}/health/ready", server) == (
            200,
            {"status": "ok"},
        )
        healthcheck = subprocess.run(
            dockerfile_healthcheck(project, port),
            env=project_environ(SERVICE_PREFIX=service_prefix),
            capture_output=True,
            text=True,
            timeout=STARTUP_SECONDS,
        )
        assert healthcheck.returncode == 0, healthcheck.stderr
    finally:
        errors = stop(server)
    assert errors.count("Booting worker") == 2, errors


def test_the_readme_command_line_still_wins_over_the_config_file(bakery):
    project = bakery.bake()
    port = free_port()
    flags = ["-b", f"127.0.0.1:{port}", "--workers=1", "--preload"]
    server = start_gunicorn(project, *flags, GUNICORN_BIND="127.0.0.1:1", GUNICORN_WORKERS="3")
    try:
        assert wait_for_json(f"http://127.0.0.1:{port}/health/live", server)[0] == 200
    finally:
        errors = stop(server)
    assert errors.count("Booting worker") == 1, errors


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("GUNICORN_WORKERS", "many", "must be a positive whole number"),
        # 0 means "unlimited" to gunicorn: an unbounded request line held in memory.
        ("GUNICORN_LIMIT_REQUEST_LINE", "0", "must be a positive whole number"),
        # gunicorn would silently lower it to 8190: the documented limit would not be the real one.
        ("GUNICORN_LIMIT_REQUEST_LINE", "8191", "may be at most 8190"),
        ("GUNICORN_LIMIT_REQUEST_FIELDS", "32769", "may be at most 32768"),
        ("GUNICORN_LIMIT_REQUEST_FIELD_SIZE", "8k", "must be a positive whole number"),
        ("GUNICORN_WORKER_CLASS", "eventlet", "must be one of gevent, sync, gthread"),
        # Threads would be ignored by gevent's worker: say so rather than run something else.
        ("GUNICORN_THREADS", "4", "needs GUNICORN_WORKER_CLASS=gthread"),
    ],
)
def test_a_malformed_setting_stops_gunicorn_with_a_clear_message(bakery, name, value, message):
    completed = subprocess.run(
        [sys.executable, "-m", "gunicorn", "wsgi:app"],
        cwd=bakery.bake(),
        env=project_environ(**{name: value}),
        capture_output=True,
        text=True,
        timeout=STARTUP_SECONDS,
    )
    assert completed.returncode != 0
    assert f"{name} {message}" in completed.stderr


def test_workers_are_gevent_and_empty_settings_take_their_defaults(bakery, tmp_path):
    """An empty line in a ConfigMap or compose file means the default, for gunicorn's settings and
    the variables libraries read alike; the bake's .env stays out (PYTHON_DOTENV_DISABLED)."""
    project = bakery.bake()
    port = free_port()
    empty = {name: "" for name in EMPTY_SETTINGS}
    server = start_gunicorn(
        project,
        "-b",
        f"127.0.0.1:{port}",
        **empty,
        HOME=str(tmp_path),
        PYTHON_DOTENV_DISABLED="1",
        APP_ENV="development",
    )
    try:
        assert wait_for_json(f"http://127.0.0.1:{port}/health/live", server)[0] == 200
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            assert b"http_requests_total" in response.read()
    finally:
        errors = stop(server)
    assert "Using worker: gevent" in errors, errors
    assert errors.count("Booting worker") == 2, errors
    assert "Traceback" not in errors, errors
    # No control socket in the home folder, where two instances of one user would share it.
    assert not (tmp_path / ".gunicorn").exists()


def test_a_flask_command_takes_an_empty_metrics_directory_for_none(bakery):
    project = bakery.bake()
    environ = project_environ(PROMETHEUS_MULTIPROC_DIR="", OTEL_SERVICE_NAME="")
    completed = subprocess.run(
        [sys.executable, "-m", "flask", "routes"],
        cwd=project,
        env=environ,
        capture_output=True,
        text=True,
        timeout=STARTUP_SECONDS,
    )
    assert completed.returncode == 0, completed.stderr
    assert not list(project.glob("*.db")), "prometheus_client wrote its files into the project"


def test_each_instance_opens_its_control_socket_where_it_is_told(bakery, tmp_path):
    project = bakery.bake()
    servers = {}
    for name in ("first", "second"):
        port, socket_path = free_port(), tmp_path / f"{name}.ctl"
        server = start_gunicorn(
            project,
            "-b",
            f"127.0.0.1:{port}",
            GUNICORN_CONTROL_SOCKET=str(socket_path),
            HOME=str(tmp_path),
        )
        servers[name] = (server, port, socket_path)
    try:
        for server, port, socket_path in servers.values():
            assert wait_for_json(f"http://127.0.0.1:{port}/health/live", server)[0] == 200
            assert socket_path.is_socket()
    finally:
        for server, _, _ in servers.values():
            stop(server)
