"""The pre-generation hook rejects every unsupported answer, clearly and before writing."""

import json
import shlex

import pytest
from conftest import TEMPLATE

GOOD = {
    "repo_name": ["todo-service", "a", "api2", "my-api-v2", "a" * 64],
    "service_prefix": ["", "example", "/example", "v1.orders", "a~b", "Orders_API-2"],
    "version": ["0.1.0", "1.0", "2024.10", "1!2.0", "1.0a1", "1.0rc2", "1.0.post1", "1.0.dev3"],
    "author_email": ["you@example.com", "o'brien+todo@example.co.uk"],
}
BAD = {
    "repo_name": [
        "Foo Bar",
        "foo_bar",
        "Todo",
        "-todo",
        "todo-",
        "todo--api",
        "1todo",
        "",
        "a" * 65,
        "a/b",
        "../todo",
        "todo\n",
        "tödo",
    ],
    "service_prefix": [
        "a/b",
        "/a/b",
        "..",
        ".",
        "/..",
        "/.",
        "/",
        "a b",
        " ",
        "a?b",
        "a#b",
        "a%20b",
        "example/",
        "exämple",
        "example\n",
    ],
    "version": ["", "v1.0", "1.0-beta", "01.0", "1.0.", "1.0+local", "latest", "1.0\n"],
    "author_email": ["", "you.example.com", "a@b@c", "you @example.com", "you@example.com\n"],
}
# Each rejected bake: the answers given, and the key the one-line error must name.
REJECTED_BAKES = [
    ({"repo_name": "Foo Bar"}, "repo_name"),
    ({"repo_name": "todo_service"}, "repo_name"),
    ({"repo_name": "a" * 65}, "repo_name"),
    ({"repo_name": "a" * 56}, "repo_name"),
    *(({"service_prefix": value}, "service_prefix") for value in BAD["service_prefix"]),
    ({"project_name": "", "repo_name": "todo-service"}, "project_name"),
    ({"project_name": "Todo\nService", "repo_name": "todo-service"}, "project_name"),
    ({"description": "one\ntwo"}, "description"),
    ({"version": "v1"}, "version"),
    ({"version": "1.0-beta"}, "version"),
    ({"author_email": "nobody"}, "author_email"),
]
BAD_CHOICES = [
    ("python_version", "3.10"),
    ("python_version", "3.14"),
    ("open_source_license", "GPL-3.0"),
    ("use_docker", "yes"),
    ("use_github_actions", "Y"),
    ("use_kubernetes", "kustomize"),
    ("use_prometheus", "yes"),
    ("use_opentelemetry", "true"),
    ("use_sentry", "yes"),
    ("worker", "true"),
    ("auth", "oauth"),
    ("auth", "None"),
]


def params(table):
    return [(key, value) for key, values in table.items() for value in values]


def assert_one_error_line(stderr, key):
    lines = stderr.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {stderr!r}"
    assert lines[0].startswith(f"ERROR: {key} "), lines[0]


def assert_nothing_written(output_dir):
    leftovers = list(output_dir.rglob("*")) if output_dir.exists() else []
    # pytest-cookies makes an empty bakeNN folder for each bake before cookiecutter runs.
    leftovers = [path for path in leftovers if not is_empty_bake_folder(path, output_dir)]
    assert leftovers == [], f"the failed bake left {leftovers}"


def is_empty_bake_folder(path, output_dir):
    return path.parent == output_dir and path.name.startswith("bake") and not any(path.iterdir())


def test_defaults_pass(pre_gen_hook, answers, template_variables):
    choices = {key: value for key, value in template_variables.items() if isinstance(value, list)}
    assert pre_gen_hook.errors(answers, choices) == []


@pytest.mark.parametrize(("key", "value"), params(GOOD))
def test_rule_accepts(pre_gen_hook, key, value):
    assert getattr(pre_gen_hook, f"{key}_error")(value) is None


@pytest.mark.parametrize(("key", "value"), params(BAD))
def test_rule_rejects(pre_gen_hook, key, value):
    message = getattr(pre_gen_hook, f"{key}_error")(value)
    assert message.startswith(f"{key} {value!r} must be ")
    assert "\n" not in message


def test_kubernetes_names_limit_repo_name_only_with_the_manifests(pre_gen_hook):
    assert pre_gen_hook.kubernetes_name_error("a" * 55, "y") is None
    assert pre_gen_hook.kubernetes_name_error("a" * 56, "n") is None
    assert "at most 55 characters" in pre_gen_hook.kubernetes_name_error("a" * 56, "y")


def test_hook_takes_its_choices_from_the_template_variables(pre_gen_hook, template_variables):
    choices = pre_gen_hook.template_choices(template_variables, "/nonexistent")
    assert choices == {k: v for k, v in template_variables.items() if isinstance(v, list)}


def test_on_replay_the_hook_reads_its_choices_from_cookiecutter_json(
    pre_gen_hook, template_dir, template_variables
):
    replayed = {"python_version": "3.13", "use_docker": "y"}
    choices = pre_gen_hook.template_choices(replayed, template_dir)
    assert choices == {k: v for k, v in template_variables.items() if isinstance(v, list)}


@pytest.mark.parametrize(("answers_given", "key"), REJECTED_BAKES, ids=repr)
def test_bad_answer_fails_the_bake_before_writing(bakery, answers_given, key):
    result = bakery.result(**answers_given)
    assert result.exception is not None
    assert result.exit_code != 0
    assert_nothing_written(bakery.output_root)


@pytest.mark.parametrize(("answers_given", "key"), REJECTED_BAKES, ids=repr)
def test_bad_answer_is_reported_in_one_line(cookiecutter_cli, tmp_path, answers_given, key):
    output_dir = tmp_path / "out"
    given = [f"{name}={value}" for name, value in answers_given.items()]
    completed = cookiecutter_cli.bake(*given, output_dir=output_dir)
    assert completed.returncode == 1
    assert_one_error_line(completed.stderr, key)
    assert_nothing_written(output_dir)


def test_message_names_the_rule_and_an_example(cookiecutter_cli, tmp_path):
    completed = cookiecutter_cli.bake("repo_name=Foo Bar", output_dir=tmp_path / "out")
    assert completed.stderr == (
        "ERROR: repo_name 'Foo Bar' must be a lowercase hyphenated slug of at most "
        "64 characters such as 'todo-service'\n"
    )


@pytest.mark.parametrize(("key", "value"), BAD_CHOICES)
def test_unsupported_choice_is_refused_by_cookiecutter(bakery, key, value):
    result = bakery.result(**{key: value})
    assert isinstance(result.exception, ValueError)
    assert_nothing_written(bakery.output_root)


@pytest.mark.parametrize(("key", "value"), BAD_CHOICES)
def test_unsupported_choice_in_a_replay_file_is_refused_by_the_hook(
    cookiecutter_cli, tmp_path, answers, key, value
):
    # Replay files skip cookiecutter's own choice check, so only the hook stands in the way.
    replay_file = tmp_path / "answers.json"
    replay_file.write_text(json.dumps({"cookiecutter": {**answers, key: value}}))
    output_dir = tmp_path / "out"
    completed = cookiecutter_cli.replay(replay_file, output_dir=output_dir)
    assert completed.returncode == 1
    assert_one_error_line(completed.stderr, key)
    assert "is not supported; choose one of" in completed.stderr
    assert_nothing_written(output_dir)


def test_the_readme_bake_from_a_relative_path_works_and_still_validates(cookiecutter_cli, tmp_path):
    """`cookiecutter --no-input .` from the template directory, as README.md shows it."""
    baked = cookiecutter_cli.run("--no-input", ".", output_dir=tmp_path / "ok", cwd=TEMPLATE)
    assert baked.returncode == 0, baked.stderr
    assert (tmp_path / "ok" / "todo-service" / "src" / "app.py").is_file()

    refused = cookiecutter_cli.run(
        "--no-input", ".", "service_prefix=a/b", output_dir=tmp_path / "bad", cwd=TEMPLATE
    )
    assert refused.returncode != 0
    assert "ERROR: service_prefix 'a/b'" in refused.stderr


def test_the_printed_replay_command_works_from_where_the_bake_ran(cookiecutter_cli, tmp_path):
    """The post-generation hook names the project absolutely and the template as it was typed."""
    output_dir = tmp_path / "out"
    baked = cookiecutter_cli.run(
        "--no-input", ".", "repo_name=replayed", output_dir=output_dir, cwd=TEMPLATE
    )
    assert baked.returncode == 0, baked.stderr
    (hint,) = [
        line for line in baked.stdout.splitlines() if line.strip().startswith("cookiecutter ")
    ]

    replayed = cookiecutter_cli.run_as_typed(*shlex.split(hint)[1:], cwd=TEMPLATE)

    assert replayed.returncode == 0, replayed.stderr
    original = output_dir / "replayed"
    again = output_dir / "rebaked" / "replayed"
    assert (again / "src" / "app.py").is_file()
    assert (original / "README.md").read_text() == (again / "README.md").read_text()
