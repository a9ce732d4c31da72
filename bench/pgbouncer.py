"""PgBouncer (Debian's package) in transaction pooling mode between the instances and PostgreSQL."""

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url

CONFIG = """\
[databases]
* = host={host} port={port}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {listen_port}
unix_socket_dir =
auth_type = trust
auth_file = {auth_file}
pool_mode = transaction
default_pool_size = {pool_size}
max_client_conn = 500
# SQLAlchemy and psycopg2 send these at connect time; PgBouncer need not track them.
ignore_startup_parameters = extra_float_digits,options
"""
# PgBouncer refuses to run as root; the Debian package's own user runs it.
RUN_AS = "postgres"


def through_pgbouncer(url: str, port: int) -> str:
    """The same database URL, pointed at PgBouncer."""
    return make_url(url).set(host="127.0.0.1", port=port).render_as_string(hide_password=False)


@contextmanager
def pgbouncer(directory: Path, server_url: str, port: int, pool_size: int) -> Iterator[str]:
    """Run PgBouncer for the server of `server_url`; yield `server_url` rewritten to go through it."""
    executable = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    if not Path(executable).exists():
        raise SystemExit("PgBouncer is not installed: apt-get install pgbouncer")
    server = make_url(server_url)
    home = directory / "pgbouncer"
    home.mkdir()
    auth_file = home / "users.txt"
    auth_file.write_text(f'"{server.username or "postgres"}" ""\n')
    config = home / "pgbouncer.ini"
    config.write_text(
        CONFIG.format(
            host=server.host, port=server.port or 5432, listen_port=port, auth_file=auth_file, pool_size=pool_size
        )
    )
    for path in (directory, home, auth_file, config):
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    command = [executable, *(["-u", RUN_AS] if os.geteuid() == 0 else []), str(config)]
    log_path = home / "pgbouncer.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        wait_for_port(port, process, log_path)
        yield through_pgbouncer(server_url, port)
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_for_port(port: int, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and process.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"PgBouncer did not listen on {port}:\n{log_path.read_text()}")
