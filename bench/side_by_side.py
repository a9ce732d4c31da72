"""The side-by-side part: one seeded database, the apps under gunicorn, statements, cold start, load."""

import json
import sys
import urllib.request
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

import cpu
from databases import delete_todos_after, seed_todos, throwaway_database
from in_project import count_statements
from load import Endpoint
from project import AUTHORIZATION, service_environment, upgrade_database
from servers import Server, gunicorn
from startup import WsgiModule, median_import_seconds
from throughput import LoadSettings, measure_throughput

BENCH_DIRECTORY = Path(__file__).resolve().parent
GENERATED, GENERATED_INFO, REFERENCE = "generated", "generated LOG_LEVEL=INFO", "reference"
# The observability cost: JSON access lines and multiprocess metrics, against a bake without metrics writing the
# same access line as text, as before either existed. Request IDs are in both; they cannot be switched off.
OBSERVED, UNOBSERVED = "generated JSON+metrics", "generated text logs"

# The same template baked with auth=none: what verifying the bearer token of each request costs.
GENERATED_WITHOUT_AUTH = "generated auth=none"


@dataclass(frozen=True)
class App:
    name: str
    wsgi: str
    directory: Path
    log_level: str
    settings: tuple[tuple[str, str], ...] = ()


def apps_under_test(
    project: Path,
    unobserved_project: Path | None,
    with_info_variant: bool,
    work: Path,
    project_without_auth: Path | None,
) -> list[App]:
    """The generated app as benchmarked (WARNING), as deployed by default (INFO), without auth, the reference.

    With `unobserved_project` (a bake with `use_prometheus=n`), also the app with every signal on and without them.
    """
    # gunicorn.conf.py sets this directory; the benchmark runs gunicorn without the project's config file.
    metrics = (("PROMETHEUS_MULTIPROC_DIR", str(work / "metrics-generated")),)
    apps = [App(GENERATED, "wsgi:app", project, "WARNING", metrics)]
    if with_info_variant:
        info_metrics = (("PROMETHEUS_MULTIPROC_DIR", str(work / "metrics-info")),)
        apps.append(App(GENERATED_INFO, "wsgi:app", project, "INFO", (("LOG_FORMAT", "text"), *info_metrics)))
    if unobserved_project is not None:
        observed = (("LOG_FORMAT", "json"), ("PROMETHEUS_MULTIPROC_DIR", str(work / "metrics-observed")))
        apps.append(App(OBSERVED, "wsgi:app", project, "INFO", observed))
        apps.append(App(UNOBSERVED, "wsgi:app", unobserved_project, "INFO", (("LOG_FORMAT", "text"),)))
    if project_without_auth is not None:
        without_auth_metrics = (("PROMETHEUS_MULTIPROC_DIR", str(work / "metrics-without-auth")),)
        apps.append(App(GENERATED_WITHOUT_AUTH, "wsgi:app", project_without_auth, "WARNING", without_auth_metrics))
    apps.append(App(REFERENCE, "reference_app:app", BENCH_DIRECTORY, "WARNING"))
    for app in apps:
        for name, value in app.settings:
            if name == "PROMETHEUS_MULTIPROC_DIR":
                Path(value).mkdir(parents=True, exist_ok=True)
    return apps


def load_endpoints(last_seeded_id: int) -> list[Endpoint]:
    body = json.dumps({"title": "bench", "description": "posted by the benchmark"})
    return [
        Endpoint("GET one", f"/v1/todo/{max(1, last_seeded_id // 2)}"),
        Endpoint("GET page", "/v1/todo?page=2&per_page=20"),
        Endpoint("POST", "/v1/todo", "POST", body),
    ]


def application_name(app: App) -> str:
    return f"bench {app.name}"


def app_environment(url: str, app: App) -> dict[str, str]:
    """The deployment environment; `application_name` tells the apps' database backends apart."""
    named = make_url(url).update_query_dict({"application_name": application_name(app)})
    return {**service_environment(named.render_as_string(hide_password=False), app.log_level), **dict(app.settings)}


def answer(server: Server, path: str) -> str:
    request = urllib.request.Request(server.base_url + path, headers={"Authorization": AUTHORIZATION})
    with urllib.request.urlopen(request, timeout=10) as response:
        total = json.loads(response.headers.get("X-Pagination") or "{}").get("total")
        return json.dumps([json.loads(response.read()), total], sort_keys=True)


def warn_if_answers_differ(servers: list[Server], endpoints: list[Endpoint]) -> None:
    """The comparison is fair only if both apps do the same work: same body, same total."""
    for endpoint in (e for e in endpoints if e.method == "GET"):
        answers = {server.name: answer(server, endpoint.path) for server in servers}
        if len(set(answers.values())) > 1:
            print(f"WARNING: the apps answer {endpoint.path} differently: {answers}", file=sys.stderr)


def measure_side_by_side(args, project: Path, work: Path, project_without_auth: Path | None) -> dict:
    results: dict = {}
    with throwaway_database("main") as url:
        upgrade_database(project, url, args.app_python)
        last_id = seed_todos(url, args.rows)
        endpoints = load_endpoints(last_id)
        environment = service_environment(url, "WARNING")
        print("counting SQL statements per request ...", file=sys.stderr)
        results["statements"] = count_statements(project, endpoints, environment)
        delete_todos_after(url, last_id)
        print("cold start ...", file=sys.stderr)
        modules = [
            WsgiModule(GENERATED, "wsgi", project),
            WsgiModule(REFERENCE, "reference_app", BENCH_DIRECTORY),
        ]
        results["cold_start"] = median_import_seconds(modules, environment, args.cold_start_runs, args.app_python)
        if args.app_python != sys.executable:
            # For comparison only: what `flask run` and the tests pay in the development environment.
            results["cold_start_development"] = median_import_seconds(modules, environment, args.cold_start_runs)
        with ExitStack() as stack:
            observed, info = args.unobserved_project, not args.no_info_variant
            apps = apps_under_test(project, observed, info, work, project_without_auth)
            servers = [
                stack.enter_context(
                    gunicorn(
                        app.name, app.wsgi, app.directory, app_environment(url, app),
                        args.workers, work, args.app_python,
                    )
                )
                for app in apps
            ]  # fmt: skip
            warn_if_answers_differ(servers, endpoints)
            meters = {
                server.name: cpu.CpuMeter(server.pid, url, application_name(app))
                for app, server in zip(apps, servers, strict=True)
                if cpu.available()
            }
            settings = LoadSettings(args.client, args.duration, args.warm_up, args.connections, args.repeats)
            print(f"load with {settings.client}, {settings.connections} connections ...", file=sys.stderr)
            results["runs"] = measure_throughput(
                servers, endpoints, settings, meters, lambda: delete_todos_after(url, last_id)
            )
    return results
