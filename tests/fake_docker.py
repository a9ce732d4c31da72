"""A fake `docker` for scripts under test: records its calls, answers from a state file."""

import json
import stat
import sys

# Answers the docker commands of run_postgres.sh as the docker CLI would, from a JSON state file.
FAKE_DOCKER = """#!{python}
import json, os, sys
from pathlib import Path

state_path = Path(os.environ["FAKE_DOCKER_STATE"])
state = json.loads(state_path.read_text())
state["calls"].append(sys.argv[1:])
command, args = sys.argv[1], sys.argv[2:]
container = state["container"]
status = 0
if command == "info":
    status = 0 if state["engine"] else 1
elif command == "ps":
    if container and (container["running"] or "--all" in args):
        print("3f4e5d6c7b8a")
elif command == "run":
    port = args[args.index("--publish") + 1].split(":")[0]
    state["container"] = {{"running": True, "port": port}}
    print("3f4e5d6c7b8a9f0e")
elif command == "start":
    container["running"] = True
elif command == "port":
    print(f"0.0.0.0:{{container['port']}}\\n[::]:{{container['port']}}")
elif command == "exec":
    if state["not_ready_polls"] > 0:
        state["not_ready_polls"] -= 1
        status = 2
else:
    status = 125
state_path.write_text(json.dumps(state))
sys.exit(status)
"""


class FakeDocker:
    def __init__(self, directory, engine=True, container=None, not_ready_polls=0):
        self.bin = directory / "bin"
        self.bin.mkdir()
        executable = self.bin / "docker"
        executable.write_text(FAKE_DOCKER.format(python=sys.executable), encoding="utf-8")
        executable.chmod(executable.stat().st_mode | stat.S_IXUSR)
        self.state = directory / "docker-state.json"
        initial = {"engine": engine, "container": container, "not_ready_polls": not_ready_polls}
        self.state.write_text(json.dumps({**initial, "calls": []}), encoding="utf-8")

    def calls(self, command=None):
        calls = json.loads(self.state.read_text(encoding="utf-8"))["calls"]
        return [call for call in calls if command is None or call[0] == command]
