"""One CSV delivery -> raw.<kind> + raw.quarantine + raw.load_log (ingest/csv_extracts.py)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import csv_extracts
from ingest.csv_extracts import load_csv_file
from ingest.raw_tables import ensure_raw_tables
from ingest.schemas import EXTRACTS
from ingest.validate import npi_check_digit_ok

LOADED_AT = datetime(2026, 7, 1, 12, 30)
NPI_A = "1234567893"  # the worked example of CMS's NPI check-digit paper
NPI_B = "1245319599"

GOOD: dict[str, dict[str, str]] = {
    "claims": {
        "claim_id": "C1",
        "line_number": "1",
        "patient_id": "P001",
        "payer_id": "PAY1",
        "rendering_npi": NPI_A,
        "appointment_id": "A1",
        "service_date": "2026-06-01",
        "submitted_date": "2026-06-03",
        "procedure_code": "64483",
        "modifiers": "50",
        "units": "1",
        "charge_amount": "1200.00",
        "diagnosis_codes": "M54.16 M51.26",
        "prior_auth_number": "",
        "place_of_service": "11",
        "line_control_number": "1",
        "frequency_code": "1",
    },
    "appointments": {
        "appointment_id": "A1",
        "line_number": "1",
        "patient_id": "P001",
        "payer_id": "PAY1",
        "member_id": "1EG4TE5MK72",
        "rendering_npi": NPI_A,
        "service_state": "TX",
        "place_of_service": "11",
        "scheduled_on": "2026-05-01",
        "service_date": "2026-06-01",
        "status": "completed",
        "procedure_code": "64483",
        "modifiers": "",
        "units": "1",
        "spinal_region": "lumbar",
        "levels": "L4-L5",
        "laterality": "left",
        "guidance_modality": "fluoroscopy",
        "guidance_image_saved": "true",
        "conservative_therapy_weeks": "6",
        "pain_duration_weeks": "12",
        "relief_pct": "80",
        "relief_weeks": "4",
        "psych_eval_documented": "",
        "pain_score": "7",
        "auth_number": "",
    },
    "providers": {
        "npi": NPI_A,
        "provider_name": "Rivera, Ana MD",
        "practice_state": "TX",
        "license_expires_on": "2027-03-31",
        "dea_expires_on": "",
        "caqh_attested_on": "",
    },
    "care_time": {
        "activity_id": "T1",
        "patient_id": "P001",
        "payer_id": "PAY1",
        "rendering_npi": NPI_A,
        "activity_date": "2026-06-02",
        "minutes": "30",
        "in_person": "true",
        "activity": "care plan review",
    },
    "payers": {
        "payer_id": "PAY1",
        "payer_name": "Medicare",
        "payer_type": "medicare_ffs",
        "timely_filing_days": "365",
        "appeal_window_days": "120",
        "mppr_secondary_pct": "50",
        "bilateral_pct": "150",
        "bilateral_billing": "modifier_50",
        "underpayment_tolerance": "1.00",
    },
    "fee_schedules": {
        "payer_id": "PAY1",
        "procedure_code": "64483",
        "allowed_amount": "245.10",
        "effective_from": "2026-01-01",
    },
    "ledger": {
        "posting_id": "L1",
        "claim_id": "C1",
        "posted_date": "2026-06-20",
        "posting_type": "refund",
        "amount": "25.00",
    },
    "procedure_notes": {
        "note_id": "N1",
        "appointment_id": "A1",
        "patient_id": "P001",
        "author_npi": NPI_A,
        "signed_at": "2026-06-01",
        "note_text": "Left L4-L5 TFESI. PHI-MARKER",
    },
}


def line(values: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(values)
    return out.getvalue()[:-2]


def csv_text(header: list[str], rows: list[list[str]], eol: str = "\n") -> str:
    return eol.join([line(header), *(line(r) for r in rows)]) + eol


def rows_of(kind: str, *overrides: dict[str, str]) -> tuple[list[str], list[list[str]]]:
    """The header of GOOD[kind] and one row per override dict (applied to the good row)."""
    header = list(GOOD[kind])
    return header, [[{**GOOD[kind], **o}[c] for c in header] for o in overrides]


def load(con, kind: str, content: str | bytes, name: str | None = None):
    data = content.encode() if isinstance(content, str) else content
    sha = hashlib.sha256(data).hexdigest()
    path = Path("/inbox") / kind / (name or f"{kind}_2026-06-29.csv")
    return load_csv_file(con, kind, path, data, sha, LOADED_AT)


def table(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


@pytest.fixture
def con():
    connection = duckdb.connect()
    ensure_raw_tables(connection)
    yield connection
    connection.close()


# --- every value rule: the bad row is quarantined exactly, its neighbours load -----------

RULE_CASES = [
    ("claims", "claim_id", "", "claim_id is required but empty"),
    ("claims", "patient_id", "   ", "patient_id is required but empty"),
    ("claims", "service_date", "2026-13-01", "service_date '2026-13-01' {date}"),
    ("claims", "service_date", "2026-02-30", "service_date '2026-02-30' {date}"),
    ("claims", "service_date", "06/01/2026", "service_date '06/01/2026' {date}"),
    ("claims", "submitted_date", "2026-6-3", "submitted_date '2026-6-3' {date}"),
    ("claims", "units", "1.5", "units '1.5' is not a whole number"),
    ("claims", "units", "-1", "units '-1' is below the minimum 0"),
    ("claims", "units", "3000000000", "units '3000000000' is above the maximum 2147483647"),
    ("claims", "units", "9" * 30, f"units '{'9' * 30}' is out of range"),
    ("claims", "line_number", "0", "line_number '0' is below the minimum 1"),
    ("appointments", "pain_score", "11", "pain_score '11' is above the maximum 10"),
    ("appointments", "relief_pct", "101", "relief_pct '101' is above the maximum 100"),
    ("claims", "charge_amount", "$1200.00", "charge_amount '$1200.00' {money}"),
    ("claims", "charge_amount", "1,200.00", "charge_amount '1,200.00' {money}"),
    ("claims", "charge_amount", "1e3", "charge_amount '1e3' {money}"),
    ("claims", "charge_amount", "12.", "charge_amount '12.' {money}"),
    ("claims", "charge_amount", "NaN", "charge_amount 'NaN' {money}"),
    ("claims", "charge_amount", "-12.30", "charge_amount '-12.30' {negative}"),
    ("claims", "charge_amount", "-0.01", "charge_amount '-0.01' {negative}"),
    ("fee_schedules", "allowed_amount", "-245.10", "allowed_amount '-245.10' {negative}"),
    ("payers", "underpayment_tolerance", "-1", "underpayment_tolerance '-1' {negative}"),
    ("appointments", "status", "Completed", "status 'Completed' is not one of {statuses}"),
    (
        "appointments",
        "laterality",
        "both",
        "laterality 'both' is not one of left, right, bilateral",
    ),
    ("appointments", "guidance_image_saved", "maybe", "guidance_image_saved 'maybe' {bool}"),
    ("care_time", "in_person", "", "in_person is required but empty"),
    ("care_time", "in_person", "si", "in_person 'si' {bool}"),
    ("claims", "rendering_npi", "123456789", "rendering_npi '123456789' is not a 10-digit NPI"),
    ("claims", "rendering_npi", "12345678a3", "rendering_npi '12345678a3' is not a 10-digit NPI"),
    ("claims", "rendering_npi", "1234567890", "rendering_npi '1234567890' {luhn}"),
    ("providers", "practice_state", "tx", "practice_state 'tx' {state}"),
    ("providers", "practice_state", "TEX", "practice_state 'TEX' {state}"),
    ("providers", "license_expires_on", "2027-02-29", "license_expires_on '2027-02-29' {date}"),
    ("claims", "place_of_service", "1", "place_of_service '1' {pos}"),
    ("appointments", "place_of_service", "011", "place_of_service '011' {pos}"),
    ("procedure_notes", "signed_at", "yesterday", "signed_at 'yesterday' {date}"),
    ("procedure_notes", "note_text", "", "note_text is required but empty"),
]
RULE_TEXT = {
    "date": "is not a valid YYYY-MM-DD date",
    "money": "is not a plain decimal amount like 1234.50 (no $, commas or exponent)",
    "statuses": "scheduled, completed, cancelled, no_show",
    "bool": "is not a yes/no value (true/false, yes/no, y/n, 1/0)",
    "luhn": "fails the NPI check digit (Luhn with prefix 80840)",
    "state": "is not a 2-letter upper-case state",
    "pos": "is not a 2-digit place-of-service code",
    "negative": "is negative: this amount must be >= 0",
}


@pytest.mark.parametrize(("kind", "column", "value", "reason"), RULE_CASES)
def test_a_broken_rule_quarantines_exactly_that_row(con, kind, column, value, reason):
    header, rows = rows_of(kind, {}, {column: value}, {})
    text = csv_text(header, rows)
    result = load(con, kind, text, name=f"{kind}_x.csv")

    assert (result.status, result.rows_loaded, result.rows_quarantined) == (
        "loaded_with_quarantine",
        2,
        1,
    )
    sha = hashlib.sha256(text.encode()).hexdigest()
    expected_reason = "row 2: " + reason.format(**RULE_TEXT)
    assert table(con, "select * from raw.quarantine") == [
        (kind, f"{kind}_x.csv", sha, 2, None, expected_reason, line(rows[1]), LOADED_AT)
    ]
    assert table(con, f"select _row_number from raw.{kind} order by 1") == [(1,), (3,)]
    assert table(con, "select rows_loaded, rows_quarantined, status from raw.load_log") == [
        (2, 1, "loaded_with_quarantine")
    ]


GOOD_VALUES = [
    ("claims", "charge_amount", ["-0.00", "0", "1234.50", "007.10", "12.345"]),
    ("ledger", "amount", ["-12.30", "25.00", "0"]),  # a refund is negative
    ("claims", "units", ["0", "12", "2147483647"]),
    ("appointments", "guidance_image_saved", ["TRUE", "no", "Y", "n", "1", "0", "Yes", ""]),
    ("appointments", "place_of_service", ["02", "11", "24", "99"]),
    ("appointments", "pain_score", ["0", "10", ""]),
    ("claims", "rendering_npi", [NPI_A, NPI_B]),
    ("claims", "service_date", ["2024-02-29", "2026-12-31"]),
    ("claims", "procedure_code", ["0213T", "J1040", "64483"]),
]


@pytest.mark.parametrize(("kind", "column", "values"), GOOD_VALUES)
def test_valid_values_load_exactly_as_received(con, kind, column, values):
    header, rows = rows_of(kind, *({column: v} for v in values))
    result = load(con, kind, csv_text(header, rows))
    assert (result.status, result.rows_quarantined) == ("loaded", 0)
    stored = table(con, f'select "{column}" from raw.{kind} order by _row_number')
    assert stored == [(v if v != "" else None,) for v in values]


def test_every_problem_of_a_row_is_named_in_one_reason(con):
    header, rows = rows_of("claims", {"units": "x", "service_date": "2026-00-10"})
    load(con, "claims", csv_text(header, rows))
    assert table(con, "select reason from raw.quarantine") == [
        (
            "row 1: service_date '2026-00-10' is not a valid YYYY-MM-DD date; "
            "units 'x' is not a whole number",
        )
    ]


def test_rows_with_a_wrong_number_of_fields_are_quarantined_verbatim(con):
    header, rows = rows_of("claims", {}, {})
    good = line(rows[0])
    text = "\n".join([line(header), good, "C9,1,P001", good, good + ",surplus", good]) + "\n"
    result = load(con, "claims", text)

    assert (result.rows_loaded, result.rows_quarantined) == (3, 2)
    hint = "(a missing or extra comma, or a comma in an unquoted value)"
    assert table(con, "select row_number, reason, raw_record from raw.quarantine order by 1") == [
        (2, f"row 2: has 3 fields but the header has 17 {hint}", "C9,1,P001"),
        (4, f"row 4: has 18 fields but the header has 17 {hint}", good + ",surplus"),
    ]
    assert table(con, "select _row_number from raw.claims order by 1") == [(1,), (3,), (5,)]


# --- the file as a whole -----------------------------------------------------------------


def test_missing_required_column_rejects_the_whole_file(con):
    header, rows = rows_of("claims", {}, {})
    drop = {"units", "charge_amount"}
    keep = [i for i, c in enumerate(header) if c not in drop]
    text = csv_text([header[i] for i in keep], [[r[i] for i in keep] for r in rows])
    result = load(con, "claims", text)

    message = "missing required column(s): units, charge_amount"
    assert (result.status, result.rows_loaded, result.message) == ("rejected", 0, message)
    assert table(con, "select count(*) from raw.claims") == [(0,)]
    assert table(
        con, "select row_number, segment_position, reason, raw_record from raw.quarantine"
    ) == [(None, None, f"file rejected: {message}", line([header[i] for i in keep]))]
    assert table(con, "select status, message, rows_loaded from raw.load_log") == [
        ("rejected", message, 0)
    ]


def test_a_misspelt_required_column_is_named_with_the_unknown_one(con):
    header, rows = rows_of("claims", {})
    header = ["Units" if c == "units" else c for c in header]
    result = load(con, "claims", csv_text(header, rows))
    assert result.status == "rejected"
    assert result.message == (
        "missing required column(s): units (the header has unknown column(s): Units)"
    )


def test_absent_optional_columns_load_as_null(con):
    header, rows = rows_of("claims", {})
    keep = [i for i, c in enumerate(header) if c not in ("appointment_id", "modifiers")]
    result = load(con, "claims", csv_text([header[i] for i in keep], [[rows[0][i] for i in keep]]))
    assert result.status == "loaded"
    assert table(con, "select appointment_id, modifiers, claim_id from raw.claims") == [
        (None, None, "C1")
    ]


def test_lineage_and_columns_in_contract_order(con):
    header, rows = rows_of("claims", {})
    text = csv_text(list(reversed(header)), [list(reversed(rows[0]))])
    load(con, "claims", text, name="claims_2026-06-01.csv")
    got = con.execute("select * from raw.claims").fetchall()
    columns = [d[0] for d in con.description]
    assert columns == [
        *EXTRACTS["claims"].column_names,
        "_extra_columns",
        "_file_name",
        "_file_sha256",
        "_row_number",
        "_loaded_at",
    ]
    sha = hashlib.sha256(text.encode()).hexdigest()
    expected = [GOOD["claims"][c] or None for c in EXTRACTS["claims"].column_names]
    assert got == [(*expected, None, "claims_2026-06-01.csv", sha, 1, LOADED_AT)]


def test_bom_crlf_and_rfc4180_quoting(con):
    header, rows = rows_of(
        "providers",
        {"provider_name": 'Rivera, Ana "Annie" MD'},
        {"provider_name": "Chen\r\nLi DO", "npi": NPI_B},
    )
    data = b"\xef\xbb\xbf" + csv_text(header, rows, eol="\r\n").encode()
    result = load(con, "providers", data)
    assert (result.status, result.rows_loaded) == ("loaded", 2)
    assert table(con, "select npi, provider_name from raw.providers order by _row_number") == [
        (NPI_A, 'Rivera, Ana "Annie" MD'),
        (NPI_B, "Chen\r\nLi DO"),
    ]


def test_codes_keep_leading_zeros_and_dots(con):
    header, rows = rows_of(
        "claims",
        {"place_of_service": "02", "patient_id": "000123", "diagnosis_codes": "M54.16 G89.29"},
        {"place_of_service": "11", "procedure_code": "0213T", "line_number": "01"},
    )
    load(con, "claims", csv_text(header, rows))
    assert table(
        con,
        "select place_of_service, patient_id, diagnosis_codes, procedure_code, line_number "
        "from raw.claims order by _row_number",
    ) == [
        ("02", "000123", "M54.16 G89.29", "64483", "1"),
        ("11", "P001", "M54.16 M51.26", "0213T", "01"),
    ]


def test_cells_are_kept_untrimmed_and_empty_cells_are_null(con):
    header, rows = rows_of("claims", {"appointment_id": " A1 ", "prior_auth_number": '""'})
    text = csv_text(header, rows).replace('""""""', '""')
    load(con, "claims", text)
    assert table(con, "select appointment_id, prior_auth_number, modifiers from raw.claims") == [
        (" A1 ", None, "50")
    ]


def test_unknown_extra_columns_are_kept_and_reported(con):
    header, rows = rows_of("claims", {}, {})
    header = [*header, "resubmission_code", "Billing Note"]
    rows[0] += ["7", "rush"]
    rows[1] += ["", "x,y"]
    result = load(con, "claims", csv_text(header, rows))

    assert result.status == "loaded"
    assert result.extra_columns == ["resubmission_code", "Billing Note"]
    assert "resubmission_code, Billing Note" in result.message
    extras = table(con, "select _extra_columns from raw.claims order by _row_number")
    assert [json.loads(e) for (e,) in extras] == [
        {"resubmission_code": "7", "Billing Note": "rush"},
        {"resubmission_code": None, "Billing Note": "x,y"},
    ]
    assert table(con, "select extra_columns from raw.load_log") == [
        ("resubmission_code Billing Note",)
    ]


def test_a_corrected_redelivery_is_kept_beside_the_older_row(con):
    header, first = rows_of("claims", {"charge_amount": "1200.00"})
    _, second = rows_of("claims", {"charge_amount": "1300.00", "submitted_date": "2026-06-29"})
    load(con, "claims", csv_text(header, first), name="claims_2026-06-01.csv")
    load(con, "claims", csv_text(header, second), name="claims_2026-06-29.csv")
    assert table(
        con,
        "select claim_id, line_number, charge_amount, _file_name from raw.claims order by 4",
    ) == [
        ("C1", "1", "1200.00", "claims_2026-06-01.csv"),
        ("C1", "1", "1300.00", "claims_2026-06-29.csv"),
    ]


def test_empty_file_is_rejected(con):
    for content in (b"", b"\xef\xbb\xbf", b"\n\n"):
        result = load(con, "claims", content, name="empty.csv")
        assert (result.status, result.message) == (
            "rejected",
            "empty file: a header row is required",
        )
    assert table(con, "select count(*) from raw.quarantine where row_number is null") == [(3,)]


def test_a_blank_first_line_is_a_missing_header(con):
    header, rows = rows_of("claims", {})
    result = load(con, "claims", "\n" + csv_text(header, rows))
    assert (result.status, result.message) == (
        "rejected",
        "the first line is empty: a header row is required",
    )


def test_header_only_file_loads_nothing(con):
    header, _ = rows_of("claims")
    result = load(con, "claims", line(header) + "\n")
    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("loaded", 0, 0)
    assert table(con, "select count(*) from raw.claims") == [(0,)]
    assert table(con, "select status, rows_loaded from raw.load_log") == [("loaded", 0)]


def test_blank_lines_are_skipped_but_counted_in_row_numbers(con):
    header, rows = rows_of("claims", {}, {})
    text = line(header) + "\n" + line(rows[0]) + "\n\n" + line(rows[1]) + "\r\n\r\n"
    result = load(con, "claims", text)
    assert (result.rows_loaded, result.rows_quarantined) == (2, 0)
    assert table(con, "select _row_number from raw.claims order by 1") == [(1,), (3,)]


def test_a_last_line_without_line_break_loads(con):
    header, rows = rows_of("claims", {}, {})
    result = load(con, "claims", csv_text(header, rows).rstrip("\n"))
    assert result.rows_loaded == 2


def test_non_utf8_file_is_rejected(con):
    header, rows = rows_of("providers", {"provider_name": "Peña"})
    data = csv_text(header, rows).encode("latin-1")
    result = load(con, "providers", data)
    offset = data.index(b"\xf1")
    assert result.status == "rejected"
    assert result.message == (
        f"not UTF-8 text: byte 0xF1 on line 2 (offset {offset}); export the file as UTF-8"
    )
    assert table(con, "select raw_record from raw.quarantine") == [(None,)]


def test_utf8_text_is_kept(con):
    header, rows = rows_of("providers", {"provider_name": "Peña Núñez 李"})
    load(con, "providers", csv_text(header, rows).encode())
    assert table(con, "select provider_name from raw.providers") == [("Peña Núñez 李",)]


def test_duplicate_header_names_reject_the_file(con):
    header, rows = rows_of("claims", {})
    result = load(con, "claims", csv_text([*header, "units"], [[*rows[0], "2"]]))
    assert (result.status, result.message) == (
        "rejected",
        "duplicate column name(s) in the header: units",
    )
    assert table(con, "select count(*) from raw.claims") == [(0,)]


def test_a_nameless_header_column_rejects_the_file(con):
    header, rows = rows_of("claims", {})
    result = load(con, "claims", csv_text([*header, ""], [[*rows[0], ""]]))
    assert (result.status, result.message) == ("rejected", "header column(s) 18 have no name")


def test_header_names_are_trimmed(con):
    header, rows = rows_of("claims", {})
    result = load(con, "claims", csv_text([f" {h} " for h in header], rows))
    assert (result.status, result.extra_columns) == ("loaded", [])


def test_unterminated_quote_rejects_the_file_naming_the_line(con):
    header, rows = rows_of("claims", {}, {})
    text = csv_text(header, rows) + 'C3,1,"P001,PAY1\n'
    result = load(con, "claims", text)
    assert (result.status, result.message) == (
        "rejected",
        "not valid CSV (RFC 4180) at line 4: unexpected end of data",
    )


def test_a_stray_quote_in_an_unquoted_value_is_kept(con):
    # Not RFC 4180, but PM exports write inches this way; polars refuses it, csv reads it.
    header, rows = rows_of("procedure_notes", {}, {"note_text": "placeholder"})
    text = csv_text(header, rows).replace("placeholder", '3.5" spinal needle')
    result = load(con, "procedure_notes", text)
    assert (result.status, result.rows_loaded) == ("loaded", 2)
    assert table(con, "select note_text from raw.procedure_notes order by _row_number") == [
        ("Left L4-L5 TFESI. PHI-MARKER",),
        ('3.5" spinal needle',),
    ]


def test_note_text_never_appears_in_reasons_or_messages(con):
    note = 'Pt reports 8/10 pain, "SECRET-NOTE" follow-up'
    header, rows = rows_of(
        "procedure_notes",
        {"note_text": note, "signed_at": "2026-99-01"},
        {"note_text": note, "author_npi": "1234567890"},
        {"note_text": note},
    )
    text = csv_text(header, rows) + line(["N9", "A9", "P9", NPI_A, note]) + "\n"
    result = load(con, "procedure_notes", text)
    assert (result.rows_loaded, result.rows_quarantined) == (1, 3)
    # A note in the wrong column is still a note: the rules of the other columns that quote
    # values must not quote it either. Rejected files too.
    bad_header = csv_text([*header[:-1], "note"], [[*rows[0][:-1], note]])
    load(con, "procedure_notes", bad_header, name="b.csv")
    load(con, "procedure_notes", text.encode("utf-16"), name="c.csv")
    texts = [r for (r,) in table(con, "select reason from raw.quarantine")]
    texts += [m for (m,) in table(con, "select message from raw.load_log")]
    texts += [result.message]
    assert len(texts) == 9
    assert not [t for t in texts if "SECRET" in t]
    # The raw record keeps the note: it is the row as sent, in the local warehouse.
    assert table(con, "select count(*) from raw.quarantine where raw_record like '%SECRET%'") == [
        (3,)
    ]


def test_unknown_kind_is_a_programming_error(con):
    with pytest.raises(ValueError, match="unknown extract kind 'claim'"):
        load(con, "claim", "a\n1\n")


# --- the two tokenisers agree ------------------------------------------------------------

cells = st.text(alphabet=st.sampled_from(list('ab ,"\n\r\té1')), max_size=6)


@settings(max_examples=150, deadline=None)
@given(
    width=st.integers(1, 4),
    rows=st.lists(st.lists(cells, min_size=0, max_size=5), max_size=6),
    eol=st.sampled_from(["\n", "\r\n"]),
    final_eol=st.booleans(),
)
def test_fast_tokeniser_agrees_with_the_csv_module(width, rows, eol, final_eol):
    header = [f"h{i}" for i in range(width)]
    text = eol.join([line(header), *(line(r) if r else "" for r in rows)])
    if final_eol:
        text += eol
    data = text.encode()
    fast = csv_extracts._tokenise_fast(data)
    slow = csv_extracts._tokenise_python(text)
    if fast is None:
        # Allowed only where polars' own reading differs; the csv module then decides.
        return
    assert fast.header == slow.header
    assert fast.header_text == slow.header_text
    assert fast.rows.to_dicts() == slow.rows.to_dicts()
    assert fast.ragged == slow.ragged
    ragged = [r for r, _ in fast.ragged]
    assert fast.raw_text(ragged) == slow.raw_text(ragged)


def _without_lone_cr(text: str) -> str:
    # A CR not followed by LF is a line break to the csv module only (classic Mac files).
    return text.replace("\r\n", "\x00").replace("\r", "").replace("\x00", "\r\n")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab,"\n\r 5')), max_size=40))
def test_on_any_text_the_fast_tokeniser_never_disagrees(body):
    text = "h0,h1\n" + _without_lone_cr(body)
    fast = csv_extracts._tokenise_fast(text.encode())
    if fast is None:
        return
    slow = csv_extracts._tokenise_python(text)
    assert fast.rows.to_dicts() == slow.rows.to_dicts()
    assert fast.ragged == slow.ragged


# --- the NPI check digit -----------------------------------------------------------------


def reference_npi_check_digit(first9: str) -> str:
    """Luhn over 80840 + the nine digits, written out as in the CMS paper."""
    digits = [int(d) for d in "80840" + first9]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return str((10 - total % 10) % 10)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.integers(0, 9))
def test_npi_check_digit_matches_the_cms_luhn_rule(first9, check):
    npi = first9 + str(check)
    ok = pl.select(npi_check_digit_ok(pl.lit(npi))).item()
    assert ok == (str(check) == reference_npi_check_digit(first9))


def test_npi_examples():
    assert reference_npi_check_digit("123456789") == "3"
    ok = pl.DataFrame({"npi": [NPI_A, NPI_B, "1234567890", "1245319590"]}).select(
        npi_check_digit_ok(pl.col("npi"))
    )
    assert ok.to_series().to_list() == [True, True, False, False]
