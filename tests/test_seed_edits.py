"""A practice edits a seed row, rebuilds, and the mart follows (issue #21).

A copy of the dbt project (models, macros, seeds) and of the suite's built warehouse; one
seed row is edited in the copy and only that seed and what depends on it are rebuilt. The
rule must come from the seed: a literal left in the SQL keeps the old figure and fails here.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from painrcm import build as painrcm_build
from painrcm.paths import dbt_project_dir
from tests.conftest import AS_OF
from tests.dbt_warehouse import query as _query

pytestmark = pytest.mark.slow


def _copy_project(tmp_path: Path) -> Path:
    """dbt_project/ with its ../seeds and ../macros, as the project expects them."""
    root = dbt_project_dir().parent
    shutil.copytree(
        root / "dbt_project",
        tmp_path / "dbt_project",
        ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"),
    )
    shutil.copytree(root / "seeds", tmp_path / "seeds", ignore=shutil.ignore_patterns("scripts"))
    shutil.copytree(root / "macros", tmp_path / "macros")
    return tmp_path / "dbt_project"


def _edit_csv(path: Path, change) -> None:
    with path.open(newline="") as fh:
        reader = csv.DictReader(fh)
        fields = list(reader.fieldnames or [])
        rows = [change(dict(r)) for r in reader]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue())


def _rebuild(monkeypatch, tmp_path: Path, project: Path, built: Path, select: str) -> Path:
    work = tmp_path / "work.duckdb"
    shutil.copyfile(built, work)
    monkeypatch.setattr(painrcm_build, "dbt_project_dir", lambda: project)
    res = painrcm_build.run_dbt(
        work,
        ["build", "--select", select, "--exclude-resource-type", "unit_test"],
        AS_OF,
        tmp_path / "artifacts",
    )
    failed = [
        r.node.unique_id
        for r in (res.result.results if res.result else [])
        if str(getattr(r.status, "value", r.status)).lower() in painrcm_build._FAILED
    ]
    assert res.success and not failed, (res.exception, failed)
    return work


def test_an_edited_age_bucket_reaches_the_ar_worklist(built_warehouse, tmp_path, monkeypatch):
    """The first two buckets become 0-7 and 8-30: claims aged 8-15 move with them."""
    young, first_bucket = _query(
        built_warehouse,
        "select count(*) filter (where age_days <= 7), count(*) filter (where age_days <= 15) "
        "from marts.ar_worklist",
    )[0]
    assert first_bucket > young > 0, "the practice needs claims aged 0-7 and 8-15"
    project = _copy_project(tmp_path)
    relabel = {"0-15": ("0-7", "0", "7"), "16-30": ("8-30", "8", "30")}

    def change(r: dict) -> dict:
        if r["age_bucket"] in relabel:
            r["age_bucket"], r["min_age_days"], r["max_age_days"] = relabel[r["age_bucket"]]
        return r

    _edit_csv(project.parent / "seeds" / "ar_age_buckets.csv", change)
    work = _rebuild(monkeypatch, tmp_path, project, built_warehouse, "ar_age_buckets+")
    got = dict(
        _query(work, "select age_bucket, count(*) from marts.ar_worklist group by age_bucket")
    )
    assert got.get("0-7") == young
    assert "0-15" not in got and "16-30" not in got
    assert _query(
        work,
        "select count(*) from marts.ar_worklist where (age_days <= 7) <> (age_bucket = '0-7') "
        "or (age_days between 8 and 30) <> (age_bucket = '8-30')",
    ) == [(0,)]
