"""The two commands' recipes (`make -n`, nothing run): `make demo` installs only what the demo
runs and serves last; `make docs` never starts the server; `make test` installs the test
tools and Spark (issue #18)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from painrcm.paths import project_root

ROOT = project_root()
pytestmark = pytest.mark.skipif(
    not (ROOT / "Makefile").exists() or not shutil.which("make"), reason="needs make"
)


def _dry(*args: str) -> list[str]:
    proc = subprocess.run(
        ["make", "-n", "--no-print-directory", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return [line.strip() for line in proc.stdout.splitlines() if line.strip()]


def test_demo_installs_only_the_demo_and_serves_last():
    lines = _dry("demo")
    syncs = [line for line in lines if " sync " in f" {line} "]
    assert syncs and all("--extra" not in s for s in syncs), syncs
    assert "painrcm serve" in lines[-1]


def test_docs_on_a_fresh_clone_never_serves(tmp_path):
    lines = _dry("docs", f"DEMO_DIR={tmp_path / 'no-demo-yet'}")
    assert any("painrcm demo" in line for line in lines), lines
    assert any("painrcm docs" in line for line in lines), lines
    assert not any("painrcm serve" in line for line in lines), lines


def test_test_installs_the_test_tools_and_spark():
    syncs = [line for line in _dry("test") if " sync " in f" {line} "]
    assert syncs and all("--extra dev" in s and "--extra spark" in s for s in syncs)
