"""Write the baked openapi.json: the document a bake serves, committed so CI can see changes.

The document differs between bakes only in `info` (the project's name, version and license) and
in what `auth` adds (the bearer scheme, scopes, 401 and 403). One file holds every variant:
`info` renders the answers, and each part that `auth` changes sits inside an `{% if %}`. The
baked tests/plumbing/api/test_committed_openapi.py proves in every bake that it is the served one.

    python .ci/openapi_document.py    after changing anything the document shows
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from cookiecutter.main import cookiecutter

TEMPLATE = Path(__file__).resolve().parent.parent
DOCUMENT = TEMPLATE / "{{cookiecutter.repo_name}}" / "openapi.json"
JWT = '{% if cookiecutter.auth == "jwt" %}'
INFO = """{
    "license": {% if cookiecutter.open_source_license == "Not open source" %}\
{"name": "Proprietary"}{% else %}{"name": "{{ cookiecutter.open_source_license }}", \
"url": "https://spdx.org/licenses/{{ cookiecutter.open_source_license }}.html"}{% endif %},
    "title": {{ cookiecutter.project_name | tojson }},
    "version": {{ cookiecutter.version | tojson }}
  }"""


def served_document(auth: str, output: Path) -> dict:
    """The document a default bake with this `auth` serves, as `flask openapi write` writes it."""
    project = Path(
        cookiecutter(
            str(TEMPLATE),
            no_input=True,
            output_dir=str(output / auth),
            extra_context={"auth": auth},
        )
    )
    environment = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    subprocess.run(["uv", "sync", "--quiet"], cwd=project, check=True, env=environment)
    subprocess.run(
        ["uv", "run", "flask", "openapi", "write", "openapi.json"],
        cwd=project,
        check=True,
        env=environment,
    )
    return json.loads((project / "openapi.json").read_text())


def dumped(value, depth: int) -> str:
    """`value` as `flask openapi write` writes it (indented by two), starting `depth` levels in."""
    return json.dumps(value, indent=2).replace("\n", "\n" + "  " * depth)


def merged(with_jwt, without, depth: int = 0) -> str:
    """JSON of both variants: shared parts once, each part that differs inside an `{% if %}`."""
    if with_jwt == without:
        return dumped(with_jwt, depth)
    pad = "  " * (depth + 1)
    if isinstance(with_jwt, dict) and isinstance(without, dict) and list(with_jwt) == list(without):
        members = [
            f"{pad}{json.dumps(key)}: {merged(with_jwt[key], without[key], depth + 1)}"
            for key in with_jwt
        ]
        return "{\n" + ",\n".join(members) + "\n" + "  " * depth + "}"
    if isinstance(with_jwt, list) and isinstance(without, list) and len(with_jwt) == len(without):
        items = [
            pad + merged(one, other, depth + 1)
            for one, other in zip(with_jwt, without, strict=True)
        ]
        return "[\n" + ",\n".join(items) + "\n" + "  " * depth + "]"
    return f"{JWT}{dumped(with_jwt, depth)}{{% else %}}{dumped(without, depth)}{{% endif %}}"


def main() -> int:
    with tempfile.TemporaryDirectory() as output:
        with_jwt, without = (served_document(auth, Path(output)) for auth in ("jwt", "none"))
    for document in (with_jwt, without):
        document["info"] = "INFO"
    text = merged(with_jwt, without).replace('"INFO"', INFO)
    for marker in ("{{", "{%", "{#"):
        if marker in json.dumps([with_jwt, without]):
            print(f"The document holds {marker!r}, which Jinja would read.", file=sys.stderr)
            return 1
    DOCUMENT.write_text(text)
    print(f"Wrote {DOCUMENT.relative_to(TEMPLATE)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
