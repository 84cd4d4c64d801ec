"""dbt staging layer: a tiny raw warehouse built by hand, `dbt build --select staging`, and
the staging models checked row by row (dedup keeps the newest version, casts, CAS triplets,
SVC composites, remit_date fallback). Also: `dbt parse` and sqlfluff lint of staging."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from ingest.raw_tables import ensure_raw_tables
from ingest.remits import load_remit_file
from tests.dbt_warehouse import assert_sqlfluff_clean, build_staging_and_claims, query, run_dbt

pytestmark = pytest.mark.slow

# Two hand-written 835s. ERA_A: ISA16 ':' , BPR16 present, a payment with two lines (one
# line CAS with three triplets), a claim-level reversal, a secondary payment and a PLB.
# ERA_B: ISA16 '>', no BPR16 (remit_date falls back to DTM*405), a denied line recoded by
# the payer (SVC06).
ERA_A = (
    (
        "ISA*00*          *00*          *ZZ*ACMEPAYER      *ZZ*PAINCLINIC     "
        "*260110*1200*^*00501*000000101*0*P*:~\n"
    )
    + """\
GS*HP*ACMEPAYER*PAINCLINIC*20260110*1200*101*X*005010X221A1~
ST*835*0001~
BPR*I*70.00*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*888888888*DA*654321*20260112~
TRN*1*EFT0001*1512345678~
DTM*405*20260110~
N1*PR*ACME HEALTH~
REF*2U*ACME01~
N1*PE*PAIN CLINIC*XX*1234567893~
LX*1~
CLP*C100*1*500.00*150.00*40.00*12*PCN0001*11*1~
NM1*QC*1*DOE*JANE****MI*M123~
NM1*82*1*SMITH*JOHN****XX*1234567893~
MOA***N130*M15~
REF*G1*AUTH77~
DTM*232*20260105~
DTM*233*20260105~
SVC*HC:64483:50*300.00*100.00**1~
DTM*472*20260105~
CAS*CO*45*150.00**253*2.00**59*8.00~
CAS*PR*1*40.00~
REF*6R*1~
AMT*B6*142.00~
LQ*HE*N130~
LQ*HE*M15~
SVC*HC:77003:26*200.00*50.00~
DTM*472*20260105~
CAS*CO*45*150.00~
REF*6R*2~
CLP*C099*22*-100.00*-80.00**12*PCN0009*11*1~
CAS*CO*45*-20.00~
CLP*C098*2*100.00*20.00*0*12*PCN0010*11*1~
PLB*1234567893*20261231*L6:INT123*-5.00*WO:REF9*25.00~
SE*32*0001~
GE*1*101~
IEA*1*000000101~
"""
)

ERA_B = (
    (
        "ISA*00*          *00*          *ZZ*OTHERPAYER     *ZZ*PAINCLINIC     "
        "*260215*1200*^*00501*000000202*0*P*>~\n"
    )
    + """\
GS*HP*OTHERPAYER*PAINCLINIC*20260215*1200*202*X*005010X221A1~
ST*835*0001~
BPR*H*0.00*C*NON~
TRN*1*NOPAY0202*1999999999~
DTM*405*20260215~
N1*PR*OTHER PAYER*XV*PAYB~
N1*PE*PAIN CLINIC*XX*1234567893~
LX*1~
CLP*C200*4*400.00*0.00*0*MB*PCN0200*11*1~
SVC*HC>64493>RT*400.00*0.00**1*HC>64493>LT~
DTM*472*20260201~
CAS*CO*197*400.00~
REF*6R*1~
SE*13*0001~
GE*1*202~
IEA*1*000000202~
"""
)

PAYER_COLUMNS = (
    "payer_id, payer_name, payer_type, x12_payer_id, parent_organization, timely_filing_days, "
    "appeal_window_days, mppr_secondary_pct, bilateral_pct, bilateral_billing, "
    "underpayment_tolerance, pa_report_id, _file_name, _file_sha256, _row_number, _loaded_at"
)
CLAIM_COLUMNS = (
    "claim_id, line_number, patient_id, payer_id, rendering_npi, appointment_id, service_date, "
    "submitted_date, procedure_code, modifiers, units, charge_amount, diagnosis_codes, "
    "prior_auth_number, place_of_service, _file_name, _file_sha256, _row_number, _loaded_at"
)
APPOINTMENT_COLUMNS = (
    "appointment_id, line_number, patient_id, payer_id, rendering_npi, service_state, "
    "place_of_service, scheduled_on, service_date, status, procedure_code, modifiers, units, "
    "levels, guidance_image_saved, psych_eval_documented, _file_name, _file_sha256, "
    "_row_number, _loaded_at"
)
T1 = datetime(2026, 1, 2, 8, 0)
T2 = datetime(2026, 2, 2, 8, 0)


def build_raw_warehouse(path: Path) -> None:
    """raw.* with a few CSV rows (two versions of some keys) and the two 835s above."""
    con = duckdb.connect(str(path))
    try:
        ensure_raw_tables(con)
        con.executemany(
            f"insert into raw.payers ({PAYER_COLUMNS}) values "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                # P1: the February file supersedes January (and drops the tolerance -> 1.00)
                (
                    "P1",
                    "Acme Old",
                    "commercial",
                    "ACME01",
                    None,
                    "90",
                    "180",
                    "50",
                    "150",
                    "modifier_50",
                    "5.00",
                    None,
                    "payers_2026-01-01.csv",
                    "a",
                    1,
                    T1,
                ),
                (
                    "P1",
                    "Acme Health",
                    "commercial",
                    "ACME01",
                    None,
                    "365",
                    "120",
                    "50",
                    "150",
                    "modifier_50",
                    None,
                    None,
                    "payers_2026-02-01.csv",
                    "b",
                    1,
                    T2,
                ),
                # P2: a later row of the same file wins over an earlier one
                (
                    "P2",
                    "Other v1",
                    "medicare_advantage",
                    "PAYB",
                    "Other Org",
                    "365",
                    "120",
                    "50",
                    "150",
                    "rt_lt",
                    "2.50",
                    "H1234",
                    "payers_2026-01-01.csv",
                    "a",
                    2,
                    T1,
                ),
                (
                    "P2",
                    "Other v2",
                    "medicare_advantage",
                    "PAYB",
                    "Other Org",
                    "365",
                    "120",
                    "62.5",
                    "150",
                    "rt_lt",
                    "2.50",
                    "H1234",
                    "payers_2026-01-01.csv",
                    "a",
                    3,
                    T1,
                ),
            ],
        )
        con.executemany(
            f"insert into raw.claims ({CLAIM_COLUMNS}) values "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    "C100",
                    "1",
                    "PT1",
                    "P1",
                    "1234567893",
                    "A1",
                    "2026-01-05",
                    "2026-01-06",
                    "64483",
                    "50",
                    "1",
                    "300.00",
                    "M54.16 M51.26",
                    "AUTH77",
                    "11",
                    "claims_2026-01-06.csv",
                    "c",
                    1,
                    T1,
                ),
                (
                    "C100",
                    "1",
                    "PT1",
                    "P1",
                    "1234567893",
                    "A1",
                    "2026-01-05",
                    "2026-02-10",
                    "64483",
                    "rt  lt",
                    "2",
                    "320.50",
                    "M54.17",
                    "AUTH77",
                    "11",
                    "claims_2026-02-10.csv",
                    "d",
                    1,
                    T2,
                ),
                (
                    "C100",
                    "2",
                    "PT1",
                    "P1",
                    "1234567893",
                    "A1",
                    "2026-01-05",
                    "2026-01-06",
                    "77003",
                    "26",
                    "1",
                    "200",
                    "M54.16",
                    None,
                    "11",
                    "claims_2026-01-06.csv",
                    "c",
                    2,
                    T1,
                ),
            ],
        )
        con.executemany(
            f"insert into raw.appointments ({APPOINTMENT_COLUMNS}) values "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    "A1",
                    "1",
                    "PT1",
                    "P1",
                    "1234567893",
                    "TX",
                    "11",
                    "2025-12-20",
                    "2026-01-05",
                    "completed",
                    "64483",
                    "50",
                    "1",
                    "l4-5 L5/S1",
                    "yes",
                    "N",
                    "appointments_2026-01-06.csv",
                    "e",
                    1,
                    T1,
                ),
            ],
        )
        con.execute(
            "insert into raw.payer_pa_metrics (parent_organization, report_year, "
            "pct_standard_approved, pct_standard_denied, pct_approved_after_appeal, "
            "pct_expedited_approved, pct_expedited_denied, avg_days_standard, "
            "avg_hours_expedited, source_url, _file_name, _file_sha256, _row_number, _loaded_at)"
            " values ('Other Org', '2026', '90.5', '9.5', '2.1', '95', '5', '6.5', '60', "
            "'https://example.org/pa', 'pa_2026.csv', 'f', 1, ?)",
            [T1],
        )
        for name, text in (("era_a.835", ERA_A), ("era_b.835", ERA_B)):
            data = text.encode()
            result = load_remit_file(con, Path(name), data, hashlib.sha256(data).hexdigest(), T2)
            assert result.status == "loaded", (name, result.message)
    finally:
        con.close()


@pytest.fixture(scope="module")
def staged(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("dbt_staging")
    warehouse = tmp / "warehouse.duckdb"
    build_raw_warehouse(warehouse)
    build_staging_and_claims(warehouse, tmp)
    return warehouse


def test_dedup_keeps_newest_version_and_defaults(staged):
    got = query(
        staged,
        "select payer_id, payer_name, timely_filing_days, mppr_secondary_pct, "
        "underpayment_tolerance, _file_name, _row_number, version_rank "
        "from staging.stg_pm__payers order by payer_id",
    )
    assert got == [
        (
            "P1",
            "Acme Health",
            365,
            Decimal("50.0000"),
            Decimal("1.00"),
            "payers_2026-02-01.csv",
            1,
            1,
        ),
        ("P2", "Other v2", 365, Decimal("62.5000"), Decimal("2.50"), "payers_2026-01-01.csv", 3, 1),
    ]


def test_claims_casts_lists_and_versions(staged):
    got = query(
        staged,
        "select claim_id, line_number, submitted_date, units, charge_amount, modifiers, "
        "modifier_list, diagnosis_code_list, version_count "
        "from staging.stg_pm__claims order by line_number",
    )
    assert got == [
        ("C100", 1, date(2026, 2, 10), 2, Decimal("320.50"), "RT LT", ["RT", "LT"], ["M54.17"], 2),
        ("C100", 2, date(2026, 1, 6), 1, Decimal("200.00"), "26", ["26"], ["M54.16"], 1),
    ]
    versions = query(
        staged,
        "select line_number, submitted_date, version_rank from staging.stg_pm__claim_versions "
        "order by line_number, version_rank",
    )
    assert versions == [
        (1, date(2026, 2, 10), 1),
        (1, date(2026, 1, 6), 2),
        (2, date(2026, 1, 6), 1),
    ]


def test_appointment_levels_and_bools(staged):
    got = query(
        staged,
        "select levels, level_list, guidance_image_saved, psych_eval_documented, service_date "
        "from staging.stg_pm__appointments",
    )
    assert got == [("L4-L5 L5-S1", ["L4-L5", "L5-S1"], True, False, date(2026, 1, 5))]


def test_pa_metrics_hours_to_days(staged):
    got = query(
        staged,
        "select avg_hours_expedited, avg_days_expedited, appeal_denominator, source_url "
        "from staging.stg_pm__payer_pa_metrics",
    )
    assert got == [
        (Decimal("60.0000"), Decimal("2.5000"), "all_requests", "https://example.org/pa")
    ]


def test_remittances_and_remit_date_fallback(staged):
    got = query(
        staged,
        "select file_name, payer_x12_id, payer_name, payee_id, transaction_handling_code, "
        "payment_amount, payment_date, production_date, remit_date, trace_number, version, "
        "se_count_ok, bpr_balanced from staging.stg_x12__remittances order by file_name",
    )
    assert got == [
        (
            "era_a.835",
            "ACME01",
            "ACME HEALTH",
            "1234567893",
            "I",
            Decimal("70.00"),
            date(2026, 1, 12),
            date(2026, 1, 10),
            date(2026, 1, 12),
            "EFT0001",
            "005010X221A1",
            True,
            True,
        ),
        (
            "era_b.835",
            "PAYB",
            "OTHER PAYER",
            "1234567893",
            "H",
            Decimal("0.00"),
            None,
            date(2026, 2, 15),
            date(2026, 2, 15),
            "NOPAY0202",
            "005010X221A1",
            True,
            True,
        ),
    ]


def test_claim_payments(staged):
    got = query(
        staged,
        "select claim_id, claim_status_code, charge_amount, paid_amount, "
        "patient_responsibility_amount, payer_claim_control_number, moa_remark_codes, "
        "prior_auth_number, statement_from_date, is_reversal, is_primary, remit_date "
        "from staging.stg_x12__claim_payments order by claim_id",
    )
    assert got == [
        (
            "C098",
            "2",
            Decimal("100.00"),
            Decimal("20.00"),
            Decimal("0.00"),
            "PCN0010",
            None,
            None,
            None,
            False,
            False,
            date(2026, 1, 12),
        ),
        (
            "C099",
            "22",
            Decimal("-100.00"),
            Decimal("-80.00"),
            None,
            "PCN0009",
            None,
            None,
            None,
            True,
            True,
            date(2026, 1, 12),
        ),
        (
            "C100",
            "1",
            Decimal("500.00"),
            Decimal("150.00"),
            Decimal("40.00"),
            "PCN0001",
            "N130 M15",
            "AUTH77",
            date(2026, 1, 5),
            False,
            True,
            date(2026, 1, 12),
        ),
        (
            "C200",
            "4",
            Decimal("400.00"),
            Decimal("0.00"),
            Decimal("0.00"),
            "PCN0200",
            None,
            None,
            None,
            False,
            True,
            date(2026, 2, 15),
        ),
    ]


def test_service_lines_split_composites(staged):
    got = query(
        staged,
        "select claim_id, line_ordinal, procedure_code_qualifier, procedure_code, modifiers, "
        "modifier_list, submitted_procedure_code, submitted_modifiers, charge_amount, "
        "paid_amount, units, line_control_number, allowed_amount, service_date, remark_codes "
        "from staging.stg_x12__service_lines order by claim_id, line_ordinal",
    )
    assert got == [
        (
            "C100",
            1,
            "HC",
            "64483",
            "50",
            ["50"],
            None,
            None,
            Decimal("300.00"),
            Decimal("100.00"),
            Decimal("1.000"),
            "1",
            Decimal("142.00"),
            date(2026, 1, 5),
            "N130 M15",
        ),
        (
            "C100",
            2,
            "HC",
            "77003",
            "26",
            ["26"],
            None,
            None,
            Decimal("200.00"),
            Decimal("50.00"),
            Decimal("1.000"),
            "2",
            None,
            date(2026, 1, 5),
            None,
        ),
        (
            "C200",
            1,
            "HC",
            "64493",
            "RT",
            ["RT"],
            "64493",
            "LT",
            Decimal("400.00"),
            Decimal("0.00"),
            Decimal("1.000"),
            "1",
            None,
            date(2026, 2, 1),
            None,
        ),
    ]


def test_adjustments_one_row_per_cas_triplet(staged):
    got = query(
        staged,
        "select claim_id, adjustment_level, group_code, carc, amount, triplet_index, "
        "svc_position is null from staging.stg_x12__adjustments "
        "order by claim_id, segment_position, triplet_index",
    )
    assert got == [
        ("C099", "claim", "CO", "45", Decimal("-20.00"), 1, True),
        ("C100", "line", "CO", "45", Decimal("150.00"), 1, False),
        ("C100", "line", "CO", "253", Decimal("2.00"), 2, False),
        ("C100", "line", "CO", "59", Decimal("8.00"), 3, False),
        ("C100", "line", "PR", "1", Decimal("40.00"), 1, False),
        ("C100", "line", "CO", "45", Decimal("150.00"), 1, False),
        ("C200", "line", "CO", "197", Decimal("400.00"), 1, False),
    ]


def test_provider_adjustments(staged):
    got = query(
        staged,
        "select provider_id, fiscal_period_date, adjustment_index, adjustment_reason_code, "
        "reference_id, amount from staging.stg_x12__provider_adjustments "
        "order by adjustment_index",
    )
    assert got == [
        ("1234567893", date(2026, 12, 31), 1, "L6", "INT123", Decimal("-5.00")),
        ("1234567893", date(2026, 12, 31), 2, "WO", "REF9", Decimal("25.00")),
    ]


def test_dbt_parse(tmp_path):
    result = run_dbt(["parse"], tmp_path / "parse.duckdb", tmp_path)
    assert result.success, result.exception


def test_sqlfluff_lint_staging(tmp_path):
    assert_sqlfluff_clean(["dbt_project/models/staging"], tmp_path)
