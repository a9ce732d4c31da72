"""cruft bakes the template as cookiecutter does, records its source, and adopts old bakes."""

import json

import pytest
from conftest import TEMPLATE, text_files

QUESTIONS = [
    key
    for key in json.loads((TEMPLATE / "cookiecutter.json").read_text(encoding="utf-8"))
    if not key.startswith("_")
]
# Typed at the prompts in cookiecutter.json's order: Enter keeps a default, a digit picks a choice;
# the questions after the last one typed here keep their defaults.
TYPED_FIRST = ["", "typed-service", "", "", "", "", "orders", "2", "2", "", "2"]
TYPED = "\n".join(TYPED_FIRST + [""] * (len(QUESTIONS) - len(TYPED_FIRST))) + "\n"
TYPED_ANSWERS = {
    "repo_name": "typed-service",
    "service_prefix": "orders",
    "python_version": "3.12",
    "open_source_license": "Apache-2.0",
    "use_github_actions": "n",
}


def without_secrets(files):
    """The project's files less `.env`, the one file each bake fills with its own secrets."""
    return {path: text for path, text in files.items() if path != ".env"}


def assert_same_project(cruft_project, cookiecutter_project):
    by_cruft = without_secrets(text_files(cruft_project))
    assert by_cruft.pop(".cruft.json")
    assert by_cruft == without_secrets(text_files(cookiecutter_project))
    assert (cruft_project / ".env").is_file()


def test_cruft_without_input_bakes_what_cookiecutter_bakes(cruft_cli, cookiecutter_cli, tmp_path):
    project = cruft_cli.create(tmp_path / "cruft", "--no-input")
    baked = cookiecutter_cli.bake(output_dir=tmp_path / "cookiecutter")
    assert baked.returncode == 0, baked.stderr
    assert_same_project(project, tmp_path / "cookiecutter" / "todo-service")


def test_cruft_asks_every_question_and_uses_the_typed_answers(
    cruft_cli, cookiecutter_cli, tmp_path
):
    project = cruft_cli.create(tmp_path / "cruft", typed=TYPED)
    assert project.name == "typed-service"
    given = [f"{key}={value}" for key, value in TYPED_ANSWERS.items()]
    baked = cookiecutter_cli.bake(*given, output_dir=tmp_path / "cookiecutter")
    assert baked.returncode == 0, baked.stderr
    assert_same_project(project, tmp_path / "cookiecutter" / "typed-service")
    assert not (project / ".github").exists()


def test_cruft_json_records_the_template_its_commit_and_version(
    cruft_cli, template_version, tmp_path
):
    project = cruft_cli.create(tmp_path / "cruft", "--no-input")
    state = json.loads((project / ".cruft.json").read_text(encoding="utf-8"))
    head = cruft_cli.git("rev-parse", "HEAD", cwd=TEMPLATE).strip()
    assert state["template"] == str(TEMPLATE)
    assert state["commit"] == head
    assert state["context"]["cookiecutter"]["_template_version"] == template_version
    saved = json.loads((project / ".cookiecutter.json").read_text(encoding="utf-8"))
    assert saved["template_version"] == template_version


@pytest.mark.parametrize(
    ("answer", "refusal"),
    [
        # The pre-generation hook's own check.
        (
            {"repo_name": "Foo Bar"},
            "ERROR: repo_name 'Foo Bar' must be a lowercase hyphenated slug",
        ),
        # cookiecutter's, for an answer outside a choice list.
        ({"use_docker": "yes"}, "yes provided for choice variable use_docker"),
    ],
    ids=["bad repo_name", "unsupported choice"],
)
def test_under_cruft_a_bad_answer_is_refused_before_writing(cruft_cli, tmp_path, answer, refusal):
    output_dir = tmp_path / "cruft"
    output_dir.mkdir()
    context = json.dumps(answer)
    refused = cruft_cli.run(
        "create", "--no-input", "--extra-context", context, str(TEMPLATE), cwd=output_dir
    )
    assert refused.returncode != 0
    assert refusal in refused.stderr
    assert list(output_dir.iterdir()) == []


def test_a_cookiecutter_bake_adopts_cruft_with_its_saved_answers(
    cruft_cli, cookiecutter_cli, tmp_path
):
    """`cruft link` as the baked README shows it, then `cruft diff` finds nothing to change."""
    baked = cookiecutter_cli.bake("service_prefix=orders", output_dir=tmp_path)
    assert baked.returncode == 0, baked.stderr
    project = tmp_path / "todo-service"
    cruft_cli.commit_all(project, "Bake with cookiecutter")
    saved = json.loads((project / ".cookiecutter.json").read_text(encoding="utf-8"))
    answers = json.dumps(saved["cookiecutter"])

    linked = cruft_cli.run(
        "link", "-y", "--checkout", "HEAD", "--extra-context", answers, str(TEMPLATE), cwd=project
    )

    assert linked.returncode == 0, linked.stdout + linked.stderr
    state = json.loads((project / ".cruft.json").read_text(encoding="utf-8"))
    assert state["context"]["cookiecutter"]["service_prefix"] == "orders"
    differences = cruft_cli.run("diff", "--exit-code", cwd=project)
    assert differences.returncode == 0, differences.stdout + differences.stderr
    checked = cruft_cli.run("check", cwd=project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
