"""The printed report: numbers side by side, each target with PASS or MISS."""

import re

from deep_pages import PER_PAGE, DeepPages
from in_project import SuiteResult
from load import LoadResult
from throughput import Runs, paired_cpu_ratio, paired_ratio, summarize

RATIO_TARGETS = {"GET one": 0.90, "GET page": 0.90, "POST": 0.85}
# Request IDs, JSON logs and metrics together may cost at most 10% of requests/s on these endpoints.
OBSERVABILITY_TARGET = 0.90
OBSERVED_ENDPOINTS = ("GET one", "GET page")
AUTH_COST_TARGET = 0.90
ISOLATION_TARGET_MS = 5.0
SUITE_TARGET_SECONDS = 30.0
COLD_START_TARGET_RATIO = 1.5
DEEP_PAGE_WARNING_RATIO = 10.0
SELECTED_COLUMNS = re.compile(r"SELECT (.+?) FROM ")


def verdict(passed: bool) -> str:
    return "PASS" if passed else "MISS"


def throughput_lines(runs: Runs, baseline: str, compared: str) -> list[str]:
    lines = [f"{'endpoint':<9} {'app':<25} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'CPU ms/req':>10} {'errors':>6}"]
    for endpoint, by_server in runs.items():
        for server, results in by_server.items():
            summary = summarize(results)
            cpu = "n/a" if summary.cpu_ms_per_request is None else f"{summary.cpu_ms_per_request:.2f}"
            lines.append(
                f"{endpoint:<9} {server:<25} {summary.requests_per_second:8.1f} "
                f"{summary.p50_ms:7.2f} {summary.p99_ms:7.2f} {cpu:>10} {summary.failures:6d}"
            )
            if summary.failures:
                lines.append(f"WARNING: {server} answered {endpoint} with errors; its numbers mean nothing")
        for server, results in by_server.items():
            if server != baseline:
                lines.append(ratio_line(endpoint, server, baseline, results, by_server[baseline], compared))
    return lines


def pair_lines(runs: Runs, baseline: str, compared: str) -> list[str]:
    """`compared` against `baseline` per endpoint, when both were measured."""
    lines = []
    for endpoint, by_server in runs.items():
        if compared in by_server and baseline in by_server and endpoint in OBSERVED_ENDPOINTS:
            ratio = paired_ratio(by_server[compared], by_server[baseline])
            passed = verdict(ratio >= OBSERVABILITY_TARGET)
            target = f"(target >= {OBSERVABILITY_TARGET:.2f})"
            lines.append(f"{endpoint:<9} {compared}/{baseline}: req/s {ratio:.3f} {passed}  {target}")
    return lines or ["not measured (--no-observability)"]


def ratio_line(
    endpoint: str,
    server: str,
    baseline: str,
    results: list[LoadResult],
    baseline_results: list[LoadResult],
    compared: str,
) -> str:
    target = RATIO_TARGETS[endpoint]
    ratio = paired_ratio(results, baseline_results)
    cpu_ratio = paired_cpu_ratio(results, baseline_results)
    worker_cpu_ratio = paired_cpu_ratio(results, baseline_results, workers_only=True)
    line = f"{'':<9} {server}/{baseline}: req/s {ratio:.3f}"
    if server == compared:
        line += f" {verdict(ratio >= target)}"
    if cpu_ratio is not None:
        line += f", CPU {cpu_ratio:.3f}"
        line += f" {verdict(cpu_ratio >= target)}" if server == compared else ""
    if worker_cpu_ratio is not None:
        line += f", workers' CPU {worker_cpu_ratio:.3f}"
    return line + (f"  (target >= {target:.2f})" if server == compared else "  (info)")


def auth_cost_lines(get_one: dict[str, list[LoadResult]], with_auth: str, without_auth: str) -> list[str]:
    """GET one with the token verified, against the same app baked without auth: at most 10% fewer req/s."""
    ratio = paired_ratio(get_one[with_auth], get_one[without_auth])
    line = f"{with_auth}/{without_auth}: req/s {ratio:.3f} {verdict(ratio >= AUTH_COST_TARGET)}"
    cpu_ratio = paired_cpu_ratio(get_one[with_auth], get_one[without_auth])
    if cpu_ratio is not None:
        line += f", CPU {cpu_ratio:.3f} {verdict(cpu_ratio >= AUTH_COST_TARGET)}"
    return [line + f"  (target >= {AUTH_COST_TARGET:.2f})"]


def abbreviated(statement: str) -> str:
    """`SELECT a, b, c FROM t` reads as `SELECT <3 columns> FROM t`: what matters is the shape."""
    columns = SELECTED_COLUMNS.match(statement)
    if columns and columns.group(1).count(",") >= 2:
        statement = f"SELECT <{columns.group(1).count(',') + 1} columns> FROM {statement[columns.end() :]}"
    return statement if len(statement) <= 150 else statement[:147] + "..."


def statement_lines(counts: dict) -> list[str]:
    lines = [f"maintenance gate: {counts['gate']}"]
    for endpoint, measured in counts["endpoints"].items():
        spread = "" if measured["min"] == measured["max"] else f" (min {measured['min']}, max {measured['max']})"
        line = (
            f"{endpoint:<9} {measured['statements']:.2f} statements/request{spread}, "
            f"{measured['pings']:.2f} pre-ping round trips, status {measured['statuses']}"
        )
        if endpoint == "GET one":
            line += f"  (target exactly 1: {verdict(measured['min'] == measured['max'] == 1)})"
        lines.append(line)
        lines.extend(f"{'':<10}{abbreviated(statement)}" for statement in measured["sql"])
    return lines


def cold_start_lines(
    seconds: dict[str, float], baseline: str, compared: str, development: dict[str, float] | None = None
) -> list[str]:
    ratio = seconds[compared] / seconds[baseline]
    lines = [f"import {name:<10} {value * 1000:8.1f} ms (median)" for name, value in seconds.items()]
    lines.append(
        f"ratio {compared}/{baseline}: {ratio:.2f}  "
        f"(target <= {COLD_START_TARGET_RATIO}: {verdict(ratio <= COLD_START_TARGET_RATIO)})"
    )
    if development:
        timings = ", ".join(f"{name} {value * 1000:.1f} ms" for name, value in development.items())
        ratio = development[compared] / development[baseline]
        lines.append(f"in the development environment (info): {timings}, ratio {ratio:.2f}")
    return lines


def suite_lines(suite: SuiteResult, isolation: dict) -> list[str]:
    overhead = isolation["overhead_ms"]
    broken = suite.outcomes.get("failed", 0) + suite.outcomes.get("error", 0) + suite.outcomes.get("errors", 0)
    return [
        f"suite: {suite.tests} tests in {suite.seconds:.1f} s wall ({suite.summary})  "
        f"(target < {SUITE_TARGET_SECONDS:.0f} s: {verdict(suite.seconds < SUITE_TARGET_SECONDS)})",
        *([f"WARNING: {broken} tests failed or errored; the timing is of a broken suite"] if broken else []),
        f"per-test isolation overhead: {overhead:.2f} ms median over {isolation['runs']} runs  "
        f"(target < {ISOLATION_TARGET_MS:.0f} ms: {verdict(overhead < ISOLATION_TARGET_MS)})",
        f"  of which setup_database(): {isolation['setup_database_ms']:.2f} ms, "
        f"Flask-Testing set-up and tear-down: {isolation['framework_ms']:.2f} ms; "
        f"test body: {isolation['body_ms']:.2f} ms",
    ]


def deep_page_lines(deep: DeepPages) -> list[str]:
    lines = [f"{deep.rows:,} todos seeded in {deep.seed_seconds:.1f} s; per_page {PER_PAGE}"]
    lines += [f"HTTP GET {name} page: {value:8.1f} ms (median)" for name, value in deep.page_ms.items()]
    lines += [f"SQL {name}: {value:8.2f} ms (median)" for name, value in deep.sql_ms.items()]
    for page in ("middle", "last"):
        ratio = deep.to_first_page(page)
        note = "more than 10x: offer keyset pagination" if ratio > DEEP_PAGE_WARNING_RATIO else "within 10x"
        lines.append(f"{page} page / first page over HTTP: {ratio:.1f}x ({note})")
    return lines


def section(title: str, lines: list[str]) -> str:
    return "\n".join([f"\n== {title} ==", *lines])
