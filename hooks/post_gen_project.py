"""Finish a baked project: drop excluded files, write .env, save the answers, print next steps."""

import json
import os
import re
import secrets
import shlex
import shutil
from pathlib import Path

# Rendered by cookiecutter as JSON inside a raw string: the answers stay data.
ANSWERS_JSON = r"""{{ cookiecutter | tojson }}"""

# The one place that says which answer removes which paths of the baked project.
REMOVED_WHEN = {
    ("use_docker", "n"): ("Dockerfile", ".dockerignore", "docker-compose.yml"),
    ("use_github_actions", "n"): (".github",),
    ("use_kubernetes", "n"): ("deploy",),
    ("open_source_license", "Not open source"): ("LICENSE",),
    ("use_prometheus", "n"): (
        "src/plumbing/api/middleware/metrics_endpoint.py",
        "src/plumbing/api/middleware/request_metrics.py",
        "src/plumbing/infrastructure/databases/pool_metrics.py",
        "src/plumbing/infrastructure/outbox/backlog_metrics.py",
        "src/plumbing/infrastructure/outbox/job_metrics.py",
        "tests/plumbing/infrastructure/test_outbox_metrics.py",
        "tests/jobs/test_job_metrics.py",
        "tests/plumbing/api/metrics_reading.py",
        "tests/plumbing/api/test_metrics.py",
        "tests/plumbing/api/test_metrics_gunicorn.py",
    ),
    ("use_opentelemetry", "n"): ("src/plumbing/tracing.py", "tests/plumbing/api/test_tracing.py"),
    ("use_sentry", "n"): (
        "src/plumbing/error_tracking.py",
        "src/plumbing/settings/error_tracking.py",
        "tests/resources/envelope_server.py",
        "tests/plumbing/api/test_error_tracking.py",
        "tests/plumbing/test_error_tracking_settings.py",
    ),
    ("worker", "n"): (
        "worker.py",
        "deploy/kubernetes/base/relay-deployment.yaml",
        "deploy/kubernetes/base/worker-deployment.yaml",
        "docs/jobs-and-events.md",
        "migrations/versions/20261207_5e1a0c7b9d42_create_event_tables.py",
        "src/domain/notification.py",
        "src/domain/todo_events.py",
        "src/infrastructure/models/notification_model.py",
        "src/infrastructure/repositories/notification_repository.py",
        "src/jobs",
        "src/services/notification_service.py",
        "src/plumbing/cli/outbox_commands.py",
        "src/plumbing/domain/events.py",
        "src/plumbing/infrastructure/models/handled_event_model.py",
        "src/plumbing/infrastructure/models/outbox_model.py",
        "src/plumbing/infrastructure/outbox",
        # Named again, for use_prometheus=n removes them too.
        "src/plumbing/infrastructure/outbox/backlog_metrics.py",
        "src/plumbing/infrastructure/outbox/job_metrics.py",
        "src/plumbing/jobs.py",
        "src/plumbing/services/outbox.py",
        "src/plumbing/settings/jobs.py",
        "tests/jobs",
        "tests/jobs/test_job_metrics.py",
        "tests/plumbing/infrastructure/test_outbox.py",
        "tests/plumbing/infrastructure/test_outbox_metrics.py",
        "tests/resources/broker.py",
        "tests/services/fake_outbox.py",
        "tests/services/test_todo_events.py",
    ),
    ("auth", "none"): (
        "src/plumbing/api/auth",
        "src/plumbing/settings/bearer_tokens.py",
        "src/plumbing/services/principal.py",
        "src/plumbing/cli/token_commands.py",
        "docs/auth.md",
        "tests/plumbing/api/test_auth.py",
        "tests/plumbing/api/test_auth_jwks.py",
        "tests/plumbing/api/test_verified_tokens.py",
        "tests/resources/tokens.py",
        "tests/resources/jwks_server.py",
        "tests/plumbing/services/test_principal.py",
        "tests/plumbing/test_bearer_token_settings.py",
    ),
}
PLACEHOLDER = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=change-me")
REPLAY_FILE = ".cookiecutter.json"
TEST_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
TEST_BROKER_URL = "amqp://guest:guest@127.0.0.1:5672/"
# A development token for the Todo example, signed with JWT_SECRET from .env.
ISSUE_TOKEN = (
    "TOKEN=$(flask issue_token --subject alice --scope todo:read --scope todo:write"
    " --expires-in 3600)"
)


def excluded_paths(answers):
    return [
        path
        for (key, value), paths in REMOVED_WHEN.items()
        if answers.get(key) == value
        for path in paths
    ]


def remove(path):
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def fill_placeholder(line):
    body = line.rstrip("\r\n")
    match = PLACEHOLDER.fullmatch(body)
    if match is None:
        return line
    return f"{match.group(1)}={secrets.token_urlsafe(32)}{line[len(body) :]}"


def with_secrets(example_text):
    """The .env.example text with each `KEY=change-me` line given its own fresh secret."""
    return "".join(fill_placeholder(line) for line in example_text.splitlines(keepends=True))


def write_env(project):
    example = project / ".env.example"
    if not example.is_file():
        return
    env = project / ".env"
    with open(example, encoding="utf-8", newline="") as handle:
        text = with_secrets(handle.read())
    descriptor = os.open(env, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    os.chmod(env, 0o600)


def replay_answers(answers):
    """The answers in cookiecutter's replay format, without its private `_` keys, and the version.

    The template's version sits beside the answers, not among them: a replay takes every answer
    it finds from the file, and a bake from a newer template must record that template's version.
    """
    return {
        "cookiecutter": {k: v for k, v in answers.items() if not k.startswith("_")},
        "template_version": answers.get("_template_version"),
    }


def write_replay(project, answers):
    text = json.dumps(replay_answers(answers), indent=2, ensure_ascii=False)
    (project / REPLAY_FILE).write_text(text + "\n", encoding="utf-8")


def first_request(answers, project):
    """How to call the running service from a second shell: with a development token under JWT.

    The second shell activates the environment `uv sync` made, so it needs no uv on its PATH (the
    template's README demo installs uv into the first shell's virtual environment).
    """
    prefix = answers.get("service_prefix", "").strip().strip("/")
    base = f"http://localhost:7000{'/' + prefix if prefix else ''}"
    second_shell = f"    cd {shlex.quote(str(project))} && . .venv/bin/activate\n"
    if answers.get("auth") != "jwt":
        return f"""
From a second shell, call the API:

{second_shell}    curl {base}/v1/todo
"""
    return f"""
Every Todo operation needs a bearer token. From a second shell, sign one for development with
JWT_SECRET from .env and call the API:

{second_shell}    {ISSUE_TOKEN}
    curl {base}/v1/todo -H "Authorization: Bearer $TOKEN"

Or open Swagger UI at {base}/docs, click Authorize and paste the token
that `echo "$TOKEN"` prints.
"""


def test_command(answers):
    """How to run the suite: with the worker, its job tests need RabbitMQ beside PostgreSQL."""
    if answers["worker"] == "y":
        return f"""Run the tests against PostgreSQL and RabbitMQ:

    TEST_DATABASE_URL={TEST_DATABASE_URL} TEST_BROKER_URL={TEST_BROKER_URL} uv run pytest
"""
    return f"""Run the tests against a PostgreSQL database:

    TEST_DATABASE_URL={TEST_DATABASE_URL} uv run pytest
"""


def next_steps(answers, project):
    """What to type next, from the directory the bake ran in.

    Paths are absolute; the template is named as it was given, which that directory resolves.
    """
    template = shlex.quote(str(answers["_template"]))
    replay_file = shlex.quote(str(project / REPLAY_FILE))
    rebaked = shlex.quote(str(project.parent / "rebaked"))
    return f"""
Created {project}. Next steps:

    cd {shlex.quote(str(project))}
    uv sync
    uv run flask db upgrade
    uv run flask run
{first_request(answers, project)}
{test_command(answers)}

.env holds secrets generated for this project only; keep it out of version control.
Your answers are saved in {REPLAY_FILE}. To bake the project again from a newer
template, into {rebaked}:

    cookiecutter --replay-file {replay_file} --output-dir {rebaked} {template}
"""


def main():
    answers = json.loads(ANSWERS_JSON)
    project = Path.cwd()
    for path in excluded_paths(answers):
        remove(project / path)
    write_env(project)
    write_replay(project, answers)
    print(next_steps(answers, project))


if __name__ == "__main__":
    main()
