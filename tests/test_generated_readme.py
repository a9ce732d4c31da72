"""The baked project's README: sections in the promised order, examples that match the project."""

import re

import pytest

SECTIONS = [
    "Set-up",
    "Local database",
    "Run",
    "Migrate",
    "Test",
    "Maintenance mode",
    "Deploy",
    "Update from the template",
]
ENVIRONMENT_READ = re.compile(r"""environ(?:\.get\(|, )["']([A-Z][A-Z0-9_]+)["']""")
SETTING_LOOKUP = re.compile(r"""\(["']([A-Z][A-Z0-9_]+)["'],""")
SETTINGS_SOURCES = [
    "src/config.py",
    "src/plumbing/settings/template.py",
    "src/plumbing/settings/bearer_tokens.py",
    "src/plumbing/settings/error_tracking.py",
    "src/plumbing/settings/rate_limits.py",
    "gunicorn.conf.py",
]
TABLE_VARIABLE = re.compile(r"^\| `([A-Z][A-Z0-9_]+)` \|", re.M)
LOCAL_URL = re.compile(r"http://localhost:7000(/\S*)")


def readme(project):
    return (project / "README.md").read_text(encoding="utf-8")


def variables_the_code_reads(project):
    """The variables the service's configuration and gunicorn's read from the environment."""
    paths = [project / path for path in SETTINGS_SOURCES]
    sources = [path.read_text(encoding="utf-8") for path in paths if path.is_file()]
    return {
        name
        for source in sources
        for pattern in (ENVIRONMENT_READ, SETTING_LOOKUP)
        for name in pattern.findall(source)
    }


def test_sections_come_in_the_promised_order(bakery):
    headings = re.findall(r"^## (.+)$", readme(bakery.bake()), re.M)
    assert [heading for heading in headings if heading in SECTIONS] == SECTIONS


@pytest.mark.parametrize("options", [{}, {"use_sentry": "y"}], ids=repr)
def test_the_settings_table_lists_exactly_what_the_code_reads(bakery, options):
    project = bakery.bake(**options)
    documented = set(TABLE_VARIABLE.findall(readme(project)))
    assert documented == variables_the_code_reads(project)


@pytest.mark.parametrize(
    ("service_prefix", "base"), [("", ""), ("example", "/example"), ("/example", "/example")]
)
def test_example_urls_carry_the_chosen_prefix(bakery, service_prefix, base):
    text = readme(bakery.bake(service_prefix=service_prefix))
    paths = LOCAL_URL.findall(text)
    assert paths, "the README shows no example URL"
    for path in paths:
        assert re.match(rf"{base}/((v1|health)/|docs\b)", path), path
    assert "<service-prefix>" not in text


def test_make_targets_the_readme_names_exist(bakery):
    project = bakery.bake()
    makefile = (project / "Makefile").read_text(encoding="utf-8")
    for target in set(re.findall(r"`make ([a-z-]+)", readme(project))):
        assert re.search(rf"^{target}:", makefile, re.M), f"README names make {target}"


@pytest.mark.parametrize(
    ("option", "absent"),
    [
        ({"use_docker": "n"}, ["docker compose", "docker build"]),
        ({"use_github_actions": "n"}, ["ci.yml"]),
    ],
)
def test_an_option_left_out_is_not_described(bakery, option, absent):
    text = readme(bakery.bake(**option))
    for phrase in absent:
        assert phrase not in text
