"""Reject unsupported answers before cookiecutter writes any file."""

import json
import re
import sys
from pathlib import Path

# Rendered by cookiecutter as JSON inside raw strings: the answers stay data.
ANSWERS_JSON = r"""{{ cookiecutter | tojson }}"""
# cookiecutter.json's variables as the bake started: choices are still lists, except on replay.
TEMPLATE_VARIABLES_JSON = r"""{{ _cookiecutter | default({}) | tojson }}"""

REPO_NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
REPO_NAME_MAX = 64
# Kubernetes names objects after repo_name, the longest `<repo_name>-migrate` (`-relay` and `-worker` are
# shorter), within 63 characters.
KUBERNETES_NAME_MAX = 63 - len("-migrate")
PATH_SEGMENT = re.compile(r"/?[A-Za-z0-9._~-]+")
# PEP 440 (Appendix B) canonical public version.
VERSION = re.compile(
    r"([1-9][0-9]*!)?(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*"
    r"((a|b|rc)(0|[1-9][0-9]*))?(\.post(0|[1-9][0-9]*))?(\.dev(0|[1-9][0-9]*))?"
)
EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
ONE_LINE_FIELDS = ("project_name", "description", "author_name", "author_email", "version")
TEXT_FIELDS = ("project_name", "description", "author_name", "author_email")
# Template syntax in an answer would be template code to the next tool that renders the text.
# The raw block keeps cookiecutter from reading the openers as this file's own template syntax.
# {% raw %}
JINJA_OPENERS = ("{{", "{%", "{#")
# {% endraw %}


def is_one_line(value):
    return isinstance(value, str) and value.isprintable()


def repo_name_error(value):
    if is_one_line(value) and len(value) <= REPO_NAME_MAX and REPO_NAME.fullmatch(value):
        return None
    return (
        f"repo_name {value!r} must be a lowercase hyphenated slug of at most "
        f"{REPO_NAME_MAX} characters such as 'todo-service'"
    )


def kubernetes_name_error(repo_name, use_kubernetes):
    fits = not isinstance(repo_name, str) or len(repo_name) <= KUBERNETES_NAME_MAX
    if use_kubernetes != "y" or fits:
        return None
    return (
        f"repo_name {repo_name!r} must be at most {KUBERNETES_NAME_MAX} characters when "
        "use_kubernetes is 'y': Kubernetes limits the names of its objects to 63 characters"
    )


def service_prefix_error(value):
    if value == "":
        return None
    valid = isinstance(value, str) and PATH_SEGMENT.fullmatch(value)
    if valid and value.lstrip("/") not in (".", ".."):
        return None
    return (
        f"service_prefix {value!r} must be empty or one URL path segment of "
        "letters, digits and '-._~' such as 'orders' or '/orders'"
    )


def version_error(value):
    if isinstance(value, str) and VERSION.fullmatch(value):
        return None
    return f"version {value!r} must be a PEP 440 version such as '0.1.0' or '1.0rc1'"


def author_email_error(value):
    if isinstance(value, str) and EMAIL.fullmatch(value):
        return None
    return f"author_email {value!r} must be an e-mail address such as 'you@example.com'"


def one_line_error(key, value):
    if is_one_line(value):
        return None
    return f"{key} {value!r} must be a single line of printable text"


def template_syntax_error(key, value):
    if not isinstance(value, str) or not any(opener in value for opener in JINJA_OPENERS):
        return None
    return f"{key} {value!r} must not contain Jinja delimiters ({', '.join(JINJA_OPENERS)})"


def project_name_error(value):
    if isinstance(value, str) and value.strip():
        return None
    return "project_name must not be empty"


def choice_error(key, value, choices):
    if value in choices:
        return None
    allowed = ", ".join(repr(choice) for choice in choices)
    return f"{key} {value!r} is not supported; choose one of {allowed}"


def errors(answers, choices):
    """Every problem with the answers; `choices` maps a variable to its allowed values."""
    found = [one_line_error(key, answers.get(key)) for key in ONE_LINE_FIELDS]
    found += [template_syntax_error(key, answers.get(key)) for key in TEXT_FIELDS]
    found += [
        project_name_error(answers.get("project_name")),
        repo_name_error(answers.get("repo_name")),
        kubernetes_name_error(answers.get("repo_name"), answers.get("use_kubernetes")),
        service_prefix_error(answers.get("service_prefix")),
        version_error(answers.get("version")),
        author_email_error(answers.get("author_email")),
    ]
    found += [choice_error(key, answers.get(key), allowed) for key, allowed in choices.items()]
    return [error for error in found if error]


def template_choices(template_variables, repo_dir):
    """The choice variables of cookiecutter.json: the single list of what is supported.

    A replayed bake carries only the old answers, so its choices come from the template's file.
    `_repo_dir` is relative to where cookiecutter started, which a hook cannot see, so the file is
    read only when the path resolves from here (absolute, as pytest-cookies and git clones give).
    cruft renders without cookiecutter's entry point, so it passes neither `_cookiecutter` nor
    `_repo_dir` (None here); it hands every answer to cookiecutter's `generate_context` as extra
    context or asks for it with a choice prompt, and both refuse a value outside a choice list.
    """
    variables = template_variables
    template_file = Path(repo_dir or "", "cookiecutter.json")
    lists = any(isinstance(value, list) for value in variables.values())
    if repo_dir and not lists and template_file.is_file():
        variables = json.loads(template_file.read_text(encoding="utf-8"))
    return {
        key: value
        for key, value in variables.items()
        if isinstance(value, list) and not key.startswith("_")
    }


def main():
    answers = json.loads(ANSWERS_JSON)
    choices = template_choices(json.loads(TEMPLATE_VARIABLES_JSON), answers.get("_repo_dir"))
    problems = errors(answers, choices)
    if problems:
        print(f"ERROR: {problems[0]}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
