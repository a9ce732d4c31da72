"""A throwaway PostgreSQL server that a test may stop and start, built with the local server binaries."""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

SERVER_USER = "postgres"


class ClusterUnavailable(RuntimeError):
    """No PostgreSQL server binaries (initdb, pg_ctl) were found on this machine."""


def server_binaries() -> Path:
    """The directory holding initdb and pg_ctl: `pg_config --bindir`, Debian's layout, or the PATH."""
    candidates = []
    if shutil.which("pg_config"):
        bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False).stdout
        candidates.append(Path(bindir.strip()))
    candidates += [Path(path) for path in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    if shutil.which("initdb"):
        candidates.append(Path(shutil.which("initdb")).parent)
    for candidate in candidates:
        if (candidate / "initdb").is_file() and (candidate / "pg_ctl").is_file():
            return candidate
    raise ClusterUnavailable("initdb and pg_ctl were not found; install the PostgreSQL server package.")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresCluster:
    """`initdb` into a temporary directory, then `start()`/`stop()` at will on one fixed port."""

    def __init__(self) -> None:
        self.bindir = server_binaries()
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="pg-fault-"))
        self.data = self.directory / "data"
        # initdb refuses to run as root, so root hands the cluster to the server's own user.
        self.run_as = ["runuser", "-u", SERVER_USER, "--"] if os.geteuid() == 0 else []
        if self.run_as:
            account = pwd.getpwnam(SERVER_USER)
            os.chown(self.directory, account.pw_uid, account.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync", "--no-instructions")

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.directory / "server.log"), "-w", "start"
        )

    def stop(self) -> None:
        """Shut down the way an operator or a crash would: open connections are cut."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        subprocess.run(
            [*self.run_as, str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.directory, ignore_errors=True)

    def _run(self, program: str, *args: str) -> None:
        completed = subprocess.run(
            [*self.run_as, str(self.bindir / program), *args], capture_output=True, text=True, check=False
        )
        if completed.returncode != 0:
            raise RuntimeError(f"{program} failed: {completed.stdout}{completed.stderr}")
