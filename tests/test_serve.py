"""`painrcm serve`: stopping it stops the Streamlit server too (issue #25), a taken port and a
network address without a password are refused before anything is served (#16, #18)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from painrcm import serve as serve_module
from painrcm.cli import app

runner = CliRunner()
PAINRCM = Path(sys.executable).with_name("painrcm")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _children(pid: int) -> set[int]:
    """Every live descendant of pid (Linux /proc)."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                kids = (task / "children").read_text().split()
            except OSError:
                continue
            for kid in map(int, kids):
                if kid not in found:
                    found.add(kid)
                    todo.append(kid)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def warehouse(tmp_path) -> Path:
    path = tmp_path / "w.duckdb"
    duckdb.connect(str(path)).close()
    return path


def _start(warehouse: Path, port: int) -> tuple[subprocess.Popen, set[int]]:
    proc = subprocess.Popen(
        [str(PAINRCM), "serve", "--warehouse", str(warehouse), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 90
    while not _listening(port):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            out, err = proc.communicate()
            pytest.fail(f"serve did not start: {out} {err}")
        time.sleep(0.25)
    children = _children(proc.pid)
    assert children, "Streamlit runs as a child process"
    return proc, children


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_stop_signal_stops_the_server_too(warehouse, signum):
    port = _free_port()
    proc, children = _start(warehouse, port)
    try:
        os.kill(proc.pid, signum)  # that one process, as systemd, kill or CI do
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and (
            proc.poll() is None or any(_alive(c) for c in children) or _listening(port)
        ):
            time.sleep(0.1)
        assert proc.poll() == 0, "a requested stop exits 0"
        assert not [c for c in children if _alive(c)], "no child remains"
        assert not _listening(port), "the port is free"
    finally:
        for pid in [proc.pid, *children]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        proc.communicate(timeout=10)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_a_server_that_dies_is_reported(warehouse):
    port = _free_port()
    proc, children = _start(warehouse, port)
    try:
        for child in children:
            os.kill(child, signal.SIGKILL)
        _out, err = proc.communicate(timeout=10)
        assert proc.returncode == 1
        assert "dashboard server (Streamlit) stopped on its own" in err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def test_a_taken_port_is_refused_before_serving(warehouse, monkeypatch):
    monkeypatch.setattr(serve_module, "run_server", lambda *a: pytest.fail("must not start"))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(app, ["serve", "-w", str(warehouse), "--port", str(port)])
    assert result.exit_code == 1
    assert f"port {port} on 127.0.0.1 is already in use" in result.output
    assert "serving" not in result.output


def test_network_host_without_password_is_refused(warehouse, monkeypatch):
    monkeypatch.delenv("PAINRCM_DASHBOARD_PASSWORD", raising=False)
    monkeypatch.setattr(serve_module, "run_server", lambda *a: pytest.fail("must not start"))
    result = runner.invoke(app, ["serve", "-w", str(warehouse), "--host", "0.0.0.0"])
    assert result.exit_code == 1
    assert "without a password" in result.output and "--no-password" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_network_host_with_password_or_explicit_no_password_serves(warehouse, monkeypatch):
    started: list[dict[str, str]] = []
    monkeypatch.setattr(serve_module, "run_server", lambda cmd, env: started.append(env))
    monkeypatch.setattr(serve_module, "port_in_use", lambda host, port: False)
    monkeypatch.delenv("PAINRCM_DASHBOARD_PASSWORD", raising=False)
    args = ["serve", "-w", str(warehouse), "--host", "0.0.0.0", "--port", str(_free_port())]
    result = runner.invoke(app, [*args, "--no-password"])
    assert result.exit_code == 0, result.output
    monkeypatch.setenv("PAINRCM_DASHBOARD_PASSWORD", "s3cret")
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert [env.get("PAINRCM_DASHBOARD_PASSWORD") for env in started] == [None, "s3cret"]
