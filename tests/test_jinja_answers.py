"""Jinja in an answer never runs code, never reaches a baked file, and what is baked still parses.

cookiecutter renders answers given as `key=value` (or `extra_context`) as Jinja before any hook
runs; jinja_sandbox.py makes that rendering sandboxed. Typed and replayed answers are not rendered,
and the pre-generation hook refuses any answer that still holds Jinja delimiters.
"""

import json
import subprocess
import sys
import tomllib

import pytest
from conftest import TEMPLATE
from markdown_it import MarkdownIt

# Each payload would create the file MARKER if cookiecutter rendered it outside the sandbox.
CODE_PAYLOADS = [
    "{{ cycler.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ lipsum.__globals__['os'].popen('touch MARKER').read() }}",
    "{{ self._TemplateReference__context.cycler.__init__.__globals__.os.system('touch MARKER') }}",
    "{% set _ = joiner.__init__.__globals__.os.system('touch MARKER') %}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
]
LEFTOVER_JINJA = ["{{ 7 * 7 }}", "{% if true %}x{% endif %}", "{# note #}"]


def assert_nothing_ran_or_was_written(workdir, output_dir):
    assert not (workdir / "MARKER").exists(), "a payload ran"
    assert not output_dir.exists() or not any(output_dir.iterdir())


@pytest.mark.parametrize("payload", CODE_PAYLOADS)
@pytest.mark.parametrize("field", ["project_name", "description"])
def test_code_in_a_command_line_answer_is_stopped_by_the_sandbox(
    cookiecutter_cli, tmp_path, field, payload
):
    output_dir = tmp_path / "out"
    completed = cookiecutter_cli.bake(f"{field}={payload}", output_dir=output_dir)

    assert completed.returncode != 0
    assert "SecurityError" in completed.stderr
    assert_nothing_ran_or_was_written(cookiecutter_cli.workdir, output_dir)


def test_code_in_extra_context_is_stopped_by_the_sandbox(bakery, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = bakery.result(description=CODE_PAYLOADS[0])

    assert result.exception is not None
    assert not (tmp_path / "MARKER").exists()
    assert bakery.written_files() == []


def test_arithmetic_in_a_command_line_answer_is_computed_as_cookiecutter_documents(
    cookiecutter_cli, tmp_path
):
    output_dir = tmp_path / "out"
    completed = cookiecutter_cli.bake("description=Seven is {{ 3 + 4 }}", output_dir=output_dir)

    assert completed.returncode == 0, completed.stderr
    pyproject = (output_dir / "todo-service" / "pyproject.toml").read_text(encoding="utf-8")
    assert tomllib.loads(pyproject)["project"]["description"] == "Seven is 7"


@pytest.mark.parametrize("text", LEFTOVER_JINJA)
def test_jinja_kept_out_of_rendering_is_refused_by_the_hook(cookiecutter_cli, tmp_path, text):
    output_dir = tmp_path / "out"
    completed = cookiecutter_cli.bake(
        f"description={{% raw %}}{text}{{% endraw %}}", output_dir=output_dir
    )

    assert completed.returncode == 1
    assert completed.stderr.startswith(f"ERROR: description {text!r} must not contain Jinja")
    assert_nothing_ran_or_was_written(cookiecutter_cli.workdir, output_dir)


def test_a_typed_answer_is_not_rendered_and_is_refused(cookiecutter_cli, tmp_path):
    output_dir = tmp_path / "out"
    config = str(cookiecutter_cli.config_file)
    command = [sys.executable, "-m", "cookiecutter", "--config-file", config]
    command += ["--output-dir", str(output_dir), str(TEMPLATE)]
    typed = CODE_PAYLOADS[0] + "\n" * 20  # the payload as project name, then every default
    completed = subprocess.run(
        command, cwd=cookiecutter_cli.workdir, input=typed, capture_output=True, text=True
    )

    assert completed.returncode == 1
    assert "ERROR: project_name" in completed.stderr
    assert_nothing_ran_or_was_written(cookiecutter_cli.workdir, output_dir)


def test_a_replayed_answer_is_not_rendered_and_is_refused(bakery, cookiecutter_cli, tmp_path):
    saved = json.loads((bakery.bake() / ".cookiecutter.json").read_text(encoding="utf-8"))
    saved["cookiecutter"]["description"] = CODE_PAYLOADS[0]
    replay_file = tmp_path / "hostile.json"
    replay_file.write_text(json.dumps(saved), encoding="utf-8")
    output_dir = tmp_path / "replayed"

    completed = cookiecutter_cli.replay(replay_file, output_dir=output_dir)

    assert completed.returncode == 1
    assert completed.stderr.startswith("ERROR: description ")
    assert_nothing_ran_or_was_written(cookiecutter_cli.workdir, output_dir)


@pytest.mark.parametrize(
    "name",
    [
        'O\'Brien "Quoted" \\ Service {{ 6 * 7 }}',
        "Back\\slash \\n {} %s $HOME `code` *stars* <b>",
    ],
)
def test_a_hostile_name_bakes_a_project_that_parses(cookiecutter_cli, tmp_path, name):
    output_dir = tmp_path / "out"
    completed = cookiecutter_cli.bake(
        f"project_name={name}", "repo_name=hostile", f"description={name}", output_dir=output_dir
    )
    assert completed.returncode == 0, completed.stderr
    project = output_dir / "hostile"
    rendered = name.replace("{{ 6 * 7 }}", "42")

    metadata = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert metadata["project"]["description"] == rendered
    for source in project.rglob("*.py"):
        compile(source.read_text(encoding="utf-8"), str(source), "exec")
    tokens = MarkdownIt().parse((project / "README.md").read_text(encoding="utf-8"))
    heading = next(token for token in tokens if token.type == "inline")
    assert heading.content == rendered
