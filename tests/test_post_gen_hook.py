"""The post-generation hook's pieces: removals, secrets, saved answers and next steps."""

import re

import pytest

EXAMPLE = (
    "# SECRET_KEY=change-me stays a comment\r\n"
    "SECRET_KEY=change-me\r\n"
    "API_TOKEN=change-me\n"
    "OTHER=change-me-not\n"
    "EMPTY=\n"
    "LAST=change-me"
)
TOKEN = r"[A-Za-z0-9_-]{43}"


def test_each_placeholder_gets_its_own_secret_and_other_lines_stay(post_gen_hook):
    filled = post_gen_hook.with_secrets(EXAMPLE)
    assert re.fullmatch(
        "# SECRET_KEY=change-me stays a comment\r\n"
        f"SECRET_KEY={TOKEN}\r\nAPI_TOKEN={TOKEN}\nOTHER=change-me-not\nEMPTY=\nLAST={TOKEN}",
        filled,
    )
    secrets = re.findall(f"=({TOKEN})", filled)
    assert len(set(secrets)) == 3


def test_secrets_differ_between_runs(post_gen_hook):
    assert post_gen_hook.with_secrets("KEY=change-me\n") != post_gen_hook.with_secrets(
        "KEY=change-me\n"
    )


def test_env_file_is_private(post_gen_hook, tmp_path):
    (tmp_path / ".env.example").write_text("SECRET_KEY=change-me\n")
    post_gen_hook.write_env(tmp_path)
    assert (tmp_path / ".env").stat().st_mode & 0o777 == 0o600


def test_no_env_example_means_no_env(post_gen_hook, tmp_path):
    post_gen_hook.write_env(tmp_path)
    assert not (tmp_path / ".env").exists()


def test_removal_ignores_missing_paths(post_gen_hook, tmp_path):
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text("on: push\n")
    (tmp_path / "Dockerfile").write_text("FROM python\n")
    for path in ("Dockerfile", ".github", "docker-compose.yml"):
        post_gen_hook.remove(tmp_path / path)
    assert list(tmp_path.iterdir()) == []


def test_excluded_paths_follow_the_answers(post_gen_hook, answers):
    tracing = ["src/plumbing/tracing.py", "tests/plumbing/api/test_tracing.py"]
    error_tracking = [
        "src/plumbing/error_tracking.py",
        "src/plumbing/settings/error_tracking.py",
        "tests/resources/envelope_server.py",
        "tests/plumbing/api/test_error_tracking.py",
        "tests/plumbing/test_error_tracking_settings.py",
    ]
    assert post_gen_hook.excluded_paths(answers) == tracing + error_tracking
    worker = list(post_gen_hook.REMOVED_WHEN[("worker", "n")])
    assert "src/plumbing/infrastructure/outbox" in worker
    assert (
        post_gen_hook.excluded_paths({**answers, "worker": "n"})
        == tracing + error_tracking + worker
    )
    answers.update(
        use_docker="n",
        open_source_license="Not open source",
        use_opentelemetry="y",
        use_sentry="y",
    )
    assert post_gen_hook.excluded_paths(answers) == [
        "Dockerfile",
        ".dockerignore",
        "docker-compose.yml",
        "LICENSE",
    ]


def test_saved_answers_drop_private_keys_and_keep_the_version_beside_them(post_gen_hook, answers):
    context = {
        **answers,
        "_template": ".",
        "_output_dir": "/tmp",
        "__prompts__": {},
        "_template_version": "1.2.0",
    }
    assert post_gen_hook.replay_answers(context) == {
        "cookiecutter": answers,
        "template_version": "1.2.0",
    }


def test_next_steps_tell_how_to_run_and_rebake(post_gen_hook, answers, tmp_path):
    project = tmp_path / "my projects" / "todo-service"
    steps = post_gen_hook.next_steps({**answers, "_template": "gh:me/flask onion"}, project)
    for line in (
        f"cd '{project}'",
        "uv sync",
        "uv run flask db upgrade",
        "uv run flask run",
        "TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres "
        "TEST_BROKER_URL=amqp://guest:guest@127.0.0.1:5672/ uv run pytest",
        f"cookiecutter --replay-file '{project}/.cookiecutter.json' "
        f"--output-dir '{project.parent}/rebaked' 'gh:me/flask onion'",
    ):
        assert line in steps
    without_worker = post_gen_hook.next_steps({**answers, "worker": "n", "_template": "."}, project)
    assert (
        "TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres uv run pytest"
        in without_worker
    )
    assert "TEST_BROKER_URL" not in without_worker


@pytest.mark.parametrize(("service_prefix", "base"), [("", ""), ("/orders", "/orders")])
def test_next_steps_make_an_authorised_first_call_with_jwt(
    post_gen_hook, answers, tmp_path, service_prefix, base
):
    project = tmp_path / "todo-service"
    chosen = {**answers, "auth": "jwt", "service_prefix": service_prefix, "_template": "."}
    steps = post_gen_hook.next_steps(chosen, project)
    for line in (
        f"cd {project} && . .venv/bin/activate",
        "TOKEN=$(flask issue_token --subject alice --scope todo:read --scope todo:write "
        "--expires-in 3600)",
        f'curl http://localhost:7000{base}/v1/todo -H "Authorization: Bearer $TOKEN"',
        f"Swagger UI at http://localhost:7000{base}/docs, click Authorize",
    ):
        assert line in steps
    assert steps.index("flask run") < steps.index("issue_token")


def test_next_steps_call_the_open_api_without_a_token_with_auth_none(
    post_gen_hook, answers, tmp_path
):
    steps = post_gen_hook.next_steps({**answers, "auth": "none", "_template": "."}, tmp_path)
    assert "    curl http://localhost:7000/v1/todo\n" in steps
    assert "TOKEN" not in steps
    assert "issue_token" not in steps
