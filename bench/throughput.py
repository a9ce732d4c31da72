"""Requests/s and latency per app and endpoint, interleaved so that drift hits all apps alike."""

import dataclasses
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass

from cpu import CpuMeter
from load import Endpoint, LoadResult, run_load
from servers import Server


@dataclass(frozen=True)
class LoadSettings:
    client: str
    seconds: float
    warm_up_seconds: float
    connections: int
    repeats: int


@dataclass(frozen=True)
class Summary:
    """Medians over the repeats of one app on one endpoint."""

    requests_per_second: float
    p50_ms: float
    p99_ms: float
    failures: int
    cpu_ms_per_request: float | None
    worker_cpu_ms_per_request: float | None


Runs = dict[str, dict[str, list[LoadResult]]]


def measured_run(server: Server, endpoint: Endpoint, settings: LoadSettings, meter: CpuMeter | None) -> LoadResult:
    before = meter.snapshot() if meter else {}
    result = run_load(settings.client, server.base_url, endpoint, settings.seconds, settings.connections)
    if meter is None:
        return result
    after = meter.snapshot()
    return dataclasses.replace(
        result,
        server_cpu_seconds=meter.spent(before, after),
        worker_cpu_seconds=meter.spent_by_workers(before, after),
    )


def measure_throughput(
    servers: list[Server],
    endpoints: list[Endpoint],
    settings: LoadSettings,
    meters: dict[str, CpuMeter],
    after_writes: Callable[[], None],
) -> Runs:
    """Return runs[endpoint][server]: one LoadResult per repeat, the app order alternating."""
    for server in servers:
        for endpoint in endpoints:
            run_load(settings.client, server.base_url, endpoint, settings.warm_up_seconds, 2)
    after_writes()
    runs: Runs = {endpoint.name: {server.name: [] for server in servers} for endpoint in endpoints}
    for repeat in range(settings.repeats):
        order = servers if repeat % 2 == 0 else servers[::-1]
        for endpoint in endpoints:
            for server in order:
                result = measured_run(server, endpoint, settings, meters.get(server.name))
                runs[endpoint.name][server.name].append(result)
                print(
                    f"  repeat {repeat + 1}/{settings.repeats} {endpoint.name:<8} {server.name:<22}"
                    f" {result.requests_per_second:8.1f} req/s  p50 {result.p50_ms:6.2f} ms"
                    f"  cpu {result.cpu_ms_per_request or 0:5.2f} ms/req",
                    file=sys.stderr,
                )
                if endpoint.method != "GET":
                    after_writes()
    return runs


def summarize(results: list[LoadResult]) -> Summary:
    return Summary(
        requests_per_second=statistics.median(r.requests_per_second for r in results),
        p50_ms=statistics.median(r.p50_ms for r in results),
        p99_ms=statistics.median(r.p99_ms for r in results),
        failures=sum(r.failures for r in results),
        cpu_ms_per_request=median_or_none([r.cpu_ms_per_request for r in results]),
        worker_cpu_ms_per_request=median_or_none([r.worker_cpu_ms_per_request for r in results]),
    )


def median_or_none(values: list[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return statistics.median(present) if present else None


def paired_ratio(app: list[LoadResult], baseline: list[LoadResult]) -> float:
    """Median over repeats of app/baseline requests/s, each pair measured back to back."""
    ratios = [
        a.requests_per_second / b.requests_per_second
        for a, b in zip(app, baseline, strict=True)
        if b.requests_per_second
    ]
    return statistics.median(ratios) if ratios else 0.0


def paired_cpu_ratio(app: list[LoadResult], baseline: list[LoadResult], workers_only: bool = False) -> float | None:
    """Median over repeats of baseline/app CPU per request (higher is better, like req/s).

    Server CPU counts the app's PostgreSQL backends too; `workers_only` counts its gunicorn processes alone.
    """

    def cpu(result: LoadResult) -> float | None:
        return result.worker_cpu_ms_per_request if workers_only else result.cpu_ms_per_request

    ratios = [cpu_b / cpu_a for a, b in zip(app, baseline, strict=True) if (cpu_a := cpu(a)) and (cpu_b := cpu(b))]
    return statistics.median(ratios) if ratios else None
