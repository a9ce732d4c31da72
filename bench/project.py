"""The generated project under test: baked from this template with default answers."""

import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

import jwt

TEMPLATE_ROOT = Path(__file__).resolve().parent.parent
# The apps verify the bench's own development tokens; apps baked with auth=none ignore the header.
JWT_SECRET = secrets.token_urlsafe(32)
TOKEN_SCOPES = "todo:read todo:write"


def token(subject: str = "bench") -> str:
    """A day's bearer token for `subject`, which the apps of the bench accept."""
    now = int(time.time())
    claims = {"sub": subject, "scope": TOKEN_SCOPES, "iat": now, "exp": now + 24 * 60 * 60}
    return jwt.encode(claims, JWT_SECRET, algorithm="HS256")


def authorization() -> str:
    """The `Authorization` header every request of the bench sends, to every app alike."""
    return f"Bearer {token()}"


AUTHORIZATION = authorization()


def bake(output_directory: Path, **answers: str) -> Path:
    """Run cookiecutter with the default answers, except `answers`, and return the baked project's directory."""
    command = [sys.executable, "-m", "cookiecutter", "--no-input", str(TEMPLATE_ROOT), "-o", str(output_directory)]
    command += [f"{key}={value}" for key, value in answers.items()]
    completed = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if completed.returncode != 0:
        raise RuntimeError(f"baking the template failed:\n{completed.stdout}{completed.stderr}")
    (project,) = (path for path in output_directory.iterdir() if path.is_dir())
    return project


def copy_of(project: Path, destination: Path) -> Path:
    """The project's code copied to `destination`, for a bench to change: no venv, git, SQLite instance or bytecode."""
    shutil.copytree(project, destination, ignore=shutil.ignore_patterns(".venv", ".git", "instance", "__pycache__"))
    return destination


def service_environment(database_url: str, log_level: str) -> dict[str, str]:
    """What a production deployment sets; the rest comes from the project's defaults and .env."""
    return {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(32),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "LOG_LEVEL": log_level,
        # Development mode in production: refused unless allowed, and fine for a benchmark on loopback.
        "JWT_SECRET": JWT_SECRET,
        "JWT_ALLOW_SHARED_SECRET": "true",
        "BENCH_AUTHORIZATION": AUTHORIZATION,
        # A load test is one caller sending far beyond any budget; rate_limits.py turns the limits on itself.
        "RATELIMIT_ENABLED": "false",
    }


def upgrade_database(project: Path, database_url: str, python: str = sys.executable) -> None:
    """`flask db upgrade`, exactly as the generated README tells users to run it."""
    completed = subprocess.run(
        [python, "-m", "flask", "db", "upgrade"],
        cwd=project,
        env=service_environment(database_url, "WARNING"),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"flask db upgrade failed:\n{completed.stdout}{completed.stderr}")
