"""A rolling deploy that adds a required field while old and new code serve behind HAProxy under load.

The new code is what `flask scaffold-field todo priority:int:default=3` writes; its three revisions are the safe
sequence of docs/migrations.md, run one after the other, with reads and writes going on throughout:
expand (the column, nullable, with a server default for the old code's inserts), backfill the existing rows in
batches, replace the instances one at a time with the new code, then constrain (NOT NULL without a long lock).
It counts 5xx answers, checks that every acknowledged write is stored, and reads the old code's writes back
through the new code.
"""

import http.client
import json
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import text

import cluster_phases as phases
from balancer import Balancer
from databases import connected
from instances import Instances, SteadyLoad
from project import AUTHORIZATION, copy_of, service_environment

FIELD = "priority"
DEFAULT = 3
WRITERS = 2
READERS = 2
LOAD_BOUND_SECONDS = 600
# What the team types to add the field: it writes the entity, model, schema and factory changes, a test module,
# and three revisions (expand, backfill, constrain) that the deploy below runs one at a time.
SCAFFOLD_FIELD = ("scaffold-field", "todo", f"{FIELD}:int:default={DEFAULT}")


def new_code_with_a_required_field(project: Path, work: Path) -> Path:
    """The next release of `project` in a copy: Todo gains a required `priority` (default 3).

    Written by `flask scaffold-field todo priority:int:default=3`, run in the developer's environment (this
    Python, which has the project's development tools), as the README tells a team to.
    """
    new = copy_of(project, work / "new-code")
    completed = subprocess.run(
        [sys.executable, "-m", "flask", *SCAFFOLD_FIELD], cwd=new,
        capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300,
    )  # fmt: skip
    if completed.returncode != 0:
        raise RuntimeError(f"flask {' '.join(SCAFFOLD_FIELD)} failed:\n{completed.stdout}{completed.stderr}")
    return new


def revision(project: Path, step: str) -> str:
    """The id of the revision `flask scaffold-field` wrote for `step` (expand, backfill or constrain)."""
    (path,) = (project / "migrations" / "versions").glob(f"*_{step}_todo_{FIELD}.py")
    return path.name.split("_", 1)[0]


class Writes(threading.Thread):
    """One client creating todos through the balancer; remembers what each 201 acknowledged, and in which step."""

    def __init__(self, url: str, title: str, step: list[str], deadline: float) -> None:
        super().__init__(daemon=True)
        self.url, self.title, self.step, self.deadline = url, title, step, deadline
        self.acknowledged: list[tuple[int, str, str]] = []
        self.outcomes: Counter[str] = Counter()

    def run(self) -> None:
        parts = urlsplit(self.url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        headers = {"Authorization": AUTHORIZATION, "Content-Type": "application/json"}
        number = 0
        while time.perf_counter() < self.deadline:
            number += 1
            title, step = f"{self.title} {number}", self.step[0]
            try:
                connection.request("POST", parts.path, json.dumps({"title": title}), headers)
                response = connection.getresponse()
                body = response.read()
                self.outcomes[str(response.status)] += 1
                if response.status == 201:
                    self.acknowledged.append((json.loads(body)["id"], title, step))
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                self.outcomes[type(error).__name__] += 1
            time.sleep(0.01)

    def stop(self) -> None:
        self.deadline = 0.0


def flask_db(python: str, project: Path, database_url: str, *arguments: str) -> str:
    completed = subprocess.run(
        [python, "-m", "flask", "db", *arguments], cwd=project, env=service_environment(database_url, "WARNING"),
        capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300,
    )  # fmt: skip
    if completed.returncode != 0:
        raise RuntimeError(f"flask db {' '.join(arguments)} failed:\n{completed.stdout}{completed.stderr}")
    return completed.stdout + completed.stderr


def null_count(database_url: str) -> int:
    with connected(database_url) as engine, engine.connect() as connection:
        return connection.scalar(text(f"SELECT count(*) FROM todo WHERE {FIELD} IS NULL"))


def rolling_schema_change(instances: Instances, balancer: Balancer, database_url: str, new_project: Path) -> dict:
    """Expand, backfill, roll the new code in (draining each instance first), constrain; all under load."""
    python = instances.settings.python
    step = ["before"]
    seconds: dict[str, float] = {}
    deadline = time.perf_counter() + LOAD_BOUND_SECONDS
    writers = [Writes(balancer.base_url + "/v1/todo", f"writer{n}", step, deadline) for n in range(WRITERS)]
    with SteadyLoad(balancer.base_url + phases.PAGE, READERS, LOAD_BOUND_SECONDS) as reads:
        for writer in writers:
            writer.start()
        time.sleep(1)
        upgrade = {step: revision(new_project, step) for step in ("expand", "backfill", "constrain")}
        for name, action in (
            ("expand", lambda: flask_db(python, new_project, database_url, "upgrade", upgrade["expand"])),
            ("backfill", lambda: flask_db(python, new_project, database_url, "upgrade", upgrade["backfill"])),
            ("roll", lambda: roll(instances, balancer, new_project)),
            ("constrain", lambda: flask_db(python, new_project, database_url, "upgrade", upgrade["constrain"])),
        ):
            if name == "backfill":
                seconds["rows_to_backfill"] = null_count(database_url)
            step[0] = name
            started = time.monotonic()
            action()
            seconds[name] = round(time.monotonic() - started, 1)
        step[0] = "after"
        time.sleep(1)
        for writer in writers:
            writer.stop()
        for writer in writers:
            writer.join()
    acknowledged = [write for writer in writers for write in writer.acknowledged]
    writes = sum((writer.outcomes for writer in writers), Counter())
    read_outcomes = reads.outcomes()
    return {
        "steps_seconds": {name: value for name, value in seconds.items() if name != "rows_to_backfill"},
        "rows_backfilled": seconds["rows_to_backfill"],
        "read_outcomes": dict(read_outcomes),
        "write_outcomes": dict(writes),
        "answers_5xx": sum(count for status, count in (read_outcomes + writes).items() if status.startswith("5")),
        "writes_acknowledged": len(acknowledged),
        "writes_acknowledged_per_step": dict(Counter(step for _, _, step in acknowledged)),
        "lost_writes": lost_writes(database_url, acknowledged),
        "old_code_writes_read_by_new_code": read_back(balancer, acknowledged),
        "new_code_takes_the_field": new_code_takes_the_field(balancer),
        "models_match_the_schema": "No new upgrade operations detected."
        in flask_db(python, new_project, database_url, "check"),
    }


def roll(instances: Instances, balancer: Balancer, new_project: Path) -> None:
    instances.project = new_project  # every start from here on runs the new code
    phases.replace_each(instances, balancer, drain_first=True)


def lost_writes(database_url: str, acknowledged: list[tuple[int, str, str]]) -> int:
    """Acknowledged writes whose row is missing or holds another title."""
    with connected(database_url) as engine, engine.connect() as connection:
        stored = dict(
            connection.execute(
                text("SELECT id, title FROM todo WHERE id = ANY(:ids)"), {"ids": [i for i, _, _ in acknowledged]}
            ).all()
        )
    return sum(1 for id_, title, _ in acknowledged if stored.get(id_) != title)


def read_back(balancer: Balancer, acknowledged: list[tuple[int, str, str]]) -> dict:
    """Every todo the old code created before the roll, read through the balancer once only the new code serves."""
    old = [(id_, title) for id_, title, step in acknowledged if step in ("before", "expand", "backfill")]
    outcomes: Counter[str] = Counter()
    for id_, title in old:
        status, body = get_json(balancer.base_url + f"/v1/todo/{id_}")
        readable = status == 200 and body["title"] == title and body[FIELD] == DEFAULT
        outcomes["as written, with the default" if readable else f"{status} {body}"] += 1
    return {"read": len(old), "outcomes": dict(outcomes)}


def new_code_takes_the_field(balancer: Balancer) -> bool:
    status, created = post_json(balancer.base_url + "/v1/todo", {"title": "with a priority", FIELD: 5})
    if status != 201:
        return False
    status, read = get_json(balancer.base_url + f"/v1/todo/{created['id']}")
    return status == 200 and read[FIELD] == 5


def get_json(url: str) -> tuple[int, dict]:
    return request_json("GET", url, None)


def post_json(url: str, body: dict) -> tuple[int, dict]:
    return request_json("POST", url, body)


def request_json(method: str, url: str, body: dict | None) -> tuple[int, dict]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        headers = {"Authorization": AUTHORIZATION, "Content-Type": "application/json"}
        connection.request(method, parts.path, json.dumps(body) if body is not None else None, headers)
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        connection.close()
