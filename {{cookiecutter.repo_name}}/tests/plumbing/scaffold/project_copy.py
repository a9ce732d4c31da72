"""A throwaway copy of this project, for commands that write into a project."""

import hashlib
import shutil
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[3]
COPIED = ("src", "tests", "migrations", "pyproject.toml")


def copy_project(destination: Path) -> Path:
    """The project's code, tests, migrations and settings; no virtualenv, database or caches."""
    ignored = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache")
    for name in COPIED:
        source = PROJECT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=ignored)
        else:
            shutil.copy2(source, destination / name)
    return destination


def fingerprint(project: Path) -> dict[str, str]:
    """Path → content hash of every file, to show that nothing was written."""
    return {
        str(path.relative_to(project)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(project.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }
