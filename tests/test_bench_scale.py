"""bench/scale_raw.py, behind the 10M-line build times in the README: scaling the raw layer
by k gives k independent copies of the practice, so every patient-level mart has exactly k
times the rows (and the copies' ids never meet), while per-payer marts keep their grain."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import duckdb

from painrcm.build import build, dbt_artifacts_dir
from painrcm.warehouse import staged
from tests.conftest import AS_OF

BENCH = Path(__file__).resolve().parents[1] / "bench" / "scale_raw.py"


def _scale_raw():
    spec = importlib.util.spec_from_file_location("scale_raw", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_scaled_warehouse_has_k_copies_of_every_patient_level_mart(built_warehouse, tmp_path):
    scale_raw = _scale_raw()
    target = tmp_path / "scaled.duckdb"
    scale_raw.scale(built_warehouse, target, factor=2)
    with staged(target) as work:
        result = build(work, AS_OF, dbt_artifacts_dir(target))
        assert result.success, result.message

    con = duckdb.connect(str(target), read_only=True)
    try:
        con.execute(f"attach '{built_warehouse}' as src (read_only)")
        for mart in scale_raw.PATIENT_LEVEL_MARTS:
            n_src = con.execute(f"select count(*) from src.marts.{mart}").fetchone()[0]
            n_new = con.execute(f"select count(*) from marts.{mart}").fetchone()[0]
            assert n_src > 0, f"{mart} has rows in the test practice"
            assert n_new == 2 * n_src, mart
        # The copy's rows carry the copy's ids: the suffixed claims are the original ones.
        copies = con.execute(
            "select count(*) from marts.ar_worklist where claim_id like '%s1'"
        ).fetchone()[0]
        originals = con.execute("select count(*) from src.marts.ar_worklist").fetchone()[0]
        assert copies == originals
        # Reference data is not copied: one row per payer as before.
        payers = con.execute("select count(*) from raw.payers").fetchone()[0]
        assert payers == con.execute("select count(*) from src.raw.payers").fetchone()[0]
    finally:
        con.close()
