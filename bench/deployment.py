"""The interpreter that serves the apps: a virtual environment holding only what the project's uv.lock pins
for the service, without the dev group, installed as the Dockerfile's build stage installs it.

That is what a deployment installs. The development environment also carries the test tools, and some of
them change what the apps import: openapi-spec-validator brings pydantic-settings, and dependency-injector
imports it whenever it is installed, which adds a third to the generated app's cold start.
"""

import os
import subprocess
import sys
from pathlib import Path

# The Dockerfile's `uv sync`, with this Python instead of the image's.
SYNC = ("sync", "--locked", "--no-dev", "--no-install-project", "--no-editable")


def deployment_python(project: Path, work: Path) -> str:
    environment = work / "deployment-venv"
    completed = subprocess.run(
        [sys.executable, "-m", "uv", *SYNC, "--python", sys.executable],
        cwd=project,
        env={**os.environ, "UV_PROJECT_ENVIRONMENT": str(environment), "UV_PYTHON_DOWNLOADS": "never"},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"uv {' '.join(SYNC)} failed in {project}:\n{completed.stderr}")
    return str(environment / "bin" / "python")
