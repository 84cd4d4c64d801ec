"""A build as of a past day D sees only what was known on D (rules.md "What a build as of D
sees"), in every mart alike.

Property: building the generated practice as of D gives, mart by mart and row for row
(build_info aside), exactly what building as of D gives on the same inbox with every record
dated after D removed (tests/inbox_as_of.py: CSV rows by their date column, 835 transactions
by remit date, 999 and 277CA transactions by their GS04 and BHT04). Two days, each with
later claim versions, remits, acknowledgments, postings, care time, notes, requests,
decisions and bookings in the full inbox, both derived from the suite's
practice (any seed, any as-of): the 15th of the month two months before its as-of, and a
day between a planted denial and the claim's resubmission (seed 11 as of 2026-11-30:
2026-10-25, between a denial on 10-23 and the resubmission on 10-28; the build as of that
day used to stop on not_null_ar_worklist_priority_score: the newest submission was later).
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from tests.conftest import AS_OF
from tests.inbox_as_of import truncate_inbox

pytestmark = pytest.mark.slow

AS_OF_DAYS = ("mid_month", "between_a_denial_and_its_resubmission")


def _mid_month_before(as_of: date, months: int = 2) -> date:
    """The 15th of the month `months` before as_of's (as of 2026-11-30: 2026-09-15)."""
    n = as_of.year * 12 + as_of.month - 1 - months
    return date(n // 12, n % 12 + 1, 15)


def _day_before_a_resubmission(inbox: Path) -> date:
    """A day after the latest planted denial that was resubmitted (ground truth) and before
    the claim's resubmission: its newest submitted_date in the claims extract."""
    with open(inbox / "ground_truth" / "denials.csv", newline="", encoding="utf-8") as fh:
        resubmitted = [r for r in csv.DictReader(fh) if r["status"] == "resubmitted"]
    assert resubmitted, "the practice plants no resubmitted denial"
    denial = max(resubmitted, key=lambda r: (r["denial_date"], r["claim_id"]))
    denied_on = date.fromisoformat(denial["denial_date"])
    submitted = set()
    for f in (inbox / "claims").glob("*.csv"):
        with open(f, newline="", encoding="utf-8-sig") as fh:
            submitted |= {
                r["submitted_date"]
                for r in csv.DictReader(fh)
                if r.get("claim_id") == denial["claim_id"]
            }
    resubmitted_on = max(date.fromisoformat(d) for d in submitted)
    day = denied_on + timedelta(days=(resubmitted_on - denied_on).days // 2)
    assert denied_on <= day < resubmitted_on, (denial["claim_id"], denied_on, resubmitted_on)
    return day


def _build(inbox: Path, warehouse: Path, as_of: date) -> Path:
    from painrcm.runner import scheduled_run

    scheduled_run(inbox, warehouse, as_of)
    return warehouse


def _mart_names(con: duckdb.DuckDBPyConnection, db: str) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "select table_name from duckdb_tables() "
            "where database_name = ? and schema_name = 'marts' order by 1",
            [db],
        ).fetchall()
    ]


def _differences(con: duckdb.DuckDBPyConnection, mart: str) -> tuple[int, int, list]:
    only_full = f"select * from full_db.marts.{mart} except all select * from cut_db.marts.{mart}"
    only_cut = f"select * from cut_db.marts.{mart} except all select * from full_db.marts.{mart}"
    n_full = con.execute(f"select count(*) from ({only_full})").fetchone()[0]
    n_cut = con.execute(f"select count(*) from ({only_cut})").fetchone()[0]
    sample = (
        con.execute(f"{only_full} limit 2").fetchall()
        + con.execute(f"{only_cut} limit 2").fetchall()
    )
    return n_full, n_cut, sample


def test_the_days_derive_from_the_practice(practice_inbox):
    assert _mid_month_before(date(2026, 11, 30)) == date(2026, 9, 15)
    assert _mid_month_before(date(2026, 2, 28)) == date(2025, 12, 15)
    assert _mid_month_before(AS_OF) < AS_OF
    assert _day_before_a_resubmission(practice_inbox) < AS_OF


@pytest.mark.parametrize("day", AS_OF_DAYS)
def test_build_as_of_day_equals_build_of_inbox_cut_at_that_day(practice_inbox, tmp_path, day):
    if day == "mid_month":
        as_of = _mid_month_before(AS_OF)
    else:
        as_of = _day_before_a_resubmission(practice_inbox)
    cut_inbox = tmp_path / "inbox_cut"
    dropped = truncate_inbox(practice_inbox, cut_inbox, as_of)
    # the full inbox holds later records of every dated kind, so each source is put to test
    for folder in (
        "claims",
        "remits",
        "ledger",
        "appointments",
        "authorizations",
        "care_time",
        "procedure_notes",
        "acknowledgments",
    ):
        assert dropped[folder] > 0, f"nothing in {folder}/ is dated after {as_of}"

    full = _build(practice_inbox, tmp_path / "full.duckdb", as_of)
    cut = _build(cut_inbox, tmp_path / "cut.duckdb", as_of)

    con = duckdb.connect()
    con.execute(f"attach '{full}' as full_db (read_only)")
    con.execute(f"attach '{cut}' as cut_db (read_only)")
    marts = _mart_names(con, "full_db")
    assert marts == _mart_names(con, "cut_db")
    assert "ar_worklist" in marts and "practice_kpis" in marts

    differing = {}
    rows = 0
    for mart in marts:
        if mart in ("build_info", "build_history"):  # about the build, not the practice
            continue
        rows += con.execute(f"select count(*) from full_db.marts.{mart}").fetchone()[0]
        n_full, n_cut, sample = _differences(con, mart)
        if n_full or n_cut:
            differing[mart] = (n_full, n_cut, sample)
    assert rows > 0
    assert not differing, "\n".join(
        f"{mart}: {n_full} rows only in the full inbox's build, {n_cut} only in the cut "
        f"inbox's; e.g. {sample}"
        for mart, (n_full, n_cut, sample) in differing.items()
    )


# ---- the ground truth of a practice generated for another as-of date holds ----------------
# The generator's dates all derive from its as_of and months (no calendar date in a plant),
# so a practice generated for a mid-month day two months or more before the suite's must
# come out of the build exactly as planted. The whole truth suite can also be run so:
# PAINRCM_TEST_AS_OF=2026-09-15 pytest tests/test_*.py (tests/conftest.py).
OTHER_AS_OF = _mid_month_before(AS_OF)


@pytest.fixture(scope="module")
def other_practice(tmp_path_factory) -> tuple[Path, Path]:
    from painrcm.generate import generate_practice
    from tests.conftest import PRACTICE

    inbox = tmp_path_factory.mktemp("other_as_of") / "inbox"
    manifest = generate_practice(inbox, **{**PRACTICE, "as_of": OTHER_AS_OF})
    assert manifest["as_of_date"] == OTHER_AS_OF.isoformat()
    return inbox, _build(inbox, inbox.parent / "warehouse.duckdb", OTHER_AS_OF)


def _latest_record_date(inbox: Path) -> date:
    from tests.inbox_as_of import DATED_BY

    latest = date.min
    for kind, column in DATED_BY.items():
        for f in (inbox / kind).glob("*.csv"):
            with open(f, newline="", encoding="utf-8-sig") as fh:
                for r in csv.DictReader(fh):
                    d = r.get(column) or ""
                    if len(d) == 10 and d[4] == "-":
                        latest = max(latest, date.fromisoformat(d))
    return latest


def test_other_as_of_practice_has_nothing_dated_after_its_as_of(other_practice):
    inbox, _warehouse = other_practice
    assert _latest_record_date(inbox) <= OTHER_AS_OF
    dropped = truncate_inbox(inbox, inbox.parent / "cut", OTHER_AS_OF)
    assert not any(dropped.values()), dropped  # no CSV row, no 835 dated after it


def test_other_as_of_truth_mppr_and_guidance(other_practice):
    from tests import test_guidance_recapture as guidance
    from tests import test_mppr_underpayments as mppr
    from tests.ground_truth import mart_rows, truth_rows

    inbox, warehouse = other_practice
    for mart, module in (("mppr_underpayments", mppr), ("guidance_recapture", guidance)):
        got = mart_rows(warehouse, mart, module.COLS, module.KEY)
        want = truth_rows(inbox, mart, module.COLS, module.KEY)
        assert want, mart
        assert got == want, mart


def test_other_as_of_truth_pa_gaps_chronic_pain_readiness_documentation(other_practice):
    from tests import test_chronic_pain_capture as chronic
    from tests import test_documentation_risk as documentation
    from tests import test_pa_coverage_gaps as pa
    from tests import test_procedure_readiness as readiness

    inbox, warehouse = other_practice
    with open(inbox / "ground_truth" / "pa_coverage_gaps.csv", newline="") as fh:
        pa_truth = {pa._key(r) for r in csv.DictReader(fh)}
    assert pa_truth and {pa._key(r) for r in pa._mart(warehouse)} == pa_truth
    assert chronic._truth(inbox) and chronic._mart(warehouse) == chronic._truth(inbox)
    assert documentation._mart(warehouse) == documentation._truth(inbox)
    readiness_got = {
        (r["appointment_id"], str(r["line_number"]), r["finding"], str(r["revenue_at_risk"]))
        for r in readiness._mart(warehouse)
    }
    readiness_want = {tuple(r[k] for k in readiness.KEY) for r in readiness._truth(inbox)}
    assert readiness_want and readiness_got == readiness_want


def test_other_as_of_truth_denials(other_practice):
    from tests import test_denials as denials

    inbox, warehouse = other_practice
    with open(inbox / "ground_truth" / "denials.csv", encoding="utf-8") as fh:
        truth = {tuple(r[k] for k in denials.KEY): r for r in csv.DictReader(fh)}
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        got = denials._mart(con, next(iter(truth))[0][:4])
    finally:
        con.close()
    assert set(got) == set(truth)
    for k, row in truth.items():
        for c in denials.COLS:
            assert got[k][c] == row[c], (k, c)
