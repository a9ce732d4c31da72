"""Generated code goes through the project's own ruff, so it reads like the rest and passes its checks."""

import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from src.plumbing.scaffold.refusal import Refusal

# Docstrings wrap a little short of the code's 120 columns, as the hand-written ones do.
DOCSTRING_WIDTH = 112


def ruff_command() -> list[str]:
    executable = Path(sys.executable).with_name("ruff")
    found = str(executable) if executable.exists() else shutil.which("ruff")
    if found is None:
        raise Refusal("flask scaffold formats what it writes with ruff, a tool of the dev group: run `uv sync` first.")
    return [found]


def formatted(sources: dict[str, str], project: Path) -> dict[str, str]:
    """Each source with its imports sorted and pruned (isort and F401 fixes), then formatted, as the project sets."""
    ruff = ruff_command()
    settings = ["--config", str(project / "pyproject.toml"), "--no-cache", "--quiet"]
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        for path, source in sources.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(source, encoding="utf-8")
        _run([*ruff, "check", *settings, "--fix-only", "--select", "I,F401", "."], root)
        _run([*ruff, "format", *settings, "."], root)
        return {path: (root / path).read_text(encoding="utf-8") for path in sources}


def wrap(text: str, indent: int) -> str:
    """A jinja filter: re-flow a paragraph of a docstring to the line length, at this indentation."""
    prefix = " " * indent
    return (
        textwrap.fill(
            " ".join(text.split()),
            DOCSTRING_WIDTH,
            initial_indent=prefix,
            subsequent_indent=prefix,
            break_on_hyphens=False,
        )
        + "\n"
    )


def docstring_text(text: str) -> str:
    """`text` for a triple-quoted docstring that reads back as `text`.

    Backslashes, double quotes and characters that are not printable (a newline, an escape) come out escaped,
    so that no value given on the command line can end the docstring or make it fail to compile.
    """
    escaped = []
    for character in text:
        if character in '\\"':
            escaped.append("\\" + character)
        elif character.isprintable():
            escaped.append(character)
        else:
            escaped.append(character.encode("unicode_escape").decode("ascii"))
    return "".join(escaped)


def _run(command: list[str], directory: Path) -> None:
    result = subprocess.run(command, capture_output=True, text=True, cwd=directory, check=False)
    if result.returncode != 0:
        raise Refusal(f"ruff could not process the generated code: {result.stderr.strip() or result.stdout.strip()}")
