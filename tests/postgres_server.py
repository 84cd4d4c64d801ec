"""A throwaway PostgreSQL server for the state-database tests (Debian's postgresql package).

initdb into a temporary folder, start on a Unix socket there, drop it all afterwards. initdb
refuses to run as root, so as root the server runs as the package's `postgres` user
(runuser). Without postgresql installed the caller skips, except in CI (CI=true), which
installs it (.ci/run) and must not skip.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    # Debian keeps the server binaries off PATH, per major version
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def unavailable_reason() -> str | None:
    if not (_bin("initdb") and _bin("pg_ctl")):
        return "PostgreSQL server binaries (initdb, pg_ctl) are not installed"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres user to run the server"
        if not shutil.which("runuser"):
            return "running as root and runuser is missing"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yields a postgresql:// URL of a fresh, empty server."""
    root = Path(tempfile.mkdtemp(prefix="painrcm-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        pg = pwd.getpwnam("postgres")
        os.chown(root, pg.pw_uid, pg.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data, port = root / "data", _free_port()

    def run(*cmd: str) -> None:
        subprocess.run([*prefix, *cmd], check=True, capture_output=True, text=True, timeout=120)

    try:
        run(_bin("initdb"), "-D", str(data), "-U", "painrcm", "--auth=trust", "-E", "UTF8")
        run(
            _bin("pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w", "-t", "60",
            "-o", f"-k {root} -p {port} -c listen_addresses=''", "start",
        )  # fmt: skip
        try:
            yield f"postgresql://painrcm@/postgres?host={root}&port={port}"
        finally:
            run(_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
    except subprocess.CalledProcessError as exc:
        raise RuntimeError(f"postgres: {' '.join(exc.cmd[:3])} failed: {exc.stderr}") from exc
    finally:
        shutil.rmtree(root, ignore_errors=True)
