"""Fallback load generator without wrk: N threads, one connection each, fixed duration.

Usage: python http_client.py URL METHOD DURATION_SECONDS CONNECTIONS [JSON_BODY]
Prints the same `BENCH {...}` summary line as load.lua, and reads the same BENCH_* variables; BENCH_RATE (requests/s
over all connections) paces the load, which wrk cannot. Slower than wrk: on a small machine it can
be the bottleneck, so compare ratios, not absolute requests/s.
"""

import http.client
import itertools
import json
import os
import sys
import threading
import time
import uuid
from collections import Counter
from urllib.parse import urlsplit

MAX_SAMPLES_PER_THREAD = 500_000


def outcome(response: http.client.HTTPResponse) -> str:
    """The status, and for a 503 whether it is the service's own: JSON with Retry-After."""
    status = str(response.status)
    if response.status != 503:
        return status
    own = response.getheader("Retry-After") and response.getheader("Content-Type", "").startswith("application/json")
    return status if own else f"{status} without JSON and Retry-After"


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


def extra_headers() -> dict[str, str]:
    """BENCH_HEADERS: one `Name: value` a line."""
    lines = os.environ.get("BENCH_HEADERS", "").splitlines()
    return dict((part.strip() for part in line.split(":", 1)) for line in lines if ":" in line)


class Targets:
    """The request target: the URL's, or BENCH_PATH with `{id}` replaced by the next id from BENCH_FIRST_ID."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.fixed = parts.path + (f"?{parts.query}" if parts.query else "")
        first_id = os.environ.get("BENCH_FIRST_ID", "")
        self.ids = itertools.count(int(first_id)) if first_id else None
        self.template = os.environ.get("BENCH_PATH", "")

    def next(self) -> str:
        # next() of itertools.count is atomic under the GIL, so threads never share an id.
        return self.fixed if self.ids is None else self.template.replace("{id}", str(next(self.ids)))


class Worker(threading.Thread):
    def __init__(
        self,
        url: str,
        method: str,
        body: str | None,
        deadline: float,
        authorization: str,
        targets: Targets | None = None,
        interval: float = 0.0,
    ) -> None:
        super().__init__(daemon=True)
        parts = urlsplit(url)
        # The URL's own target unless the caller shares one `Targets` among its workers; unpaced by default.
        self.targets = targets or Targets(url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
        self.method, self.body, self.deadline = method, body, deadline
        self.headers = {**extra_headers(), **({"Authorization": authorization} if authorization else {})}
        if os.environ.get("BENCH_CLOSE") == "1":
            # A new connection for every request, as clients without keep-alive do.
            self.headers["Connection"] = "close"
        if body is not None:
            self.headers["Content-Type"] = "application/json"
        self.fresh_keys = os.environ.get("BENCH_IDEMPOTENCY_KEYS") == "1"
        self.interval = interval
        self.latencies: list[float] = []
        self.requests = 0
        self.failures = 0
        self.outcomes: Counter[str] = Counter()

    def stop(self) -> None:
        self.deadline = 0.0

    def run(self) -> None:
        scheduled = time.perf_counter()
        while time.perf_counter() < self.deadline:
            if self.interval:
                scheduled += self.interval
                time.sleep(max(0.0, scheduled - time.perf_counter()))
            started = time.perf_counter()
            if self.fresh_keys:
                self.headers["Idempotency-Key"] = uuid.uuid4().hex
            try:
                self.connection.request(self.method, self.targets.next(), self.body, self.headers)
                response = self.connection.getresponse()
                response.read()
                ok = response.status < 400
                self.outcomes[outcome(response)] += 1
            except (OSError, http.client.HTTPException) as error:
                self.connection.close()
                ok = False
                self.outcomes[type(error).__name__] += 1
            self.requests += 1
            if not ok:
                self.failures += 1
            if len(self.latencies) < MAX_SAMPLES_PER_THREAD:
                self.latencies.append((time.perf_counter() - started) * 1000)


def main(url: str, method: str, duration: str, connections: str, body: str | None = None) -> None:
    started = time.perf_counter()
    deadline, authorization = started + float(duration), os.environ["BENCH_AUTHORIZATION"]
    targets, rate = Targets(url), float(os.environ.get("BENCH_RATE") or 0)
    # Each connection sends its share of the rate, at a fixed interval; none when the rate is 0 (unpaced).
    interval = int(connections) / rate if rate else 0.0
    workers = [Worker(url, method, body, deadline, authorization, targets, interval) for _ in range(int(connections))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - started
    latencies = sorted(latency for worker in workers for latency in worker.latencies)
    summary = {
        "requests": sum(worker.requests for worker in workers),
        "seconds": seconds,
        "failures": sum(worker.failures for worker in workers),
        "p50_ms": percentile(latencies, 0.50),
        "p99_ms": percentile(latencies, 0.99),
    }
    print(f"BENCH {json.dumps(summary)}")


if __name__ == "__main__":
    main(*sys.argv[1:])
