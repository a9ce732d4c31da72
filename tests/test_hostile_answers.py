"""Answers full of quotes, backslashes and newlines stay data from hooks to baked files."""

import ast
import json
import tomllib

import pytest
from cookiecutter.utils import create_env_with_context

HOSTILE_TEXT = [
    "O'Brien's \"Quoted\" Service",
    "Triple \"\"\" double and ''' single quotes",
    '"""; import os; os.system("echo pwned")  #',
    "Back\\slash, \\n, \\u0041 and a trailing backslash \\",
    "Braces {} and {0} and %s and $HOME",
    "Grüße, 東京 and 🚀",
]
# Values that could break a hook if they were pasted into its source instead of read as JSON.
HOOK_PAYLOADS = [
    *HOSTILE_TEXT,
    "line one\nline two\r\nline three",
    '"""',
    '\\"""',
    "\\",
    "</script>&<>\u2028\u2029\x00",
    "{{ cookiecutter.project_name }} {% raw %}",
]
TEXT_FIELDS = ["project_name", "description", "author_name"]


@pytest.mark.parametrize("hook_name", ["pre_gen_project", "post_gen_project"])
def test_rendered_hook_reads_every_answer_back_exactly(template_dir, answers, hook_name):
    answers.update({f"payload_{n}": value for n, value in enumerate(HOOK_PAYLOADS)})
    answers.update(_template=str(template_dir), _checkout=None)
    context = {"cookiecutter": answers}
    source = (template_dir / "hooks" / f"{hook_name}.py").read_text(encoding="utf-8")
    # Render exactly as cookiecutter does before it runs a hook.
    rendered = create_env_with_context(context).from_string(source).render(**context)
    namespace = {"__name__": "rendered_hook"}
    exec(compile(rendered, hook_name, "exec"), namespace)
    assert json.loads(namespace["ANSWERS_JSON"]) == answers


def assert_string_constants_are_valid_text(tree, relative):
    # A `\ud83d`-style escape compiles, but leaves a lone surrogate instead of the character.
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                node.value.encode("utf-8")
            except UnicodeEncodeError:
                pytest.fail(f"{relative}:{node.lineno} holds a broken string {node.value!r}")


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("value", HOSTILE_TEXT)
def test_hostile_text_bakes_a_valid_project(bakery, field, value):
    project = bakery.bake(**{field: value})
    for relative, text in bakery.text_files(project).items():
        if relative.endswith(".py"):
            assert_string_constants_are_valid_text(ast.parse(text, relative), relative)
    metadata = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    if field == "description":
        assert metadata["project"]["description"] == value
    saved = json.loads((project / ".cookiecutter.json").read_text(encoding="utf-8"))
    assert saved["cookiecutter"][field] == value


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_multi_line_text_is_refused_in_one_line(cookiecutter_cli, tmp_path, field):
    output_dir = tmp_path / "out"
    completed = cookiecutter_cli.bake(f"{field}=first\nsecond", output_dir=output_dir)
    assert completed.returncode == 1
    assert (
        completed.stderr
        == f"ERROR: {field} 'first\\nsecond' must be a single line of printable text\n"
    )
    assert not output_dir.exists() or not any(output_dir.iterdir())


def test_replay_file_rebakes_the_same_project(bakery, cookiecutter_cli, tmp_path):
    original = bakery.bake(
        project_name=HOSTILE_TEXT[0],
        repo_name="quoted-service",
        description=HOSTILE_TEXT[1],
        author_name=HOSTILE_TEXT[3],
        service_prefix="orders",
        python_version="3.12",
        open_source_license="Apache-2.0",
        use_github_actions="n",
    )
    output_dir = tmp_path / "rebaked"
    completed = cookiecutter_cli.replay(original / ".cookiecutter.json", output_dir=output_dir)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    rebaked = output_dir / original.name
    before, after = bakery.text_files(original), bakery.text_files(rebaked)
    assert sorted(before) == sorted(after)
    assert {path: text for path, text in before.items() if path != ".env"} == {
        path: text for path, text in after.items() if path != ".env"
    }
    assert before[".env"] != after[".env"], "a re-bake must generate new secrets"
