"""Serve REQUESTS in-process requests of one endpoint: run under callgrind by instructions.py.

Usage (cwd = the app's directory, its environment set): python instruction_probe.py MODULE METHOD PATH BODY REQUESTS
MODULE is imported and its `app` called through Flask's test client; BODY is JSON or "-". Warm-up requests
come first, then a full collection and `gc.freeze()`, so a collection landing in one run and not in another
does not blur the difference between two runs.
"""

import gc
import importlib
import json
import os
import sys

WARM_UP_REQUESTS = 20


def main() -> None:
    module, method, path, body, requests = sys.argv[1:]
    client = importlib.import_module(module).app.test_client()
    payload = None if body == "-" else json.loads(body)
    headers = {"Authorization": os.environ["BENCH_AUTHORIZATION"]}

    def request() -> None:
        response = client.open(path, method=method, json=payload, headers=headers)
        if response.status_code >= 300:
            raise SystemExit(f"{method} {path} answered {response.status_code}: {response.get_data(as_text=True)}")

    for _ in range(WARM_UP_REQUESTS):
        request()
    gc.collect()
    gc.freeze()
    for _ in range(int(requests)):
        request()


if __name__ == "__main__":
    main()
