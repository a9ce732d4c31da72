"""The Swagger UI page of a running baked service lists its operations in a browser, offline."""

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import free_port, missing, wait_for_json
from devtools import Browser

STARTUP_SECONDS = 30
BROWSER_SECONDS = 60
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def browser_executable():
    found = next((shutil.which(name) for name in BROWSERS if shutil.which(name)), None)
    if found:
        return found
    missing("Chromium is not installed (Debian: apt-get install chromium)", "run the browser test")


@dataclass(frozen=True)
class RunningService:
    docs_url: str
    project: Path
    environ: dict


@pytest.fixture
def running_service(bakery, request):
    """A baked service under gunicorn on its migrated SQLite database; .env decides the rest."""
    prefix = request.param
    project = bakery.bake(service_prefix=prefix)
    port = free_port()
    settings = ("GUNICORN_", "SERVICE_PREFIX", "SQLALCHEMY_", "APP_ENV", "FLASK_", "JWT_")
    environ = {key: value for key, value in os.environ.items() if not key.startswith(settings)}
    upgrade = [sys.executable, "-m", "flask", "db", "upgrade"]
    subprocess.run(upgrade, cwd=project, env=environ, capture_output=True, check=True)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "wsgi:app", "-b", f"127.0.0.1:{port}", "-w", "1"],
        cwd=project,
        env=environ,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}" + (f"/{prefix}" if prefix else "")
    try:
        wait_for_json(f"{base}/openapi.json", server)
        yield RunningService(f"{base}/docs", project, environ)
    finally:
        server.terminate()
        server.wait(timeout=STARTUP_SECONDS)


def rendered_dom(url, profile):
    """The page as headless Chromium sees it after its scripts ran, with no network but loopback."""
    command = [
        browser_executable(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--virtual-time-budget=5000",
        "--dump-dom",
        url,
    ]
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=BROWSER_SECONDS, check=False
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return completed.stdout


@pytest.mark.parametrize("running_service", ["", "example"], indirect=True, ids=repr)
def test_the_docs_page_lists_the_operations(running_service, tmp_path):
    dom = rendered_dom(running_service.docs_url, tmp_path / "profile")

    assert 'class="swagger-ui' in dom
    for path in ("/v1/todo", "/v1/todo/{todo_id}", "/v1/service-context", "/health/ready"):
        assert f'data-path="{path}"' in dom, f"{path} is not listed"
    for summary in ("List todos", "Create a todo", "Change some fields of a todo"):
        assert summary in dom
    # The bearer scheme gives the page its Authorize button, and each protected operation a lock.
    assert 'class="btn authorize' in dom
    assert 'class="authorization__btn' in dom


# Run in the docs page: try the list without a token, paste one under Authorize, try again.
TRY_WITH_AND_WITHOUT_TOKEN = Path(__file__).with_name("swagger_authorize.js").read_text("utf-8")


@pytest.mark.parametrize("running_service", [""], indirect=True, ids=repr)
def test_authorize_sends_a_pasted_token(running_service, tmp_path):
    service = running_service
    flask = [sys.executable, "-m", "flask"]
    issue = [*flask, "issue_token", "--subject", "swagger", "--scope", "todo:read"]
    completed = subprocess.run(
        issue, cwd=service.project, env=service.environ, capture_output=True, text=True, check=True
    )
    token = json.dumps(completed.stdout.strip())
    browser = Browser(browser_executable(), tmp_path / "profile", timeout=BROWSER_SECONDS)
    try:
        page = browser.open(service.docs_url)
        statuses = browser.evaluate(page, f"({TRY_WITH_AND_WITHOUT_TOKEN.strip()})({token})")
    finally:
        browser.close()

    assert statuses == ["401", "200"]
