"""marts.procedure_readiness against the generator's ground truth (issue #10, rules.md §13).

The readiness plant writes every row it expects to `ground_truth/procedure_readiness.csv`
(and the manifest section); the mart must hold exactly those rows both ways, nothing for the
background or the near-misses, and every row must read as a scheduler's sentence with a
dated action. Threshold edges are pinned by the dbt unit test readiness_threshold_edges.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from tests.dbt_warehouse import query_dicts as _rows

KEY = ("appointment_id", "line_number", "finding", "revenue_at_risk")


def _mart(warehouse: Path) -> list[dict]:
    return _rows(warehouse, "select * from marts.procedure_readiness")


def _truth(inbox: Path) -> list[dict]:
    with open(inbox / "ground_truth" / "procedure_readiness.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_mart_equals_ground_truth_both_ways(built_warehouse, practice_inbox):
    got = {
        (r["appointment_id"], str(r["line_number"]), r["finding"], str(r["revenue_at_risk"]))
        for r in _mart(built_warehouse)
    }
    want = {tuple(r[k] for k in KEY) for r in _truth(practice_inbox)}
    assert want, "the plant wrote no ground truth"
    assert want - got == set(), "planted findings missing from the mart"
    assert got - want == set(), "findings the plant did not plant (background or near-miss)"


def test_manifest_section_matches_csv(practice_inbox):
    manifest = json.loads((practice_inbox / "ground_truth" / "manifest.json").read_text())
    section = manifest["plants"]["procedure_readiness"]
    assert {tuple(r[k] for k in KEY) for r in section} == {
        tuple(r[k] for k in KEY) for r in _truth(practice_inbox)
    }


def test_every_finding_planted_several_times(practice_inbox):
    counts: dict[str, int] = {}
    for r in _truth(practice_inbox):
        counts[r["finding"]] = counts.get(r["finding"], 0) + 1
    assert set(counts) == {
        "documentation_missing",
        "pain_duration_short",
        "conservative_care_short",
        "diagnostic_blocks_missing",
        "repeat_relief_insufficient",
        "scs_trial_not_successful",
        "psych_eval_missing",
        "levels_exceeded",
    }
    assert min(counts.values()) >= 2


def test_near_misses_not_flagged(built_warehouse, practice_inbox):
    manifest = json.loads((practice_inbox / "ground_truth" / "manifest.json").read_text())
    near = {r["patient_id"] for r in manifest["plants"]["procedure_readiness_near_misses"]}
    assert len(near) >= 6
    flagged = {r["patient_id"] for r in _mart(built_warehouse)}
    assert near & flagged == set()


def test_rows_read_as_sentences_with_dated_actions(built_warehouse):
    rows = _mart(built_warehouse)
    assert rows
    for r in rows:
        assert r["detail"].endswith(".") and len(r["detail"].split()) >= 6
        assert re.search(r"\d{4}-\d{2}-\d{2}", r["recommended_action"]), r["recommended_action"]
        assert r["days_until_service"] > 0
    single_block = [
        r
        for r in rows
        if r["finding"] == "diagnostic_blocks_missing" and r["detail"].startswith("Found 1 ")
    ]
    assert single_block
    assert all(
        re.match(
            r"Schedule a second diagnostic MBB at least 14 days after \d{4}-\d{2}-\d{2}",
            r["recommended_action"],
        )
        for r in single_block
    )


def test_thresholds_come_from_the_seed_with_sources():
    seed = Path(__file__).resolve().parents[1] / "seeds" / "readiness_criteria.csv"
    with open(seed, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert all(r["source"] for r in rows)
    sql = (
        Path(__file__).resolve().parents[1]
        / "dbt_project/models/intermediate/readiness/int_readiness_checks_failed.sql"
    ).read_text()
    sql = re.sub(r"\{#.*?#\}", "", sql, flags=re.S)
    sql = re.sub(r"--[^\n]*", "", sql)
    # no threshold literal in the comparisons: they read the seed's columns
    assert not re.search(r"[<>]=?\s*(4|13|14|26|50|80|365)\b", sql)
