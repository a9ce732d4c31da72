"""Three instances of the baked service behind HAProxy, through PgBouncer to one PostgreSQL; see `--help`.

Loopback only, ports 18700-18799 unless told otherwise, every phase bounded; prints what each phase showed.
Then rate limits counted in one Redis by a second set of instances (bench/cluster_rate_limits.py), and a rolling
deploy that adds a required field (bench/schema_rollout.py).
"""

import argparse
import json
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

import cluster_phases as phases
from balancer import Balancer, haproxy
from cluster_rate_limits import shared_budgets
from cluster_throughput import throughput as cluster_throughput
from databases import connected, seed_todos, server_url, throwaway_database
from deployment import deployment_python
from in_project import run_suite
from instances import Instances, SteadyLoad
from load import available_client
from pgbouncer import pgbouncer, through_pgbouncer
from project import bake, service_environment, upgrade_database
from schema_rollout import new_code_with_a_required_field, rolling_schema_change
from servers import Settings
from throughput import LoadSettings

READY_PATH = "/health/ready"
CACHE_SECONDS = 2.0
POOL_SIZE = 2
HAPROXY_OFFSET, PGBOUNCER_OFFSET = 80, 90
# The instances of the rate-limit phase, which count in Redis, sit at +11, +12, ...
RATE_LIMITED_OFFSET = 10


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    option = parser.add_argument
    option(
        "--base-port", type=int, default=18700,
        help="instances at +1.., rate-limited ones at +11.., HAProxy at +80, PgBouncer at +90",
    )  # fmt: skip
    option("--instances", type=int, default=3)
    option("--workers", type=int, default=2, help="gunicorn workers per instance (default 2)")
    option("--pgbouncer-pool", type=int, default=8, help="PgBouncer server connections per database (default 8)")
    option("--duration", type=float, default=5, help="seconds per throughput run (default 5)")
    option("--connections", type=int, default=8, help="wrk connections for throughput (default 8)")
    option("--repeats", type=int, default=3, help="throughput runs per layout, alternating (default 3)")
    option("--client", choices=["auto", "wrk", "python"], default="auto", help="throughput load generator")
    option("--skip-suite", action="store_true", help="do not run the baked suite through PgBouncer")
    option("--project", type=Path, help="use this baked project instead of baking one")
    option("--app-python", help="interpreter that serves the instances (default: a venv of the locked packages)")
    option(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
        help="the Redis the rate-limit phase counts in (default: BENCH_REDIS_URL, else the local one)",
    )  # fmt: skip
    option("--json", type=Path, help="also write the results as JSON to this file")
    option("--short", action="store_true", help="a smoke run: one 1-second throughput run per layout, no suite")
    arguments = parser.parse_args()
    if arguments.short:
        arguments.duration, arguments.repeats, arguments.skip_suite = 1, 1, True
    return arguments


def instance_environment(database_url: str, token: str) -> dict[str, str]:
    return {
        **service_environment(database_url, "WARNING"),
        "MAINTENANCE_TOKEN": token,
        "MAINTENANCE_CACHE_SECONDS": str(CACHE_SECONDS),
        "DATABASE_POOL_SIZE": str(POOL_SIZE),
        "DATABASE_MAX_OVERFLOW": "0",
    }


def connection_budget(instances: Instances, balancer_url: str, database_url: str) -> dict:
    """Connections the instances may open against the server connections PostgreSQL actually saw."""
    most = 0
    with SteadyLoad(balancer_url + phases.PAGE, 12, 60), connected(database_url) as engine, engine.connect() as db:
        for _ in range(20):
            time.sleep(0.2)
            query = (
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            most = max(most, db.execute(text(query)).scalar())
    allowed = len(instances.ports) * instances.settings.workers * POOL_SIZE
    return {"client_connections_allowed": allowed, "server_connections_seen": most}


@dataclass(frozen=True)
class Cluster:
    instances: Instances
    balancer: Balancer
    direct_url: str
    token: str


@contextmanager
def running_cluster(args, project: Path, work: Path) -> Iterator[Cluster]:
    """A seeded database, PgBouncer in front of its server, the instances and HAProxy, all stopped after."""
    token = secrets.token_urlsafe(16)
    ports = {f"i{n}": args.base_port + n for n in range(1, args.instances + 1)}
    with throwaway_database("cluster") as direct_url, ExitStack() as stack:
        upgrade_database(project, direct_url, args.app_python)
        seed_todos(direct_url, 1000)
        stack.enter_context(pgbouncer(work, server_url(), args.base_port + PGBOUNCER_OFFSET, args.pgbouncer_pool))
        pooled_url = through_pgbouncer(direct_url, args.base_port + PGBOUNCER_OFFSET)
        settings = Settings(args.workers, work, args.app_python)
        instances = Instances(project, instance_environment(pooled_url, token), settings, ports, READY_PATH)
        stack.callback(instances.stop_all)
        for name in ports:
            instances.start(name)
        balancer = stack.enter_context(haproxy(work, args.base_port + HAPROXY_OFFSET, ports, READY_PATH))
        for name in ports:
            balancer.wait_for(name, "UP")
        yield Cluster(instances, balancer, direct_url, token)


def announce(phase: str) -> None:
    print(f"{phase} ...", file=sys.stderr)


def run_phases(args, project: Path, work: Path) -> dict:
    results: dict = {"cpus": os.cpu_count(), "load_average_at_start": os.getloadavg()}
    with running_cluster(args, project, work) as cluster:
        instances, balancer = cluster.instances, cluster.balancer
        announce("throughput")
        load = LoadSettings(args.client, args.duration, 1, args.connections, args.repeats)
        results["throughput"] = cluster_throughput(instances, balancer, load)
        announce("connection budget")
        results["connection_budget"] = connection_budget(instances, balancer.base_url, cluster.direct_url)
        for drain_first, key in ((True, "rolling_restart_drained"), (False, "rolling_restart_undrained")):
            announce(f"rolling restart, {'draining each instance first' if drain_first else 'SIGTERM only'}")
            results[key] = phases.rolling_restart(instances, balancer, drain_first)
        announce("graceful shutdown")
        results["graceful_shutdown"] = phases.graceful_shutdown(instances, balancer, cluster.direct_url, "/v1/todo/1")
        announce("maintenance across instances")
        results["maintenance"] = phases.maintenance_across_instances(instances, balancer, cluster.token, CACHE_SECONDS)
        announce("rate limits counted in one Redis by every instance")
        ports = {f"r{n}": args.base_port + RATE_LIMITED_OFFSET + n for n in range(1, args.instances + 1)}
        results["shared_rate_limits"] = shared_budgets(
            project, instances.environment, instances.settings, ports, args.redis_url
        )
        announce("rolling deploy that adds a required field")
        new_project = new_code_with_a_required_field(project, work)
        results["rolling_schema_change"] = rolling_schema_change(instances, balancer, cluster.direct_url, new_project)
        if not args.skip_suite:
            announce("the baked suite through PgBouncer")
            pooled_server = through_pgbouncer(server_url(), args.base_port + PGBOUNCER_OFFSET)
            suite = run_suite(project, {**os.environ, "TEST_DATABASE_URL": pooled_server})
            results["suite_through_pgbouncer"] = {"seconds": round(suite.seconds, 1), "summary": suite.summary}
    return results


def main() -> None:
    args = parse_arguments()
    args.client = available_client(args.client)
    with tempfile.TemporaryDirectory(prefix="cluster-") as temporary:
        work = Path(temporary)
        project = args.project.resolve() if args.project else bake(work / "baked")
        if args.app_python is None:
            print("installing the locked service packages into a deployment environment ...", file=sys.stderr)
            args.app_python = deployment_python(project, work)
        results = run_phases(args, project, work)
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
