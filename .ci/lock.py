"""Write the baked uv.lock for every answer, and the packages the template's own tests install.

uv locks one bake per combination of the answers that change the dependency list. The locks differ
only in the packages an answer brings and in the project's own entry, so one file holds them all:
each such package, and each such line of the project's entry, sits inside an `{% if %}` on the
answers that bring it. tests/test_dependencies.py proves that every bake renders a lock uv accepts.

    python .ci/lock.py            after changing a pin in {{cookiecutter.repo_name}}/pyproject.toml
    python .ci/lock.py --upgrade  also moves what pyproject.toml does not pin to its newest release
"""

import argparse
import difflib
import itertools
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from cookiecutter.main import cookiecutter

TEMPLATE = Path(__file__).resolve().parent.parent
LOCK = TEMPLATE / "{{cookiecutter.repo_name}}" / "uv.lock"
BAKED_REQUIREMENTS = TEMPLATE / "requirements-baked.txt"
# The answers that change the dependencies in the baked pyproject.toml.
DEPENDENCY_ANSWERS = ("auth", "use_prometheus", "use_opentelemetry", "use_sentry", "worker")
# The project's own entry, as a default bake writes it, and what the template writes instead.
PROJECT_LINES = {
    'name = "todo-service"': 'name = "{{ cookiecutter.repo_name }}"',
    'version = "0.1.0"': 'version = "{{ cookiecutter.version }}"',
}
PROJECT_SOURCE = 'source = { virtual = "." }'
EXPORT = (
    "export",
    "--frozen",
    "--all-groups",
    "--no-emit-project",
    "--no-hashes",
    "--no-annotate",
    "--no-header",
)
BAKED_REQUIREMENTS_HEADER = """\
# What a bake with every option locks, for the template's own tests, which run the baked code
# with this Python. Written by `python .ci/lock.py` from uv.lock; do not edit.
"""


def uv(*arguments, cwd):
    environment = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    completed = subprocess.run(
        [sys.executable, "-m", "uv", *arguments],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        sys.exit(f"uv {' '.join(arguments)} failed in {cwd}:\n{completed.stderr}")
    return completed.stdout


def combinations():
    """Every combination of the dependency answers, as tuples in DEPENDENCY_ANSWERS order."""
    choices = json.loads((TEMPLATE / "cookiecutter.json").read_text(encoding="utf-8"))
    return list(itertools.product(*(choices[key] for key in DEPENDENCY_ANSWERS)))


def locked_bake(combination, workdir, upgrade):
    """A bake with these answers, locked by uv, which starts from the lock the template has."""
    answers = dict(zip(DEPENDENCY_ANSWERS, combination, strict=True))
    output = workdir / "-".join(combination)
    baked = cookiecutter(
        str(TEMPLATE), no_input=True, extra_context=answers, output_dir=str(output)
    )
    project = Path(baked)
    uv("lock", *(["--upgrade"] if upgrade else []), cwd=project)
    return project


def packages(lock_text):
    """The lock's header lines and its `[[package]]` entries, each a list of lines."""
    header, *entries = lock_text.rstrip("\n").split("\n\n[[package]]\n")
    return header.split("\n"), [f"[[package]]\n{entry}".split("\n") for entry in entries]


def condition(present, everything):
    """The Jinja test that holds for the combinations in `present` only; None when all have it."""
    if present == everything:
        return None
    for index, key in enumerate(DEPENDENCY_ANSWERS):
        values = {combination[index] for combination in present}
        if len(values) == 1 and present == {c for c in everything if c[index] in values}:
            return f'cookiecutter.{key} == "{values.pop()}"'
    names = ", ".join(f"cookiecutter.{key}" for key in DEPENDENCY_ANSWERS)
    return f"({names}) in {sorted(present)!r}"


def merged_lines(versions):
    """[line, combinations having it] for the union of several versions of one entry, in order."""
    union = []
    for combination, lines in versions:
        matcher = difflib.SequenceMatcher(a=[line for line, _ in union], b=lines, autojunk=False)
        merged = []
        for tag, start, end, new_start, new_end in matcher.get_opcodes():
            if tag == "equal":
                for line, present in union[start:end]:
                    merged.append([line, present | {combination}])
                continue
            merged.extend(union[start:end])
            merged.extend([line, {combination}] for line in lines[new_start:new_end])
        union = merged
    return union


def project_lines(versions, everything):
    """The project's own entry, its name and version left to the answers."""
    merged = merged_lines(versions)
    if not set(PROJECT_LINES) <= {line for line, _ in merged}:
        sys.exit(f"the project's entry lacks {' or '.join(PROJECT_LINES)}: bake the defaults")
    return [("", None)] + [
        (PROJECT_LINES.get(line, line), condition(present, everything)) for line, present in merged
    ]


def template_lines(locks):
    """(line, Jinja test or None) for the one lock that renders each of `locks`."""
    everything = set(locks)
    if any(marker in text for text in locks.values() for marker in ("{{", "{%", "{#")):
        sys.exit("a lock holds text Jinja would read as its own syntax")
    headers = {tuple(packages(text)[0]) for text in locks.values()}
    if len(headers) != 1:
        sys.exit("the locks' headers (markers, options) differ: one file cannot hold them")
    lines = [(line, None) for line in headers.pop()]
    entries, project = {}, []
    for combination, text in locks.items():
        for entry in packages(text)[1]:
            if PROJECT_SOURCE in entry:
                project.append((combination, entry))
                continue
            present = entries.setdefault(tuple(entry[:3]), {}).setdefault(tuple(entry), set())
            present.add(combination)
    for key in sorted([*entries, tuple(project[0][1][:3])]):
        if key not in entries:
            lines.extend(project_lines(project, everything))
            continue
        if len(entries[key]) > 1:
            sys.exit(f"{key[1]} resolves differently with other answers: pin it in pyproject.toml")
        ((entry, present),) = entries[key].items()
        lines.extend((line, condition(present, everything)) for line in ["", *entry])
    return lines


def rendered(lines):
    """The template text: runs of lines under one test go inside one `{%- if %}`."""
    out = []
    for test, run in itertools.groupby(lines, key=lambda pair: pair[1]):
        texts = [line for line, _ in run]
        out.extend([f"{{%- if {test} %}}", *texts, "{%- endif %}"] if test else texts)
    return "\n".join(out) + "\n"


def pins(export):
    """The `name==version` lines of an export, without markers (they vary with the answers)."""
    return {line.split(" ;")[0].strip() for line in export.splitlines() if "==" in line}


def baked_requirements(projects):
    """uv's export of the bake whose lock holds every package any bake locks."""
    exports = {project: uv(*EXPORT, cwd=project) for project in projects}
    widest = max(exports, key=lambda project: len(exports[project].splitlines()))
    everything = pins(exports[widest])
    if any(pins(export) - everything for export in exports.values()):
        sys.exit("no bake locks every package: the template's tests cannot install them all")
    return BAKED_REQUIREMENTS_HEADER + exports[widest]


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--upgrade", action="store_true", help="let uv move unpinned packages too")
    upgrade = parser.parse_args().upgrade
    with tempfile.TemporaryDirectory(prefix="template-lock-") as workdir:
        projects = {c: locked_bake(c, Path(workdir), upgrade) for c in combinations()}
        locks = {c: (path / "uv.lock").read_text(encoding="utf-8") for c, path in projects.items()}
        LOCK.write_text(rendered(template_lines(locks)), encoding="utf-8")
        BAKED_REQUIREMENTS.write_text(baked_requirements(projects.values()), encoding="utf-8")
    print(f"wrote {LOCK.relative_to(TEMPLATE)} and {BAKED_REQUIREMENTS.relative_to(TEMPLATE)}")


if __name__ == "__main__":
    main()
