"""marts.chronic_pain_capture against the generator's ground truth (issue #10, rules.md §14).

Expected versus billed G3002/G3003 units per patient, practitioner and month, with missed
revenue and compliance risk from the payer's fee schedule; both ways, nothing for the
background (whose month in progress has under 30 minutes) or the near-misses (29 minutes in
a month, exactly 30 and 45 minutes billed right). Minute edges are pinned by the dbt unit
test chronic_pain_minute_edges.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb

COLUMNS = (
    "patient_id",
    "month",
    "finding",
    "minutes_documented",
    "expected_g3002_units",
    "expected_g3003_units",
    "billed_g3002_units",
    "billed_g3003_units",
    "missed_revenue",
    "compliance_risk_amount",
)


def _mart(warehouse: Path) -> set[tuple[str, ...]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cols = ", ".join(f"cast({c} as varchar)" for c in COLUMNS)
        return {
            tuple(r)
            for r in con.execute(f"select {cols} from marts.chronic_pain_capture").fetchall()
        }
    finally:
        con.close()


def _truth(inbox: Path) -> set[tuple[str, ...]]:
    with open(inbox / "ground_truth" / "chronic_pain_capture.csv", encoding="utf-8") as fh:
        return {tuple(r[c] for c in COLUMNS) for r in csv.DictReader(fh)}


def test_mart_equals_ground_truth_both_ways(built_warehouse, practice_inbox):
    got, want = _mart(built_warehouse), _truth(practice_inbox)
    assert want, "the plant wrote no ground truth"
    assert want - got == set(), "planted findings missing from the mart"
    assert got - want == set(), "findings the plant did not plant (background or near-miss)"


def test_every_finding_planted_several_times(practice_inbox):
    findings = [row[2] for row in _truth(practice_inbox)]
    for f in ("uncaptured", "under_captured", "over_billed", "initial_visit_required"):
        assert findings.count(f) >= 2, f


def test_near_misses_not_flagged(built_warehouse, practice_inbox):
    manifest = json.loads((practice_inbox / "ground_truth" / "manifest.json").read_text())
    near = {r["patient_id"] for r in manifest["plants"]["chronic_pain_capture_near_misses"]}
    assert near
    assert near & {row[0] for row in _mart(built_warehouse)} == set()


def test_background_month_in_progress_has_no_row(built_warehouse):
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        n = con.execute(
            "select count(*) from marts.chronic_pain_capture where patient_id not like 'P9%'"
        ).fetchone()[0]
    finally:
        con.close()
    assert n == 0
