"""Complete REQUESTS open todos in-process, one PATCH each: run by outbox_instructions.py under callgrind or cProfile.

Usage (cwd = the app's directory, its environment set): python outbox_probe.py FIRST_ID REQUESTS [--profile]
`wsgi.app` is called through Flask's test client; request i completes todo FIRST_ID + i, so with worker=y every
request records one event. Warm-up requests come first (on the ids before FIRST_ID), then a full collection and
`gc.freeze()`. With --profile, the measured requests run under cProfile and the Python calls per request are printed.
"""

import cProfile
import gc
import os
import pstats
import sys

WARM_UP_REQUESTS = 20
COMPLETE = {"completed": True}


def main() -> None:
    first_id, requests = int(sys.argv[1]), int(sys.argv[2])
    profile = "--profile" in sys.argv[3:]
    import wsgi

    client = wsgi.app.test_client()
    headers = {"Authorization": os.environ["BENCH_AUTHORIZATION"], "If-Match": "*"}

    def complete(todo_id: int) -> None:
        response = client.patch(f"/v1/todo/{todo_id}", json=COMPLETE, headers=headers)
        if response.status_code != 200:
            raise SystemExit(f"PATCH /v1/todo/{todo_id} answered {response.status_code}: {response.get_data(True)}")

    for todo_id in range(first_id - WARM_UP_REQUESTS, first_id):
        complete(todo_id)
    gc.collect()
    gc.freeze()
    profiler = cProfile.Profile() if profile else None
    if profiler is not None:
        profiler.enable()
    for todo_id in range(first_id, first_id + requests):
        complete(todo_id)
    if profiler is not None:
        profiler.disable()
        calls = pstats.Stats(profiler).total_calls  # type: ignore[attr-defined]
        print(f"{calls / requests:.1f}")


if __name__ == "__main__":
    main()
