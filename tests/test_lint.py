"""The code base stays lint-clean: ruff for Python (SQL lint lives in test_dbt_* tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from painrcm.paths import project_root

RUFF = Path(sys.executable).with_name("ruff")


def test_ruff_check_is_clean():
    proc = subprocess.run(
        [str(RUFF), "check", "."], cwd=project_root(), capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_ruff_format_is_clean():
    proc = subprocess.run(
        [str(RUFF), "format", "--check", "."], cwd=project_root(), capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout[-3000:]
