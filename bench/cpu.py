"""CPU seconds spent serving one app: its gunicorn processes and its PostgreSQL backends.

Requests/s on a shared machine moves with everybody else's load; CPU time per request mostly does
not, so it is the steadier measure of what the layers cost.
"""

import os
from pathlib import Path

from sqlalchemy import text

from databases import connected

PROC = Path("/proc")
TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> list[str] | None:
    """/proc/<pid>/stat after the command name: state, ppid, ..., utime at 11, stime at 12."""
    try:
        raw = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2 :].split()


def available() -> bool:
    return _stat(os.getpid()) is not None


def process_tree(root: int) -> list[int]:
    parents = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))):
            parents[int(entry.name)] = int(fields[1])
    tree, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        tree.extend(frontier)
    return tree


def backend_pids(database_url: str, application_name: str) -> list[int]:
    with connected(database_url) as engine, engine.connect() as connection:
        rows = connection.execute(
            text("SELECT pid FROM pg_stat_activity WHERE application_name = :name"),
            {"name": application_name},
        )
        return [pid for (pid,) in rows]


def cpu_seconds_by_pid(pids: list[int]) -> dict[int, float]:
    seconds = {}
    for pid in pids:
        if fields := _stat(pid):
            seconds[pid] = (int(fields[11]) + int(fields[12])) / TICKS_PER_SECOND
    return seconds


class CpuMeter:
    """Snapshot before and after a run; backends on another host are simply not seen."""

    def __init__(self, server_pid: int, database_url: str, application_name: str) -> None:
        self.server_pid = server_pid
        self.database_url = database_url
        self.application_name = application_name

    def snapshot(self) -> dict[int, float]:
        pids = process_tree(self.server_pid) + backend_pids(self.database_url, self.application_name)
        return cpu_seconds_by_pid(pids)

    @staticmethod
    def spent(before: dict[int, float], after: dict[int, float]) -> float:
        return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())

    def spent_by_workers(self, before: dict[int, float], after: dict[int, float]) -> float:
        """The part of `spent` that the gunicorn processes used, without the PostgreSQL backends."""
        workers = set(process_tree(self.server_pid))
        return self.spent(before, {pid: seconds for pid, seconds in after.items() if pid in workers})
