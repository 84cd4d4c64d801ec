"""999 and 277CA acknowledgments read in dbt (INPUTS.md "acknowledgments", rules.md §16):
each answer matched to the submission it answers, marts.claim_rejections, what a rejected
submission leaves in effect, the A/R worklist's fix_rejection and the unmatched list.
Hand-written fixtures: tests/fixtures/x12_acks (make_fixtures.py tells the story)."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from tests.dbt_warehouse import dbt_build, load_into, run_dbt
from tests.dbt_warehouse import query as q

REPO = Path(__file__).resolve().parents[1]
ACKS = REPO / "tests" / "fixtures" / "x12_acks"
CLAIMS_837 = REPO / "tests" / "fixtures" / "x12_837"
CSV_INBOX = REPO / "tests" / "fixtures" / "csv" / "inbox"
AS_OF = "2026-07-15"

pytestmark = pytest.mark.slow


def _inbox(tmp: Path) -> Path:
    inbox = tmp / "inbox"
    for kind in ("payers", "providers", "appointments", "claims"):
        shutil.copytree(CSV_INBOX / kind, inbox / kind)
    (inbox / "claims_837").mkdir()
    shutil.copy(CLAIMS_837 / "two_transactions.837", inbox / "claims_837")
    shutil.copy(ACKS / "resubmit_0610.837", inbox / "claims_837")
    (inbox / "acknowledgments").mkdir()
    for f in ACKS.iterdir():
        if f.suffix in (".txt", ".999"):
            shutil.copy(f, inbox / "acknowledgments")
    return inbox


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("acks")
    warehouse = tmp / "warehouse.duckdb"
    report = load_into(_inbox(tmp), warehouse)
    dbt_build(
        ["--vars", f"{{as_of_date: '{AS_OF}'}}", "--exclude", "test_type:unit"], warehouse, tmp
    )
    return warehouse, {f.file_name: f for f in report.files}


REJECTION_COLUMNS = (
    "claim_id, patient_id, payer_id, service_date::varchar, submitted_date::varchar, source,"
    " level, line_number, rejected_on::varchar, category_code, status_code, entity_code,"
    " reason, charge_amount, status, timely_filing_deadline::varchar, days_to_timely_filing,"
    " rejecter"
)


def test_claim_rejections_one_row_per_rejected_submission_and_reason(built):
    warehouse, _ = built
    got = q(
        warehouse,
        f"select {REJECTION_COLUMNS} from marts.claim_rejections"
        " order by claim_id, rejected_on, level, error_element, status_code",
    )
    c1650, c1300, c900 = Decimal("1650.00"), Decimal("1300.00"), Decimal("900.00")
    pay1 = ("P001", "PAY1", "2026-06-01")
    assert got == [
        # CSV claim C100: its 2026-06-29 replacement of line 1 rejected (no 837 loaded: the
        # newest submission on or before the 277CA's date)
        ("C100", *pay1, "2026-06-29", "277CA", "claim", None, "2026-07-01", "A3", "453", None,
         "procedure modifier missing or invalid", c1300, "open", "2027-06-01", 321, "payer"),
        # C200: two claim-level composites (STC01, STC10) and its line 2 (2220D REF*FJ)
        ("C200", *pay1, "2026-06-03", "277CA", "claim", None, "2026-06-05", "A7", "128", "85",
         "billing provider tax id missing or invalid", c1650, "resubmitted", "2027-06-01", 321,
         "payer"),
        ("C200", *pay1, "2026-06-03", "277CA", "claim", None, "2026-06-05", "A7", "562", "85",
         "billing provider NPI missing or invalid", c1650, "resubmitted", "2027-06-01", 321,
         "payer"),
        ("C200", *pay1, "2026-06-03", "277CA", "line", 2, "2026-06-05", "A7", "453", None,
         "procedure modifier missing or invalid", c1650, "resubmitted", "2027-06-01", 321,
         "payer"),
        # its resubmission: the 2200C of its billing provider rejected (the 2200D repeats the
        # same reason: listed once, at provider level); the other provider's C204 passes
        ("C200", *pay1, "2026-06-10", "277CA", "provider", None, "2026-06-12", "A6", "562", "85",
         "billing provider NPI missing or invalid", c1650, "open", "2027-06-01", 321, "payer"),
        # C202: the 999 rejects its transaction (IK5 R) with two IK3 and an IK4 error;
        # the AK9 P (partially accepted) rejects nothing else
        ("C202", "XJ99", "PAY2", "2026-06-02", "2026-06-03", "999", "transaction", None,
         "2026-06-03", "R", "3", None, "required segment missing", c900, "open",
         "2026-08-31", 47, "clearinghouse"),
        ("C202", "XJ99", "PAY2", "2026-06-02", "2026-06-03", "999", "transaction", None,
         "2026-06-03", "R", "8", None, "segment has element errors", c900, "open",
         "2026-08-31", 47, "clearinghouse"),
        ("C202", "XJ99", "PAY2", "2026-06-02", "2026-06-03", "999", "transaction", None,
         "2026-06-03", "R", "7", None, "invalid code value", c900, "open",
         "2026-08-31", 47, "clearinghouse"),
        ("C202", "XJ99", "PAY2", "2026-06-02", "2026-06-03", "999", "transaction", None,
         "2026-06-03", "R", "5", None, "one or more segments in error", c900, "open",
         "2026-08-31", 47, "clearinghouse"),
        # C206: the clearinghouse rejects the whole 837 transaction (2200B)
        ("C206", "P002", "PAY2", "2026-06-09", "2026-06-10", "277CA", "transaction", None,
         "2026-06-12", "A3", "24", "41", "submitter not approved for electronic claims", c900,
         "open", "2026-09-07", 54, "clearinghouse"),
    ]  # fmt: skip


def test_unmatched_acknowledgments_are_kept_and_listed(built):
    warehouse, files = built
    assert files["999_unknown_group.999"].status == "loaded"
    got = q(
        warehouse,
        "select source, file_name, answer_level, answer_reference, is_rejection"
        " from marts.acknowledgments_unmatched order by file_name, answer_key",
    )
    assert got == [
        ("277CA", "277ca_csv_claims.txt", "claim", "837 batch PMBATCH0603, claim C999", True),
        ("999", "999_unknown_group.999", "transaction",
         "functional group 4471, transaction 0001", False),
        ("999", "999_unknown_group.999", "group", "functional group 4471", False),
    ]  # fmt: skip
    # its segments are all in raw
    kept = q(
        warehouse,
        "select count(*) from raw.x12_segments where file_name = '999_unknown_group.999'",
    )
    assert kept == [(10,)]


def test_every_claim_acknowledged_and_the_accepted_one_is_no_rejection(built):
    warehouse, _ = built
    # C204 was acknowledged (999 A, 277CA A2) and not rejected
    assert q(warehouse, "select count(*) from marts.claim_rejections where claim_id = 'C204'") == [
        (0,)
    ]
    got = q(
        warehouse,
        "select distinct source, category_code from intermediate.int_acknowledgment_answers_matched"
        " where claim_id = 'C204' order by 1, 2",
    )
    assert got == [("277CA", "A1"), ("277CA", "A2"), ("999", "A")]


def test_a_rejected_replacement_leaves_the_version_before_it_standing(built):
    warehouse, _ = built
    # C100 line 1: the 2026-06-29 replacement (1300.00) was rejected on 2026-07-01, so the
    # 2026-06-03 version (1200.00) is the claim's current version
    got = q(
        warehouse,
        "select line_number, submitted_date::varchar, charge_amount from staging.stg_pm__claims"
        " where claim_id = 'C100' order by 1",
    )
    assert got == [(1, "2026-06-03", Decimal("1200.00")), (2, "2026-06-03", Decimal("450.00"))]
    # the CSV claim's acceptance matched by the claim fallback (no 837 named)
    got = q(
        warehouse,
        "select submission_id, match_method, category_code from"
        " intermediate.int_acknowledgment_answers_matched where claim_id = 'C100'"
        " and level = 'claim' order by 1",
    )
    assert got == [
        ("csv/C100/2026-06-03", "claim_fallback", "A2"),
        ("csv/C100/2026-06-29", "claim_fallback", "A3"),
    ]


def test_ar_worklist_fix_rejection(built):
    warehouse, _ = built
    got = q(
        warehouse,
        "select claim_id, submitted_date::varchar, open_balance, age_days, next_action,"
        " timely_filing_deadline::varchar, days_to_timely_filing, priority_reason"
        " from marts.ar_worklist order by priority_rank",
    )
    assert got == [
        ("C100", "2026-06-03", Decimal("1650.00"), 16, "fix_rejection", "2027-06-01", 321,
         "Rejected 2026-07-01 by the payer: procedure modifier missing or invalid; timely"
         " filing ends 2027-06-01 (321 days); $1,650.00 open."),
        ("C200", "2026-06-10", Decimal("1650.00"), 35, "fix_rejection", "2027-06-01", 321,
         "Rejected 2026-06-12 by the payer: billing provider NPI missing or invalid; timely"
         " filing ends 2027-06-01 (321 days); $1,650.00 open."),
        ("C202", "2026-06-03", Decimal("900.00"), 42, "fix_rejection", "2026-08-31", 47,
         "Rejected 2026-06-03 by the clearinghouse: required segment missing; timely filing"
         " ends 2026-08-31 (47 days); $900.00 open."),
        # acknowledged and accepted: worked as before
        ("C204", "2026-06-10", Decimal("900.00"), 35, "portal_status_check", "2026-09-06", 53,
         "Submitted 2026-06-10 (35 days ago); no answer yet; check the payer portal;"
         " $900.00 open."),
        ("C206", "2026-06-10", Decimal("900.00"), 35, "fix_rejection", "2026-09-07", 54,
         "Rejected 2026-06-12 by the clearinghouse: submitter not approved for electronic"
         " claims; timely filing ends 2026-09-07 (54 days); $900.00 open."),
    ]  # fmt: skip


def test_practice_kpis_claims_acknowledged_and_front_end_rejection_rate(built):
    warehouse, _ = built
    # June: C100 (first answered 2026-06-20, accepted), C200 (999 accepted 06-03, then the
    # 277CA rejected that submission 06-05, before its resubmission 06-10), C202 (999
    # rejected), C204 (accepted), C206 (277CA rejected): 3 of 5
    got = q(
        warehouse,
        "select month::varchar, claims_acknowledged, front_end_rejection_rate"
        " from marts.practice_kpis order by 1",
    )
    assert got == [("2026-06-01", 5, Decimal("60.00")), ("2026-07-01", 0, Decimal("0.00"))]


def test_as_of_before_the_acknowledgments_knows_none(tmp_path_factory, built):
    """rules.md: acknowledgments are known by their date. As of 2026-06-04 only the 999 of
    2026-06-03 is known: C202 is rejected, C200 not yet (its 277CA came 2026-06-05)."""
    warehouse, _ = built
    tmp = tmp_path_factory.mktemp("acks_as_of")
    copy = tmp / "warehouse.duckdb"
    shutil.copy(warehouse, copy)
    result = run_dbt(
        [
            "build",
            "--select",
            "+claim_rejections",
            "--exclude",
            "test_type:unit",
            "--vars",
            "{as_of_date: '2026-06-04'}",
        ],
        copy,
        tmp,
    )
    assert result.success
    got = q(copy, "select distinct claim_id, rejected_on::varchar from marts.claim_rejections")
    assert got == [("C202", "2026-06-03")]
