"""The text of the weekly template update's pull request: the template's CHANGELOG entries since a version.

Usage: python3 .github/scripts/template_changes.py CHANGELOG.md VERSION [FILE WITH CONFLICTS ...]
"""

import re
import sys
from pathlib import Path

# A version's section starts with its heading, e.g. `## 0.2.0 (2026-11-29)`; `## Unreleased` comes first.
SECTION = re.compile(r"^## ", re.M)


def sections(changelog):
    """The CHANGELOG's `## ` sections, newest first, each with its heading."""
    return [f"## {text}".rstrip() for text in SECTION.split(changelog)[1:]]


def entries_since(changelog, version):
    """The sections newer than `version`'s own; None when no heading names that version."""
    found = sections(changelog)
    for index, section in enumerate(found):
        heading = section.splitlines()[0].split()
        if len(heading) > 1 and heading[1] == version:
            return found[:index]
    return None


def pull_request_text(changelog, version, conflicted):
    lines = [
        f"The template moved on since version {version}, which this project was baked from or last updated to.",
        "`cruft update` merged its changes and `uv lock` locked the dependencies again. Read the upgrade notes",
        "below, run `flask db upgrade` if a migration came with the update, and copy new settings from",
        "`.env.example` into your `.env`.",
    ]
    if conflicted:
        lines += ["", "## Files to resolve", "", "Both sides changed these; they hold conflict markers:", ""]
        lines += [f"- `{path}`" for path in conflicted]
    entries = entries_since(changelog, version)
    if entries is None:
        entries = [f"No heading of the CHANGELOG names version {version}; here is all of it.", *sections(changelog)]
    lines += ["", "# The template's CHANGELOG since then", "", "\n\n".join(entries) or "(no entries)"]
    return "\n".join(lines) + "\n"


def main():
    changelog, version, *conflicted = sys.argv[1:]
    print(pull_request_text(Path(changelog).read_text(encoding="utf-8"), version, conflicted), end="")


if __name__ == "__main__":
    main()
