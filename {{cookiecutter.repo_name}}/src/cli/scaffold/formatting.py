"""Generated code goes through the project's own ruff, so it reads like the rest and passes its checks."""

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from src.cli.scaffold.refusal import Refusal

# Docstrings wrap a little short of the code's 120 columns, as the hand-written ones do.
DOCSTRING_WIDTH = 112


def ruff_command() -> list[str]:
    executable = Path(sys.executable).with_name("ruff")
    found = str(executable) if executable.exists() else shutil.which("ruff")
    if found is None:
        raise Refusal("flask scaffold formats what it writes with ruff: pip install -r requirements-dev.txt first.")
    return [found]


def formatted(source: str, path: str, project: Path) -> str:
    """Imports sorted and pruned (isort and F401 fixes), then `ruff format`, with the project's settings."""
    ruff = ruff_command()
    fixed = _run(
        [*ruff, "check", "--quiet", "--fix-only", "--select", "I,F401", "--stdin-filename", path, "-"], source, project
    )
    return _run([*ruff, "format", "--quiet", "--stdin-filename", path, "-"], fixed, project)


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


def _run(command: list[str], source: str, project: Path) -> str:
    result = subprocess.run(command, input=source, capture_output=True, text=True, cwd=project, check=False)
    if result.returncode != 0:
        raise Refusal(f"ruff could not process the generated code: {result.stderr.strip() or result.stdout.strip()}")
    return result.stdout
