"""The interpreter that serves the apps: a virtual environment holding only the project's requirements.txt.

That is what a deployment installs. The development environment also carries the test tools, and some of
them change what the apps import: openapi-spec-validator brings pydantic-settings, and dependency-injector
imports it whenever it is installed, which adds a third to the generated app's cold start.
"""

import subprocess
import sys
from pathlib import Path


def deployment_python(project: Path, work: Path) -> str:
    environment = work / "deployment-venv"
    subprocess.run([sys.executable, "-m", "venv", str(environment)], check=True)
    python = environment / "bin" / "python"
    install = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    completed = subprocess.run(
        [*install, "-r", str(project / "requirements.txt")], capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    if completed.returncode != 0:
        raise RuntimeError(f"installing {project / 'requirements.txt'} failed:\n{completed.stderr}")
    return str(python)
