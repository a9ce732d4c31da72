"""Every baked document fits its own bake: the files it names exist; options left out are absent."""

import re

import pytest
from test_bake import OPTIONS_ONE_AT_A_TIME, option_id

CODE_SPAN = re.compile(r"`([^`\n]+)`")
LINK_TARGET = re.compile(r"\]\(([^)\s#]+)(?:#[^)]*)?\)")
FILE_SUFFIXES = (".py", ".md", ".yml", ".yaml", ".toml", ".sh", ".txt", ".json", ".ini", ".cfg")
FILE_NAMES = ("Dockerfile", "Makefile", ".env", ".env.example", ".flaskenv", ".dockerignore")
# Folders a path of the project starts with; `testcontainers/ryuk` and the like are image names.
PROJECT_FOLDERS = ("src/", "tests/", "docs/", "deploy/", "migrations/", "scripts/", ".github/")
# A path written this way is named as the template repository's, not the bake's.
TEMPLATE_REPOSITORY = " in the template's repository"
# The only paths a document may name without the bake having them are files the reader is asked
# to create: a path followed by a colon and a code block ("`src/domain/project.py`:"), whose
# content the document gives, and these, each with the document that names it.
GIVEN_FILE = re.compile(r"`([\w.\-/]+)`:\s*\n\s*```")
CREATED_BY_THE_READER = {
    "README.md": {
        "instance/development.sqlite3",  # written by the first `flask db upgrade`
        ".cruft.json",  # written by `cruft create` or `cruft link`
    },
    "docs/maintenance-window.md": {"migrate-job.yaml"},  # "`migrate-job.yaml` runs ...:", YAML
}
# The Project resource (and the Task that refers to it) that `flask scaffold` and the guide write.
RESOURCE_OF_THE_GUIDE = re.compile(r"(^|/)(test_)?(project|task)(_[a-z]+)?\.py$")
GUIDES = ("README.md", "docs/adding-a-resource.md")
# A path with a placeholder in capitals (`tests/api/test_RESOURCE_FIELD_api.py`) names what a
# command writes; the folder it writes into must be in the bake.
PLACEHOLDER = re.compile(r"(^|[/_])(RESOURCE|FIELD|NAME)(?=[_./]|$)")
# What a document may not say when an option is off: its files, commands and settings.
ABSENT_WHEN_OFF = {
    "use_docker": ("Dockerfile", "docker-compose.yml", "docker compose", "docker build"),
    "use_github_actions": (
        "`.github/",
        "## Continuous integration",
        "generated CI",
        "GitHub workflow",
        "CI workflow",
    ),
    "use_kubernetes": ("deploy/kubernetes", "## Kubernetes", "kubectl apply -k"),
    "use_prometheus": ("/metrics", "prometheus_client", "PROMETHEUS_MULTIPROC_DIR", "## Metrics"),
    "use_opentelemetry": ("OTEL_", "tracing.py", "OpenTelemetry", "## Traces"),
    "use_sentry": ("SENTRY_", "error_tracking.py", "Sentry", "## Error reports"),
    "auth": ("auth.md", "issue_token", "JWT_", "auth=jwt", "scopes="),
    "worker": ("jobs-and-events.md", "BROKER_URL", "flask outbox", "TodoCompleted", "dramatiq"),
}


def documents(project):
    """README.md and docs/*.md of a bake, as {relative path: text}."""
    paths = [project / "README.md", *sorted((project / "docs").glob("*.md"))]
    return {path.relative_to(project).as_posix(): path.read_text("utf-8") for path in paths}


def looks_like_a_path(text):
    if not re.fullmatch(r"[\w.\-/]+", text) or "..." in text or text.startswith("/"):
        return False
    name = text.rstrip("/").rsplit("/", 1)[-1]
    return text.startswith(PROJECT_FOLDERS) or name.endswith(FILE_SUFFIXES) or name in FILE_NAMES


def named_paths(text):
    """(path, whether it is named as the template repository's) for each path the text names."""
    spans = [(match.group(1), match.end()) for match in CODE_SPAN.finditer(text)]
    spans += [(match.group(1), match.end()) for match in LINK_TARGET.finditer(text)]
    for candidate, end in spans:
        if looks_like_a_path(candidate):
            yield candidate, text.startswith(TEMPLATE_REPOSITORY, end)


def bake_has(project, document, path):
    """A path is in the bake from the project's root, from the document's folder (links), or,
    when written relative to a folder the text has just named, as the tail of a path of the bake."""
    stripped = path.rstrip("/")
    if (project / stripped).exists() or (project / document).parent.joinpath(stripped).exists():
        return True
    return any(candidate.as_posix().endswith("/" + stripped) for candidate in project.rglob("*"))


def created_by_the_reader(document, text, path):
    if path in CREATED_BY_THE_READER.get(document, ()) or path in GIVEN_FILE.findall(text):
        return True
    return document in GUIDES and RESOURCE_OF_THE_GUIDE.search(path) is not None


def written_by_a_command(project, document, path):
    folder, _, name = path.rstrip("/").rpartition("/")
    return PLACEHOLDER.search(name) is not None and bake_has(project, document, folder)


@pytest.mark.parametrize("option", OPTIONS_ONE_AT_A_TIME, ids=option_id)
def test_every_path_a_document_names_is_in_the_bake(bakery, option):
    project = bakery.bake(**option)
    missing = [
        f"{document}: {path}"
        for document, text in documents(project).items()
        for path, template_repository in named_paths(text)
        if not template_repository
        and not created_by_the_reader(document, text, path)
        and not written_by_a_command(project, document, path)
        and not bake_has(project, document, path)
    ]
    assert not missing, "documents name paths the bake does not have:\n" + "\n".join(missing)


@pytest.mark.parametrize("option", OPTIONS_ONE_AT_A_TIME, ids=option_id)
def test_an_option_that_is_off_is_not_described(bakery, answers, option):
    project = bakery.bake(**option)
    chosen = {**answers, **option}
    off = [key for key in ABSENT_WHEN_OFF if chosen[key] == "n" or chosen[key] == "none"]
    found = [
        f"{document}: {phrase!r} ({key} is off)"
        for document, text in documents(project).items()
        for key in off
        for phrase in ABSENT_WHEN_OFF[key]
        if phrase in text
    ]
    assert not found, "\n".join(found)


def test_the_checks_see_what_they_look_for(bakery):
    """With every option on, the documents name the paths and phrases the tests above look for."""
    project = bakery.bake(use_opentelemetry="y", use_sentry="y", worker="y")
    texts = documents(project)
    everything = "\n".join(texts.values())
    for phrases in ABSENT_WHEN_OFF.values():
        for phrase in phrases:
            assert phrase in everything, phrase
    named = {path for text in texts.values() for path, _ in named_paths(text)}
    assert {
        "docs/auth.md",
        "src/plumbing/tracing.py",
        "src/plumbing/error_tracking.py",
        ".github/workflows/ci.yml",
    } <= named
    assert ("bench/cluster.py", True) in set(named_paths(texts["docs/deployment.md"]))
