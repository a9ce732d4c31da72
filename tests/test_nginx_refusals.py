"""Behind the nginx block of the baked docs/deployment.md, refusals are JSON in the error shape."""

import json
import re
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from conftest import free_port, missing, wait_for_json
from test_gunicorn import start_gunicorn, stop

SOCKET_TIMEOUT_SECONDS = 10
# The defaults of the baked gunicorn.conf.py.
REQUEST_LINE_LIMIT = 8190
HEADER_FIELDS_LIMIT = 100
HEADER_FIELD_SIZE_LIMIT = 8190
PADDING = "X-Padding: "
MAX_CONTENT_LENGTH = 1024 * 1024


def get(target, *fields):
    lines = [f"GET {target} HTTP/1.1", "Host: 127.0.0.1", *fields, "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def post(size):
    """A POST of a JSON body of `size` bytes that the schema refuses (its title is too long)."""
    body = '{"title": "' + "x" * (size - len('{"title": ""}')) + '"}'
    fields = ["Host: 127.0.0.1", "Content-Type: application/json", f"Content-Length: {size}"]
    fields.append("Connection: close")
    return ("\r\n".join(["POST /v1/todo HTTP/1.1", *fields]) + "\r\n\r\n" + body).encode("latin-1")


# What each request gets through the documented block: nginx's or gunicorn's refusal, as JSON.
REFUSED = {
    "request line over the limit": (get("/v1/todo?title=" + "x" * REQUEST_LINE_LIMIT), 414),
    "more header fields than gunicorn's limit": (
        get("/health/live", *(f"X-Field-{n}: 1" for n in range(HEADER_FIELDS_LIMIT))),
        431,
    ),
    "field line one byte over gunicorn's limit": (
        get("/health/live", PADDING + "x" * (HEADER_FIELD_SIZE_LIMIT + 1 - len(PADDING) - 2)),
        431,
    ),
    "field line over nginx's buffer": (get("/health/live", PADDING + "x" * 9000), 400),
    "body over MAX_CONTENT_LENGTH": (post(MAX_CONTENT_LENGTH + 1), 413),
    "not HTTP": (b"HELLO\r\n\r\n", 400),
    "garbage after the version": (b"GET /health/live HTTP/1.1 x\r\nHost: 127.0.0.1\r\n\r\n", 400),
}


def nginx_binary():
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if found:
        return found
    reason = "nginx is not installed (Debian: apt-get install nginx-light)"
    missing(reason, "check the documented nginx block")


def documented_server_block(project, nginx_port, gunicorn_port):
    """The ```nginx block of docs/deployment.md, listening and proxying on this test's ports."""
    text = (project / "docs" / "deployment.md").read_text(encoding="utf-8")
    block = re.search(r"```nginx\n(.*?)```", text, re.S).group(1)
    assert "listen 80;" in block
    assert "127.0.0.1:7000" in block
    block = block.replace("listen 80;", f"listen 127.0.0.1:{nginx_port};")
    return block.replace("127.0.0.1:7000", f"127.0.0.1:{gunicorn_port}")


def nginx_config(directory, buffers, server_block):
    """A foreground nginx: pid and log in `directory`, the bodies it buffers in `buffers`."""
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp_paths = "".join(f"{kind}_temp_path {buffers / kind};\n" for kind in kinds)
    config = directory / "nginx.conf"
    config.write_text(
        f"daemon off;\nworker_processes 1;\npid {directory / 'nginx.pid'};\n"
        f"error_log {directory / 'error.log'};\nevents {{ worker_connections 16; }}\n"
        f"http {{\naccess_log off;\n{temp_paths}{server_block}}}\n",
        encoding="utf-8",
    )
    return config


def exchange(port, raw_request):
    """(status, content type, body) of a raw request; the server closes the connection after it."""
    address = ("127.0.0.1", port)
    with socket.create_connection(address, timeout=SOCKET_TIMEOUT_SECONDS) as connection:
        connection.sendall(raw_request)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *fields = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (f.partition(":") for f in fields)}
    return int(status_line.split(" ")[1]), headers.get("content-type"), body


def test_refusals_are_json_and_the_service_s_own_answers_pass_unchanged(bakery, tmp_path):
    binary = nginx_binary()
    # Without bearer tokens, so that the service's own 422 below needs none.
    project = bakery.bake(auth="none")
    gunicorn_port, port = free_port(), free_port()
    bind = f"127.0.0.1:{gunicorn_port}"
    server = start_gunicorn(project, GUNICORN_BIND=bind, GUNICORN_WORKERS="1")
    # Run as root, nginx's workers run as nobody: pytest's folders are closed to them, /tmp is not.
    buffers = Path(tempfile.mkdtemp(prefix="nginx-buffers-"))
    buffers.chmod(0o755)
    config = nginx_config(tmp_path, buffers, documented_server_block(project, port, gunicorn_port))
    proxy = subprocess.Popen(
        [binary, "-c", str(config), "-p", str(tmp_path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert wait_for_json(f"http://{bind}/health/live", server)[0] == 200
        assert wait_for_json(f"http://127.0.0.1:{port}/health/live", proxy)[0] == 200
        for case, (raw_request, status) in REFUSED.items():
            answer_status, content_type, body = exchange(port, raw_request)
            assert (answer_status, content_type) == (status, "application/json"), case
            assert json.loads(body)["code"] == status, case
        # The service's own 422s, with their per-field errors, are not replaced by a page of nginx.
        own = ((get("/v1/todo?page=0"), "query"), (post(MAX_CONTENT_LENGTH), "json"))
        for raw_request, location in own:
            status, content_type, body = exchange(port, raw_request)
            assert (status, content_type) == (422, "application/json")
            assert json.loads(body)["errors"][location]
    finally:
        stop(proxy)
        stop(server)
        shutil.rmtree(buffers)
