"""Budgets that every instance counts in one Redis: a caller's N+1st request is refused wherever it lands.

The instances reach Redis through the baked project's own test relay (`tests/resources/tcp_relay.py`), so
the phase can cut Redis off mid-run and show that the instances keep serving (they fail open).
"""

import importlib.util
import secrets
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from cluster_phases import status_of
from instances import Instances
from project import token
from servers import Settings

# Per caller, per day: a fresh key prefix has no earlier window, so only a day's turn could split the count.
BUDGET = 30
CALLERS = ("alice", "bob")
PATH = "/v1/todo/1"


def shared_budgets(
    project: Path, environment: Mapping[str, str], settings: Settings, ports: dict[str, int], redis_url: str
) -> dict:
    """Spend each caller's budget plus one request across the instances in turn; then cut Redis and go on."""
    relay = load_tcp_relay(project)(redis_address(redis_url))
    limited = {
        **environment,
        "RATELIMIT_ENABLED": "true",
        "RATELIMIT_DEFAULT": f"{BUDGET}/day",
        "RATELIMIT_STORAGE_URI": through_relay(redis_url, relay.port),
        "RATELIMIT_KEY_PREFIX": f"cluster-{secrets.token_hex(8)}",
    }
    instances = Instances(project, limited, settings, ports, "/health/ready")
    try:
        for name in ports:
            instances.start(name)
        urls = [server.base_url + PATH for server in instances.servers.values()]
        callers = {caller: in_turn(urls, token(caller), BUDGET + 1) for caller in CALLERS}
        relay.cut()
        after_cut = in_turn(urls, token("carol"), 3 * len(urls))
    finally:
        instances.stop_all()
        relay.cut()
    return {
        "budget_per_caller": BUDGET,
        "instances": len(ports),
        "statuses_by_caller": {caller: dict(Counter(statuses)) for caller, statuses in callers.items()},
        "last_status_by_caller": {caller: statuses[-1] for caller, statuses in callers.items()},
        "statuses_with_redis_cut_off": dict(Counter(after_cut)),
    }


def in_turn(urls: list[str], bearer: str, requests: int) -> list[str]:
    """The statuses of `requests` GETs sent to each instance in turn."""
    return [str(status_of(urls[n % len(urls)], token=bearer)) for n in range(requests)]


def redis_address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 6379


def through_relay(url: str, port: int) -> str:
    """`url` with its host and port replaced by the relay's on loopback."""
    parts = urlsplit(url)
    credentials = parts.netloc.rpartition("@")[0]
    netloc = f"{credentials}@127.0.0.1:{port}" if credentials else f"127.0.0.1:{port}"
    return urlunsplit(parts._replace(netloc=netloc))


def load_tcp_relay(project: Path) -> type:
    """The `TcpRelay` class the baked project's tests cut Redis with."""
    spec = importlib.util.spec_from_file_location("tcp_relay", project / "tests" / "resources" / "tcp_relay.py")
    if spec is None or spec.loader is None:
        raise RuntimeError(f"{project} has no tests/resources/tcp_relay.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.TcpRelay
