"""`painrcm serve` runs Streamlit as a child process and owns its whole life.

Stopping `painrcm serve` (SIGTERM from systemd, `kill` or CI; SIGINT from Ctrl+C; SIGHUP
when the terminal closes) must stop the dashboard server too: a server left behind keeps
the port and keeps serving PHI to whoever still has the address. So the child runs in its
own process group (a terminal's Ctrl+C reaches only us, and we decide), every stop signal
is forwarded to that group as SIGTERM (Streamlit's clean shutdown), a group that has not
gone after GRACE_SECONDS gets SIGKILL, and on Linux the child is also told to die with its
parent (PR_SET_PDEATHSIG) in case `painrcm serve` itself is SIGKILLed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
GRACE_SECONDS = 3.0


class ServerDied(RuntimeError):
    """The dashboard server exited although nobody asked it to."""


def port_in_use(host: str, port: int) -> bool:
    """True when another process already listens on host:port (checked by binding it, as
    the server will; SO_REUSEADDR so a closed socket in TIME_WAIT does not count)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror:
        return False  # Streamlit will report an unknown host itself
    for family, kind, proto, _name, address in infos:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    return True
    return False


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _signal_group(proc: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signum)


def _describe(code: int) -> str:
    if code < 0:
        try:
            return f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with status {code}"


def run_server(cmd: Sequence[str], env: dict[str, str]) -> None:
    """Run the server until it is asked to stop (returns) or dies on its own (ServerDied)."""
    proc = subprocess.Popen(list(cmd), env=env, start_new_session=True, preexec_fn=_die_with_parent)
    stop_requested: list[float] = []  # the monotonic time SIGKILL is due, once asked

    def on_stop(signum: int, _frame: object) -> None:
        if not stop_requested:
            stop_requested.append(time.monotonic() + GRACE_SECONDS)
        _signal_group(proc, signal.SIGTERM)

    previous = {s: signal.signal(s, on_stop) for s in STOP_SIGNALS}
    try:
        while True:
            try:
                code = proc.wait(timeout=0.2)
                break
            except subprocess.TimeoutExpired:
                if stop_requested and time.monotonic() > stop_requested[0]:
                    _signal_group(proc, signal.SIGKILL)
    finally:
        # Anything the server started in its group goes with it.
        _signal_group(proc, signal.SIGKILL)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if not stop_requested:
        raise ServerDied(
            f"the dashboard server (Streamlit) stopped on its own: it {_describe(code)}"
        )
