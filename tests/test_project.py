"""The dbt project is found and builds from a clean clone and from an installed wheel."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest

from ingest.raw_tables import ensure_raw_tables
from painrcm.paths import project_root

pytestmark = pytest.mark.slow
ROOT = project_root()


def _uv() -> list[str] | None:
    if shutil.which("uv"):
        return ["uv"]
    probe = subprocess.run(
        [sys.executable.replace(".venv/bin/python", "python3"), "-m", "uv", "--version"],
        capture_output=True,
    )
    return ["python3", "-m", "uv"] if probe.returncode == 0 else None


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs the git checkout")
def test_dbt_builds_from_a_clean_clone(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    warehouse = tmp_path / "empty.duckdb"
    con = duckdb.connect(str(warehouse))
    ensure_raw_tables(con)
    con.close()
    project = clone / "dbt_project"
    env = {**os.environ, "PAINRCM_WAREHOUSE": str(warehouse)}
    dbt = Path(sys.executable).with_name("dbt")
    proc = subprocess.run(
        [
            str(dbt),
            "build",
            "--project-dir",
            str(project),
            "--profiles-dir",
            str(project),
            "--vars",
            "{as_of_date: '2026-06-30'}",
            "--quiet",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    con = duckdb.connect(str(warehouse), read_only=True)
    marts = {
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
    }
    con.close()
    assert {"practice_kpis", "build_info", "pa_coverage_gaps", "ar_worklist"} <= marts


def test_wheel_carries_the_dbt_project(tmp_path):
    uv = _uv()
    if uv is None:
        pytest.skip("uv is not installed")
    subprocess.run(
        [*uv, "build", "--wheel", "--out-dir", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"},
    )
    wheel = next(tmp_path.glob("painrcm-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "painrcm/_project/dbt_project/dbt_project.yml" in names
    assert "painrcm/_project/seeds/procedure_families.csv" in names
    assert any(n.startswith("painrcm/_project/macros/") for n in names)
    assert "ingest/x12.py" in names and "painrcm/cli.py" in names
