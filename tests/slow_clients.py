"""Slow and idle clients against a server on loopback while ordinary requests go on.

Bounded in count and time: `SLOW` connections send a request's headers a byte every two seconds,
`IDLE` connections send nothing at all (each is opened again when the server drops it), and a
prober sends a plain GET every 0.2 s on a new connection. What the prober saw is returned, and
printed with its p99.
"""

import http.client
import socket
import statistics
import threading
import time
from dataclasses import dataclass

SLOW = 50
IDLE = 10
BYTE_EVERY_SECONDS = 2.0
PROBE_EVERY_SECONDS = 0.2
PROBE_TIMEOUT_SECONDS = 5.0
# A request whose headers never end: its line, then one field after another, as a slowloris sends.
ENDLESS_HEAD = b"GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-Slow: 1\r\n" * 1000


@dataclass(frozen=True)
class Probes:
    answered: int
    failed: int
    p50_ms: float
    p99_ms: float

    def __str__(self) -> str:
        answers = f"{self.answered} answered, {self.failed} failed"
        return f"{answers}, p50 {self.p50_ms:.1f} ms, p99 {self.p99_ms:.1f} ms"


def under_attack(host: str, port: int, path: str, seconds: float) -> Probes:
    """Probe `path` for `seconds` while `SLOW` slow and `IDLE` idle connections hold on."""
    assert host in ("127.0.0.1", "localhost"), "loopback only"
    stop = threading.Event()
    attackers = [threading.Thread(target=_slow, args=(host, port, stop)) for _ in range(SLOW)]
    attackers += [threading.Thread(target=_idle, args=(host, port, stop)) for _ in range(IDLE)]
    for attacker in attackers:
        attacker.start()
    try:
        time.sleep(BYTE_EVERY_SECONDS)  # every attacker is connected before the first probe
        probes = _probe(host, port, path, time.monotonic() + seconds)
    finally:
        stop.set()
        for attacker in attackers:
            attacker.join()
    print(f"under {SLOW} slow and {IDLE} idle connections for {seconds:.0f} s: {probes}")
    return probes


def _probe(host: str, port: int, path: str, deadline: float) -> Probes:
    latencies, failed = [], 0
    while time.monotonic() < deadline:
        started = time.monotonic()
        connection = http.client.HTTPConnection(host, port, timeout=PROBE_TIMEOUT_SECONDS)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                latencies.append((time.monotonic() - started) * 1000)
            else:
                failed += 1
        except OSError:
            failed += 1
        finally:
            connection.close()
        time.sleep(PROBE_EVERY_SECONDS)
    if not latencies:
        return Probes(0, failed, float("nan"), float("nan"))
    latencies.sort()
    p99 = latencies[max(0, round(len(latencies) * 0.99) - 1)]
    return Probes(len(latencies), failed, statistics.median(latencies), p99)


def _slow(host: str, port: int, stop: threading.Event) -> None:
    sent, connection = 0, None
    while not stop.is_set():
        try:
            if connection is None:
                connection, sent = socket.create_connection((host, port), PROBE_TIMEOUT_SECONDS), 0
            connection.sendall(ENDLESS_HEAD[sent : sent + 1])
            sent += 1
        except OSError:
            # The server dropped it, as it should a client this slow: come back with a new one.
            connection = _closed(connection)
        stop.wait(BYTE_EVERY_SECONDS)
    _closed(connection)


def _idle(host: str, port: int, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            with socket.create_connection((host, port), PROBE_TIMEOUT_SECONDS) as connection:
                connection.settimeout(BYTE_EVERY_SECONDS)
                while not stop.is_set():
                    try:
                        if not connection.recv(1):
                            break  # closed by the server
                    except TimeoutError:
                        continue
        except OSError:
            stop.wait(BYTE_EVERY_SECONDS)


def _closed(connection: socket.socket | None) -> None:
    if connection is not None:
        connection.close()
    return None
