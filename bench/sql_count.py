"""Count SQL statements per request in-process: run inside the baked project, prints one JSON line.

Usage (cwd = the baked project, deployment environment set): python sql_count.py ENDPOINTS_JSON
ENDPOINTS_JSON is a list of [name, method, path, body-or-null]. Statements are counted with
SQLAlchemy's `before_cursor_execute` on every engine, after warm-up requests, so a gate that
caches its state shows its steady-state cost. Pre-ping round trips are counted apart: they are
not statements the app wrote, but each is a round trip to the database.
"""

import json
import os
import sys

from sqlalchemy import event
from sqlalchemy.engine import Engine

WARM_UP_REQUESTS = 3
COUNTED_REQUESTS = 10


class StatementCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []
        self.pings = 0
        event.listen(Engine, "before_cursor_execute", self.on_execute)
        event.listen(Engine, "engine_connect", self.on_connect)

    def on_execute(self, connection, cursor, statement, parameters, context, executemany) -> None:
        self.statements.append(" ".join(statement.split()))

    def on_connect(self, connection) -> None:
        """Wrap the dialect's ping once so that pool pre-ping round trips are counted too."""
        dialect = connection.dialect
        if getattr(dialect, "_bench_counted", False):
            return
        original_ping = dialect.do_ping

        def counted_ping(dbapi_connection):
            self.pings += 1
            return original_ping(dbapi_connection)

        dialect.do_ping = counted_ping
        dialect._bench_counted = True

    def reset(self) -> None:
        self.statements.clear()
        self.pings = 0


def gate_description(app) -> str:
    tables = set(app.extensions["sqlalchemy"].metadata.tables)
    routes = [rule.rule for rule in app.url_map.iter_rules()]
    gate_routes = [route for route in routes if "service-context" in route or "maintenance" in route]
    if "service_context" in tables or gate_routes:
        return f"present (tables: {sorted(tables)}, routes: {gate_routes})"
    return "not present in this version of the template"


def measure(client, counter: StatementCounter, method: str, path: str, body) -> dict:
    send = getattr(client, method.lower())
    headers = {"Authorization": os.environ["BENCH_AUTHORIZATION"]}
    for _ in range(WARM_UP_REQUESTS):
        send(path, json=body, headers=headers)
    per_request, pings, statuses, first_sql = [], 0, set(), None
    for _ in range(COUNTED_REQUESTS):
        counter.reset()
        statuses.add(send(path, json=body, headers=headers).status_code)
        per_request.append(len(counter.statements))
        pings += counter.pings
        if first_sql is None:
            first_sql = list(counter.statements)
    return {
        "statements": sum(per_request) / len(per_request),
        "min": min(per_request),
        "max": max(per_request),
        "pings": pings / COUNTED_REQUESTS,
        "statuses": sorted(statuses),
        "sql": first_sql,
    }


def main(endpoints_json: str) -> None:
    counter = StatementCounter()
    from wsgi import app  # importable only here: this script runs with the baked project on its path

    client = app.test_client()
    results = {
        name: measure(client, counter, method, path, body) for name, method, path, body in json.loads(endpoints_json)
    }
    print(json.dumps({"gate": gate_description(app), "endpoints": results}))


if __name__ == "__main__":
    main(sys.argv[1])
