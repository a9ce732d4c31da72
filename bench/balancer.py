"""HAProxy (Debian's package) in front of the instances: health checks on readiness, a runtime socket."""

import csv
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BACKEND = "instances"
CONFIG = """\
global
    stats socket {socket} mode 600 level admin
    maxconn 1000

defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    # A refused connection is retried on another instance; a request already sent never is.
    retries 3
    option redispatch

frontend api
    bind 127.0.0.1:{port}
    default_backend {backend}

backend {backend}
    balance leastconn
    option httpchk GET {ready_path}
    http-check expect status 200
    default-server inter 500ms fall 2 rise 2
{servers}
"""


class Balancer:
    """One HAProxy process; `state` and `set_state` speak its runtime API over a Unix socket."""

    def __init__(self, directory: Path, port: int) -> None:
        self.socket_path = directory / "haproxy.sock"
        self.config_path = directory / "haproxy.cfg"
        self.log_path = directory / "haproxy.log"
        self.base_url = f"http://127.0.0.1:{port}"
        self.port = port

    def write_config(self, instances: dict[str, int], ready_path: str) -> None:
        servers = "\n".join(f"    server {name} 127.0.0.1:{port} check" for name, port in instances.items())
        text = CONFIG.format(
            socket=self.socket_path, port=self.port, backend=BACKEND, ready_path=ready_path, servers=servers
        )
        self.config_path.write_text(text)

    def command(self, line: str) -> str:
        with socket.socket(socket.AF_UNIX) as connection:
            connection.connect(str(self.socket_path))
            connection.sendall(line.encode() + b"\n")
            return b"".join(iter(lambda: connection.recv(65536), b"")).decode()

    def stats(self) -> dict[str, dict[str, str]]:
        """`show stat` per server: `status` (UP, DOWN, DRAIN, MAINT), `scur` (sessions now), ..."""
        rows = csv.DictReader(self.command("show stat").lstrip("# ").splitlines())
        return {row["svname"]: row for row in rows if row["pxname"] == BACKEND}

    def set_state(self, server: str, state: str) -> None:
        """`ready`, `drain` (no new requests, current ones finish) or `maint`."""
        self.command(f"set server {BACKEND}/{server} state {state}")

    def wait_for(self, server: str, status: str, seconds: float = 30) -> float:
        """Seconds until HAProxy reports `server` with `status` (its health checks decide UP and DOWN)."""
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            if self.stats()[server]["status"].startswith(status):
                return time.monotonic() - started
            time.sleep(0.1)
        raise RuntimeError(f"HAProxy did not report {server} {status} within {seconds} s: {self.stats()[server]}")


@contextmanager
def haproxy(directory: Path, port: int, instances: dict[str, int], ready_path: str) -> Iterator[Balancer]:
    executable = shutil.which("haproxy")
    if executable is None:
        raise SystemExit("HAProxy is not installed: apt-get install haproxy")
    balancer = Balancer(directory, port)
    balancer.write_config(instances, ready_path)
    with open(balancer.log_path, "wb") as log:
        # -db: stay in the foreground, so that this process owns it and stops it.
        process = subprocess.Popen(
            [executable, "-db", "-f", str(balancer.config_path)], stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while not balancer.socket_path.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"HAProxy did not start:\n{balancer.log_path.read_text()}")
            time.sleep(0.1)
        yield balancer
    finally:
        process.terminate()
        process.wait(timeout=10)
