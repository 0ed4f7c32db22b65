"""A throwaway PostgreSQL cluster for the tests and the benchmark: initdb into a folder, serve on
127.0.0.1 at a free port, stop and forget it afterwards.

    python tests/pgcluster.py start DIR    # prints the server's URL
    python tests/pgcluster.py stop DIR

Debian's server binaries live in /usr/lib/postgresql/<version>/bin and refuse to run as root, so
as root the cluster runs as the ``postgres`` system user (created by Debian's package) through
``runuser``; as anyone else it runs as that user. Trust authentication is safe here: the server
listens on loopback and a socket in DIR only, and lives as long as one test run.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import sys
from pathlib import Path

SERVER_USER = "postgres"
START_ATTEMPTS = 3


class ClusterError(Exception):
    """The cluster could not be created, started or stopped; the message says why."""


def server_bin() -> Path:
    """The newest installed PostgreSQL's bin folder (where initdb and pg_ctl are)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                   else 0)
    if not found:
        raise ClusterError("PostgreSQL's server is not installed (no "
                           "/usr/lib/postgresql/*/bin/initdb): apt-get install postgresql")
    return found[-1].parent


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", SERVER_USER, "--", *command] if os.geteuid() == 0 else command


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(_as_server_user(command), capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise ClusterError(f"{what} failed ({done.returncode}): "
                           f"{(done.stderr or done.stdout).strip()[-1500:]}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(directory: str | Path) -> str:
    """Create a cluster in ``directory`` (an empty folder) and start it; return its URL.

    Raises:
        ClusterError: PostgreSQL is missing, or initdb or the server failed (with its output).
    """
    directory = Path(directory).resolve()
    binaries = server_bin()
    data = directory / "data"
    if os.geteuid() == 0:
        account = pwd.getpwnam(SERVER_USER)
        os.chown(directory, account.pw_uid, account.pw_gid)
    directory.chmod(0o700)
    _run([str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
          "-E", "UTF8", "--no-locale", "--no-sync"], "initdb")
    for attempt in range(START_ATTEMPTS):
        port = _free_port()
        options = (f"-c listen_addresses=127.0.0.1 -c port={port} "
                   f"-c unix_socket_directories={directory} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        try:
            _run([str(binaries / "pg_ctl"), "-D", str(data), "-l", str(directory / "server.log"),
                  "-o", options, "-w", "-t", "60", "start"], "pg_ctl start")
        except ClusterError:
            if attempt == START_ATTEMPTS - 1:  # a port taken between the probe and the start
                log = directory / "server.log"
                raise ClusterError(f"PostgreSQL did not start; its log:\n"
                                   f"{log.read_text(errors='replace')[-1500:]}") from None
            continue
        (directory / "port").write_text(str(port))
        return f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    raise AssertionError("unreachable")


def stop(directory: str | Path) -> None:
    """Stop the cluster in ``directory`` (immediately: its data is thrown away)."""
    directory = Path(directory).resolve()
    if (directory / "data" / "postmaster.pid").exists():
        _run([str(server_bin() / "pg_ctl"), "-D", str(directory / "data"), "-m", "immediate",
              "-w", "stop"], "pg_ctl stop")


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        print(__doc__, file=sys.stderr)
        return 2
    action, directory = argv
    try:
        if action == "start":
            print(start(directory))
        else:
            stop(directory)
            shutil.rmtree(directory, ignore_errors=True)
    except ClusterError as exc:
        print(f"pgcluster: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
