"""Instructions per request with the rate limits off and on with Redis storage, counted by callgrind.

The counterpart of rate_limits.py that does not move with the machine's load: GET one and POST of the baked
service, served in-process and counted as instructions.py counts them, once with the limits off and once
counted in Redis (a budget far above the requests, so every answer paid for counting). Each app serves one
request outside valgrind first, so that neither counted run compiles bytecode.

Usage: python bench/rate_limit_instructions.py [--project PATH] [--app-python PYTHON]   (about ten minutes)
"""

import argparse
import os
import subprocess
import tempfile
from pathlib import Path

from databases import seed_todos, throwaway_database
from deployment import deployment_python
from instructions import per_request, require_valgrind
from project import bake, service_environment, upgrade_database
from rate_limits import configurations
from side_by_side import BENCH_DIRECTORY, load_endpoints
from startup import WsgiModule


def warm_up(app: WsgiModule, endpoint, python: str, environment: dict[str, str]) -> None:
    probe = [python, str(BENCH_DIRECTORY / "instruction_probe.py"), app.module, endpoint.method, endpoint.path]
    subprocess.run(
        [*probe, endpoint.body or "-", "1"],
        cwd=app.directory,
        env={**environment, "PYTHONPATH": str(app.directory)},
        check=True,
        capture_output=True,
        stdin=subprocess.DEVNULL,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--project", type=Path, help="count this baked project instead of baking one")
    parser.add_argument("--app-python", help="interpreter for the app (default: a venv of the locked packages)")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"))
    args = parser.parse_args()
    require_valgrind()
    with tempfile.TemporaryDirectory(prefix="bench-rate-limit-instructions-") as temporary:
        work = Path(temporary)
        project = args.project.resolve() if args.project else bake(work / "baked")
        python = args.app_python or deployment_python(project, work)
        app = WsgiModule("generated", "wsgi", project)
        with throwaway_database("limit_instructions") as url:
            upgrade_database(project, url, python)
            endpoints = [e for e in load_endpoints(seed_todos(url, 1000)) if e.name in ("GET one", "POST")]
            environment = {**service_environment(url, "WARNING"), "MAINTENANCE_CACHE_SECONDS": "60"}
            settings = configurations(args.redis_url)
            print(f"{'':<9} {'off':>10} {'redis':>10} {'redis/off':>10}")
            for endpoint in endpoints:
                counts = {}
                for name in ("off", "redis"):
                    configured = {**environment, **settings[name]}
                    warm_up(app, endpoint, python, configured)
                    counts[name] = per_request(app, endpoint, python, configured, work)
                off, redis = counts["off"], counts["redis"]
                print(f"{endpoint.name:<9} {off / 1e6:>9.3f}M {redis / 1e6:>9.3f}M {redis / off:>10.2f}", flush=True)


if __name__ == "__main__":
    main()
