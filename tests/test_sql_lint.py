"""sqlfluff lint (dbt templater, /.sqlfluff rules) of every model outside staging (staging is
linted in test_dbt_staging, on its own, so a failure there points at the layer)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LINTED = ("dbt_project/models/intermediate", "dbt_project/models/marts")

pytestmark = pytest.mark.slow


def test_sqlfluff_lint_intermediate_and_marts(tmp_path):
    beside_python = Path(sys.executable).with_name("sqlfluff")
    sqlfluff = str(beside_python) if beside_python.exists() else shutil.which("sqlfluff")
    assert sqlfluff, "sqlfluff is not installed (uv sync --extra dev)"
    # The dbt templater loads the profile, which reads PAINRCM_WAREHOUSE; nothing is built.
    env = {**os.environ, "PAINRCM_WAREHOUSE": str(tmp_path / "lint.duckdb")}
    proc = subprocess.run(
        [sqlfluff, "lint", *LINTED, "--disable-progress-bar"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-2000:]
