"""marts.guidance_recapture equals the planted ground truth both ways (RULES 6), to the cent."""

from __future__ import annotations

import csv

import duckdb
import pytest

KEY = ("encounter_id", "primary_code", "finding_type", "guidance_code")
COLS = (
    *KEY,
    "claim_id",
    "appointment_id",
    "patient_id",
    "payer_id",
    "service_date",
    "recapture_amount",
    "compliance_risk_amount",
)


def _mart(warehouse) -> dict[tuple, dict]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cur = con.execute(f"select {', '.join(COLS)} from marts.guidance_recapture")
        rows = cur.fetchall()
    finally:
        con.close()
    out = {}
    for r in rows:
        d = {c: ("" if v is None else str(v)) for c, v in zip(COLS, r, strict=True)}
        out[tuple(d[k] for k in KEY)] = d
    return out


def _truth(inbox) -> dict[tuple, dict]:
    with open(inbox / "ground_truth" / "guidance_recapture.csv", newline="") as fh:
        return {tuple(r[k] for k in KEY): {c: r[c] for c in COLS} for r in csv.DictReader(fh)}


@pytest.fixture(scope="module")
def mart_and_truth(built_warehouse, practice_inbox):
    return _mart(built_warehouse), _truth(practice_inbox)


def test_every_planted_finding_is_found(mart_and_truth):
    mart, truth = mart_and_truth
    assert len({k[2] for k in truth}) == 4
    missing = [k for k in truth if k not in mart]
    assert not missing, missing
    for k, want in truth.items():
        assert mart[k] == want, k


def test_no_false_alarms(mart_and_truth):
    mart, truth = mart_and_truth
    extra = [(k, v["patient_id"]) for k, v in mart.items() if k not in truth]
    assert not extra, extra
