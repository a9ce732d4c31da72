"""Lint the SQL of new Alembic revisions for PostgreSQL hazards with squawk; `make lint-migrations` runs it.

Each revision's SQL is what `flask db upgrade --sql PARENT:REVISION` prints: Alembic's offline mode, in
PostgreSQL's dialect, one file per revision, so squawk names the revision that takes the lock. A revision
says why a hazard is acceptable with a line of its own at the top of its file, which becomes squawk's
`-- squawk-ignore-file` for that revision only; the reason after the colon is required:

    # squawk-ignore-file ban-drop-column: no deployed code reads todo.description since release 1.4

With `--base REF` only the revisions whose files are new since that git commit are linted (committed or
not); without it, every revision. docs/migrations.md explains the rules and the safe alternatives.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from alembic.config import Config
from alembic.script import Script, ScriptDirectory

PROJECT = Path(__file__).resolve().parent.parent
MIGRATIONS = PROJECT / "migrations"
SQUAWK_CONFIG = PROJECT / ".squawk.toml"
IGNORE_LINE = re.compile(r"^# squawk-ignore-file\b(?P<rules>[^:\n]*)(?::(?P<reason>[^\n]*))?$", re.MULTILINE)
RULE_NAME = re.compile(r"[a-z]+(?:-[a-z]+)*")
# What git calls "no commit", e.g. the `before` of a push that created the branch.
NO_COMMIT = "0" * 40
# Offline mode never connects; the URL only picks PostgreSQL's dialect.
OFFLINE_DATABASE_URI = "postgresql://offline@127.0.0.1/offline"


class Refusal(Exception):
    """A reason to stop before squawk runs, for the user to fix."""


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", help="git commit to compare with, e.g. origin/main; default: lint every revision")
    return parser.parse_args()


def all_revisions() -> list[Script]:
    """Every revision, oldest first."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return list(reversed(list(ScriptDirectory.from_config(config).walk_revisions())))


def git(*arguments: str) -> str:
    completed = subprocess.run(["git", *arguments], cwd=PROJECT, capture_output=True, text=True)
    if completed.returncode != 0:
        raise Refusal(f"git {' '.join(arguments)} failed: {completed.stderr.strip()}")
    return completed.stdout


def files_new_since(base: str) -> set[Path]:
    """Revision files that do not exist at `base`: added in later commits, staged, or not yet tracked."""
    git("rev-parse", "--verify", "--quiet", base + "^{commit}")
    versions = str(MIGRATIONS / "versions")
    added = git("diff", "--name-only", "--diff-filter=A", "--relative", base, "--", versions)
    untracked = git("ls-files", "--others", "--exclude-standard", "--", versions)
    return {(PROJECT / line).resolve() for line in (added + untracked).splitlines() if line.endswith(".py")}


def revisions_to_lint(base: str | None) -> list[Script]:
    revisions = all_revisions()
    if base is None or base == NO_COMMIT:
        return revisions
    new = files_new_since(base)
    return [revision for revision in revisions if Path(revision.path).resolve() in new]


def ignored_rules(revision: Script) -> list[str]:
    """The rules the revision's `# squawk-ignore-file RULE, ...: reason` lines name; each line needs its reason."""
    source = Path(revision.path).read_text(encoding="utf-8")
    rules = []
    for line in IGNORE_LINE.finditer(source):
        names = [name.strip() for name in line["rules"].split(",")]
        where = f"{Path(revision.path).relative_to(PROJECT)}: {line.group(0)!r}"
        if not all(RULE_NAME.fullmatch(name) for name in names):
            raise Refusal(f"{where} names no rule; write `# squawk-ignore-file RULE: why it is safe here`.")
        if not (line["reason"] or "").strip():
            raise Refusal(f"{where} gives no reason; say after a colon why the hazard is acceptable here.")
        rules += names
    return rules


def offline_sql(revision: Script) -> str:
    """The SQL `flask db upgrade --sql` prints for this revision alone."""
    parent = revision.down_revision
    if isinstance(parent, tuple):  # a merge: the SQL from its first parent
        parent = parent[0]
    target = f"{parent}:{revision.revision}" if parent else revision.revision
    completed = subprocess.run(
        [sys.executable, "-m", "flask", "db", "upgrade", "--sql", target],
        cwd=PROJECT,
        env={**os.environ, "SQLALCHEMY_DATABASE_URI": OFFLINE_DATABASE_URI, "LOG_LEVEL": "WARNING"},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    if completed.returncode != 0:
        raise Refusal(f"flask db upgrade --sql {target} failed:\n{completed.stdout}{completed.stderr}")
    return completed.stdout


def squawk_executable() -> str:
    """squawk-cli's binary, next to this interpreter when its virtual environment is not activated."""
    beside = Path(sys.executable).parent / "squawk"
    found = str(beside) if beside.is_file() else shutil.which("squawk")
    if found is None:
        raise Refusal("squawk is not installed: it comes with the dev group, run `uv sync`")
    return found


def lint(revisions: list[Script]) -> int:
    with tempfile.TemporaryDirectory(prefix="migration-sql-") as directory:
        files = []
        for revision in revisions:
            header = "".join(f"-- squawk-ignore-file {rule}\n" for rule in ignored_rules(revision))
            sql_file = Path(directory) / f"{Path(revision.path).stem}.sql"
            sql_file.write_text(header + offline_sql(revision), encoding="utf-8")
            files.append(str(sql_file))
        return subprocess.run([squawk_executable(), "--config", str(SQUAWK_CONFIG), *files]).returncode


def main() -> int:
    arguments = parse_arguments()
    try:
        revisions = revisions_to_lint(arguments.base)
        if not revisions:
            print(f"No revision is new since {arguments.base}; nothing to lint.")
            return 0
        print("Linting " + ", ".join(Path(revision.path).name for revision in revisions), flush=True)
        status = lint(revisions)
    except Refusal as refusal:
        print(refusal, file=sys.stderr)
        return 2
    if status != 0:
        print(
            "Make the revision safe (docs/migrations.md shows how), or say why the hazard is acceptable with a line "
            "`# squawk-ignore-file RULE: reason` at the top of the revision.",
            file=sys.stderr,
        )
    return status


if __name__ == "__main__":
    sys.exit(main())
