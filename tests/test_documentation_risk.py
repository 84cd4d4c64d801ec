"""marts.documentation_risk against the generator's ground truth (issue #10, rules.md §15), the
shingle similarity against a Python reference, and the PHI rule of the notes' ingest.

Similarity: the reference is rules.md §15 written in Python (painrcm.similarity, the one the
generator and the Documentation page use too); hand-computed pairs pin it, the dbt unit
tests note_shingles_tokenised / note_similarity_jaccard pin the SQL on the same kind of
pairs, and every compared note pair of the built warehouse must agree with it.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import re
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from ingest.csv_extracts import load_csv_file
from ingest.schemas import EXTRACTS
from painrcm.similarity import similarity as reference_similarity
from tests.dbt_warehouse import query as _rows

COLUMNS = (
    "appointment_id",
    "risk",
    "note_id",
    "similarity",
    "previous_note_id",
    "billed_amount",
)


HAND_PAIRS = [
    # identical text, case and punctuation ignored: 1.0
    ("The cat sat on the mat.", "the CAT sat, on the mat", 1.0),
    # {the cat sat, cat sat on, sat on the, on the mat} vs {..., on the rug}: 3 / 5
    ("the cat sat on the mat", "the cat sat on the rug", 0.6),
    # fewer than three tokens on both sides: no shingles -> 0
    ("L4-L5", "ok", 0.0),
    # one side empty: 0 / 4
    ("", "the cat sat on the mat", 0.0),
    # 10 shingles vs the first 9 of them: 9 / 10, exactly on the clone threshold
    ("a b c d e f g h i j k l", "a b c d e f g h i j k", 0.9),
    # {x y z, y z w} vs {y z w, z w v}: 1 shared of 3 in all
    ("x y z w", "y z w v", round(1 / 3, 4)),
    # 32 shingles vs the first 29 of them: 29 / 32 = 0.90625, a tie, half up (SQL round())
    (" ".join(f"w{i}" for i in range(34)), " ".join(f"w{i}" for i in range(31)), 0.9063),
]


@pytest.mark.parametrize(("a", "b", "want"), HAND_PAIRS)
def test_reference_similarity_hand_computed(a, b, want):
    assert reference_similarity(a, b) == want
    assert reference_similarity(b, a) == want


def test_sql_similarity_equals_reference_on_every_pair(built_warehouse):
    pairs = _rows(
        built_warehouse,
        """
        select cast(c.similarity as double), cur.note_text, prev.note_text
        from intermediate.int_procedure_notes_compared as c
        inner join staging.stg_pm__procedure_notes as cur on c.note_id = cur.note_id
        inner join staging.stg_pm__procedure_notes as prev on c.previous_note_id = prev.note_id
        """,
    )
    assert len(pairs) > 20
    for sql_value, a, b in pairs:
        assert sql_value == pytest.approx(reference_similarity(a, b), abs=1e-9)


def _mart(warehouse: Path) -> set[tuple[str, ...]]:
    cols = ", ".join(f"coalesce(cast({c} as varchar), '')" for c in COLUMNS)
    return set(_rows(warehouse, f"select {cols} from marts.documentation_risk"))


def _truth(inbox: Path) -> set[tuple[str, ...]]:
    with open(inbox / "ground_truth" / "documentation_risk.csv", encoding="utf-8") as fh:
        return {tuple(r[c] for c in COLUMNS) for r in csv.DictReader(fh)}


def test_mart_equals_ground_truth_both_ways(built_warehouse, practice_inbox):
    got, want = _mart(built_warehouse), _truth(practice_inbox)
    assert {r[1] for r in want} == {"cloned_note", "note_missing"}
    assert sum(r[1] == "cloned_note" for r in want) >= 2
    assert sum(r[1] == "note_missing" for r in want) >= 2
    assert want - got == set(), "planted risks missing from the mart"
    assert got - want == set(), "risks the plant did not plant (background or near-miss)"


def test_near_misses_not_flagged(built_warehouse, practice_inbox):
    manifest = json.loads((practice_inbox / "ground_truth" / "manifest.json").read_text())
    near = {r["patient_id"] for r in manifest["plants"]["documentation_risk_near_misses"]}
    assert len(near) >= 3
    flagged = {
        r[0] for r in _rows(built_warehouse, "select patient_id from marts.documentation_risk")
    }
    assert near & flagged == set()


# --- PHI: a note's text never reaches a message or a log --------------------------------
SECRET = "Zebulon-Quixote has severe pain"


def test_quarantined_note_reason_names_file_row_and_column_only(tmp_path, caplog):
    header = EXTRACTS["procedure_notes"].column_names
    good = ["N1", "A1", "P1", "1234567893", "2026-06-01", f"{SECRET}, first note"]
    bad_date = ["N2", "A2", "P1", "1234567893", "06/02/2026", f"{SECRET}, second note"]
    bad_npi = ["N3", "A3", "P1", "1234567890", "2026-06-03", f'{SECRET} "quoted"']
    lines = [",".join(header)]
    for row in (good, bad_date, bad_npi):
        lines.append(",".join('"' + v.replace('"', '""') + '"' for v in row))
    data = ("\n".join(lines) + "\n").encode()
    path = tmp_path / "procedure_notes" / "procedure_notes_2026-06-05.csv"
    path.parent.mkdir()
    path.write_bytes(data)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    with caplog.at_level(logging.DEBUG):
        result = load_csv_file(
            con,
            "procedure_notes",
            path,
            data,
            hashlib.sha256(data).hexdigest(),
            datetime(2026, 6, 5, 8, 0),
        )
    assert (result.rows_loaded, result.rows_quarantined) == (1, 2)
    reasons = con.execute("select reason, raw_record from raw.quarantine order by 1").fetchall()
    assert len(reasons) == 2
    for reason, raw_record in reasons:
        assert "Zebulon" not in reason and "pain" not in reason
        assert re.match(r"row [23]: ", reason)
        assert "Zebulon" in raw_record  # the row itself is kept, in the local warehouse only
    assert any("signed_at" in r for r, _ in reasons)
    assert any("author_npi" in r for r, _ in reasons)
    messages = con.execute("select coalesce(message, '') from raw.load_log").fetchall()
    assert all("Zebulon" not in m for (m,) in messages)
    assert "Zebulon" not in caplog.text
    assert "Zebulon" not in str(result)
    con.close()
