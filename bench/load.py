"""Load from a second process on loopback: wrk when installed, else the bundled Python client."""

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from project import AUTHORIZATION

BENCH_DIRECTORY = Path(__file__).resolve().parent
SUMMARY_PREFIX = "BENCH "


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    method: str = "GET"
    body: str | None = None
    # A new Idempotency-Key on every request, so that each one is processed and its answer stored.
    idempotency_keys: bool = False
    # Sent with every request, e.g. (("If-Match", "*"),).
    headers: tuple[tuple[str, str], ...] = ()
    # When set, `{id}` in the path is this id on the first request and the next id on each one after.
    first_id: int | None = None


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    failures: int
    p50_ms: float
    p99_ms: float
    server_cpu_seconds: float | None = None
    worker_cpu_seconds: float | None = None

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_request(self) -> float | None:
        if self.server_cpu_seconds is None or not self.requests:
            return None
        return self.server_cpu_seconds * 1000 / self.requests

    @property
    def worker_cpu_ms_per_request(self) -> float | None:
        if self.worker_cpu_seconds is None or not self.requests:
            return None
        return self.worker_cpu_seconds * 1000 / self.requests


def available_client(preferred: str) -> str:
    """`wrk` if asked for (or `auto`) and installed, otherwise `python`."""
    if preferred in ("auto", "wrk") and shutil.which("wrk"):
        return "wrk"
    if preferred == "wrk":
        sys.exit("wrk is not installed (apt-get install wrk); use --client python.")
    return "python"


def run_load(
    client: str,
    base_url: str,
    endpoint: Endpoint,
    seconds: float,
    connections: int,
    close: bool = False,
    authorization: str = AUTHORIZATION,
    rate: float | None = None,
) -> LoadResult:
    """Load `endpoint`; `close` opens a new connection for every request, an empty `authorization` sends none.

    `rate` (requests/s) paces the load instead of sending as fast as the app answers; only the Python client can.
    """
    if rate and client == "wrk":
        raise ValueError("wrk cannot pace its load; use the python client for a rate")
    url = base_url + endpoint.path.replace("{id}", str(endpoint.first_id))
    if client == "wrk":
        command = [
            "wrk", "--threads", "1", "--connections", str(connections), "--duration",
            f"{max(1, round(seconds))}s", "--timeout", "5s", "--script",
            str(BENCH_DIRECTORY / "load.lua"), url,
        ]  # fmt: skip
    else:
        command = [
            sys.executable, str(BENCH_DIRECTORY / "http_client.py"), url, endpoint.method,
            str(seconds), str(connections), *([endpoint.body] if endpoint.body is not None else []),
        ]  # fmt: skip
    environment = {
        **os.environ,
        "BENCH_METHOD": endpoint.method,
        "BENCH_BODY": endpoint.body or "",
        "BENCH_AUTHORIZATION": authorization,
        "BENCH_CLOSE": "1" if close else "0",
        "BENCH_IDEMPOTENCY_KEYS": "1" if endpoint.idempotency_keys else "0",
        "BENCH_HEADERS": "\n".join(f"{name}: {value}" for name, value in endpoint.headers),
        "BENCH_PATH": endpoint.path,
        "BENCH_FIRST_ID": "" if endpoint.first_id is None else str(endpoint.first_id),
        "BENCH_RATE": str(rate or ""),
    }
    completed = subprocess.run(
        command,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        stdin=subprocess.DEVNULL,
    )
    for line in completed.stdout.splitlines():
        if line.startswith(SUMMARY_PREFIX):
            return LoadResult(**json.loads(line.removeprefix(SUMMARY_PREFIX)))
    raise RuntimeError(f"{command[0]} printed no summary:\n{completed.stdout}{completed.stderr}")
