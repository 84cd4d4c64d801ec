"""Column maps (INPUTS.md "Column maps"): each rule and each error on a tiny inbox."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import pytest

from ingest.column_maps import MapError, load_maps
from ingest.inbox import load_inbox

PAYERS = (
    "payer_id,payer_name,payer_type,timely_filing_days,appeal_window_days,"
    "mppr_secondary_pct,bilateral_pct,bilateral_billing\n"
    "COM1,Blue Cross,commercial,90,180,50,150,modifier_50\n"
    "MCR_TX,Medicare,medicare_ffs,365,120,50,150,modifier_50\n"
)
NPI = "1234567893"

CLAIMS_MAP = """
source: "charge detail export of our PM system"
date_format: "%m/%d/%Y"
columns:
  claim_id: "Claim #"
  line_number: "Ln"
  patient_id: "Chart Number"
  service_date: "DOS"
  submitted_date: "Billed"
  procedure_code: "CPT"
  modifiers: ["Mod1", "Mod2", "Mod3", "Mod4"]
  diagnosis_codes: ["Dx1", "Dx2"]
  charge_amount: "Charges"
  payer_id: "Primary Insurance"
  rendering_npi: "Provider NPI"
values:
  payer_id: {"BLUE CROSS PPO": COM1, "MEDICARE B TX": MCR_TX}
  modifiers: {lt: LT, "NONE": null}
constants:
  place_of_service: "11"
"""
CLAIMS_HEADER = (
    "Claim #,Ln,Chart Number,DOS,Billed,CPT,Mod1,Mod2,Mod3,Mod4,Dx1,Dx2,Charges,"
    "Primary Insurance,Provider NPI,UNITS,Entered By"
)


def claim_row(**over: str) -> str:
    row = {
        "claim": "C1",
        "ln": "1",
        "chart": "P1",
        "dos": "3/5/2026",
        "billed": "03/06/2026",
        "cpt": "64483",
        "mods": ",,,",
        "dx": "M54.16,",
        "charges": '"$1,234.50"',  # quoted: the thousands comma
        "payer": "Blue Cross PPO",
        "npi": NPI,
        "units": "1",
        "by": "jdoe",
    } | over
    return ",".join(row.values())


def write_inbox(root: Path, maps: dict[str, str], files: dict[str, str | bytes]) -> Path:
    inbox = root / "inbox"
    (inbox / "_maps").mkdir(parents=True, exist_ok=True)
    (inbox / "payers").mkdir(exist_ok=True)
    (inbox / "payers" / "payers_2026-01-01.csv").write_text(PAYERS)
    for kind, text in maps.items():
        (inbox / "_maps" / f"{kind}.yml").write_text(text)
    for rel, content in files.items():
        path = inbox / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return inbox


def claims_inbox(tmp_path: Path, *rows: str, map_text: str = CLAIMS_MAP) -> Path:
    body = "\n".join([CLAIMS_HEADER, *rows]) + "\n"
    return write_inbox(tmp_path, {"claims": map_text}, {"claims/claims_2026-03-31.csv": body})


@pytest.fixture
def con():
    c = duckdb.connect()
    yield c
    c.close()


def claims(con, *cols: str) -> list[tuple]:
    return con.execute(f"select {', '.join(cols)} from raw.claims order by _row_number").fetchall()


def reasons(con) -> list[tuple]:
    return con.execute("select row_number, reason from raw.quarantine order by all").fetchall()


# --- rules -------------------------------------------------------------------------------


def test_renames_dates_money_lists_values_constants(tmp_path, con):
    inbox = claims_inbox(
        tmp_path,
        claim_row(mods="lt,50,,", dx="M54.16,M47.816"),
        claim_row(ln="2", charges="$12.50", payer=" medicare b tx ", mods="none,,,"),
        claim_row(ln="3", charges="1234.5", payer="MCR_TX"),
    )
    report = load_inbox(inbox, con)
    assert [f.status for f in report.files] == ["loaded", "loaded"]
    assert claims(
        con,
        "claim_id",
        "line_number",
        "service_date",
        "submitted_date",
        "modifiers",
        "diagnosis_codes",
        "charge_amount",
        "payer_id",
        "place_of_service",
        "units",
    ) == [
        ("C1", "1", "2026-03-05", "2026-03-06", "LT 50", "M54.16 M47.816", "1234.50", "COM1", "11",
         "1"),
        ("C1", "2", "2026-03-05", "2026-03-06", None, "M54.16", "12.50", "MCR_TX", "11", "1"),
        # A canonical payer_id passes; a plain amount stays as sent.
        ("C1", "3", "2026-03-05", "2026-03-06", None, "M54.16", "1234.5", "MCR_TX", "11", "1"),
    ]  # fmt: skip


def test_unused_source_columns_kept_and_map_hash_logged(tmp_path, con):
    inbox = claims_inbox(tmp_path, claim_row())
    load_inbox(inbox, con)
    assert claims(con, "_extra_columns") == [
        (json.dumps({"Entered By": "jdoe"}, separators=(",", ":")),)
    ]
    logged = con.execute(
        "select map_sha256, map_source, message from raw.load_log where kind = 'claims'"
    ).fetchone()
    assert logged[0] == hashlib.sha256(CLAIMS_MAP.encode()).hexdigest()
    assert logged[1] == "charge detail export of our PM system"
    assert "read through _maps/claims.yml" in logged[2]
    payers = con.execute("select map_sha256 from raw.load_log where kind = 'payers'").fetchone()
    assert payers == (None,)


def test_headers_match_trimmed_case_insensitive_with_bom_and_fallback(tmp_path, con):
    # No map entry for units: the header `UNITS` falls back to the canonical name.
    header = CLAIMS_HEADER.replace("Claim #", " CLAIM # ").replace("DOS", "dos")
    body = ("\ufeff" + header + "\n" + claim_row() + "\n").encode("utf-8")
    inbox = write_inbox(tmp_path, {"claims": CLAIMS_MAP}, {"claims/c_2026-03-31.csv": body})
    load_inbox(inbox, con)
    assert claims(con, "claim_id", "service_date", "units") == [("C1", "2026-03-05", "1")]


def test_date_format_only_for_date_columns_and_constants_untouched(tmp_path, con):
    text = CLAIMS_MAP.replace(
        'place_of_service: "11"', 'place_of_service: "11"\n  prior_auth_number: "03/05/2026"'
    )
    inbox = claims_inbox(tmp_path, claim_row(chart="03/05/2026"), map_text=text)
    load_inbox(inbox, con)
    assert claims(con, "patient_id", "prior_auth_number") == [("03/05/2026", "03/05/2026")]


def test_list_separator_splits_one_cell(tmp_path, con):
    text = CLAIMS_MAP.replace('diagnosis_codes: ["Dx1", "Dx2"]', 'diagnosis_codes: "Dx1"')
    text += 'list_separator: ","\n'
    inbox = claims_inbox(tmp_path, claim_row(dx='"M54.16, M47.816,",'))
    (inbox / "_maps" / "claims.yml").write_text(text)
    load_inbox(inbox, con)
    assert claims(con, "diagnosis_codes", "_extra_columns") == [
        ("M54.16 M47.816", '{"Dx2":null,"Entered By":"jdoe"}')
    ]


def test_pos_gets_its_leading_zero(tmp_path, con):
    text = CLAIMS_MAP.replace('constants:\n  place_of_service: "11"', "")
    text = text.replace(
        'rendering_npi: "Provider NPI"', 'rendering_npi: "Provider NPI"\n  place_of_service: POS'
    )
    header = CLAIMS_HEADER + ",POS"
    rows = [claim_row() + ",2", claim_row(ln="2") + ",11"]
    inbox = write_inbox(
        tmp_path, {"claims": text}, {"claims/c_2026-03-31.csv": "\n".join([header, *rows]) + "\n"}
    )
    load_inbox(inbox, con)
    assert claims(con, "place_of_service") == [("02",), ("11",)]


def test_delimiter_and_cp1252(tmp_path, con):
    text = CLAIMS_MAP + 'delimiter: ";"\nencoding: cp1252\n'
    row = claim_row(by="Muñoz – desk", charges="$1,234.50")
    body = "\n".join([CLAIMS_HEADER, row.replace(",", ";").replace("1;234", "1,234")]) + "\n"
    body = body.replace(CLAIMS_HEADER, CLAIMS_HEADER.replace(",", ";"))
    files = {"claims/c_2026-03-31.csv": body.encode("cp1252")}
    inbox = write_inbox(tmp_path, {"claims": text}, files)
    report = load_inbox(inbox, con)
    assert report.files[-1].status == "loaded"
    assert claims(con, "charge_amount", "_extra_columns") == [
        ("1234.50", '{"Entered By":"Muñoz – desk"}')
    ]


def test_without_a_map_a_pm_export_is_rejected_as_before(tmp_path, con):
    inbox = claims_inbox(tmp_path, claim_row())
    (inbox / "_maps" / "claims.yml").unlink()
    report = load_inbox(inbox, con)
    assert report.files[-1].status == "rejected"
    assert "missing required column(s): claim_id" in report.files[-1].message


# --- errors ------------------------------------------------------------------------------


def test_unmapped_source_values_quarantine_the_row_naming_them(tmp_path, con):
    inbox = claims_inbox(
        tmp_path,
        claim_row(),
        claim_row(ln="2", payer="AETNA HMO"),
        claim_row(ln="3", dos="13/45/2026"),
        claim_row(ln="4", charges='"12,50"'),
    )
    report = load_inbox(inbox, con)
    assert report.files[-1].status == "loaded_with_quarantine"
    assert claims(con, "line_number") == [("1",)]
    got = dict(reasons(con))
    assert "payer_id 'AETNA HMO' is not in the values of _maps/claims.yml" in got[2]
    assert "service_date '13/45/2026' is not a date in the map's date_format %m/%d/%Y" in got[3]
    assert "charge_amount '12,50' is not an amount" in got[4]
    # One reason per cell: the map's wins over the ISO/plain-decimal rule.
    assert "YYYY-MM-DD" not in got[3] and "plain decimal" not in got[4]


def test_unmapped_enum_value_fails_validation_naming_it(tmp_path, con):
    amap = """
columns: {appointment_id: Appt, status: "Appt Status"}
values: {status: {"Checked Out": completed, "No Show": no_show}}
"""
    header = (
        "Appt,line_number,patient_id,payer_id,rendering_npi,service_state,place_of_service,"
        "scheduled_on,service_date,Appt Status,procedure_code,units"
    )
    base = f"A1,1,P1,COM1,{NPI},TX,11,2026-03-01,2026-03-05,{{}},64483,1"
    body = "\n".join([header, base.format("checked out"), base.format("Bumped")]) + "\n"
    inbox = write_inbox(tmp_path, {"appointments": amap}, {"appointments/a_2026-03-31.csv": body})
    load_inbox(inbox, con)
    assert con.execute("select status from raw.appointments").fetchall() == [("completed",)]
    assert reasons(con) == [
        (2, "row 2: status 'Bumped' is not one of scheduled, completed, cancelled, no_show")
    ]


def test_a_header_the_file_lacks_rejects_the_file_naming_both(tmp_path, con):
    inbox = claims_inbox(tmp_path, claim_row())
    text = CLAIMS_MAP.replace('"Chart Number"', '"Chart No"')
    (inbox / "_maps" / "claims.yml").write_text(text)
    report = load_inbox(inbox, con)
    assert report.files[-1].status == "rejected"
    assert report.files[-1].message == (
        "the map _maps/claims.yml names header 'Chart No' for patient_id, "
        "but the file has no such column"
    )
    assert con.execute("select count(*) from raw.claims").fetchone() == (0,)

    # Fixing the map reads the same file again; the unchanged map does not.
    (inbox / "_maps" / "claims.yml").write_text(CLAIMS_MAP)
    assert load_inbox(inbox, con).files[-1].status == "loaded"
    assert load_inbox(inbox, con).files[-1].status == "duplicate"
    assert claims(con, "claim_id") == [("C1",)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("columns: [oops\n", "_maps/claims.yml: line 2: not valid YAML"),
        (
            "columns:\n  claim_idd: Claim\n",
            "_maps/claims.yml: columns.claim_idd: unknown canonical column of claims",
        ),
        ("values:\n  payer: {a: b}\n", "_maps/claims.yml: values.payer: unknown canonical column"),
        ("constants:\n  pos: '11'\n", "_maps/claims.yml: constants.pos: unknown canonical column"),
        ("colums:\n  claim_id: Claim\n", "_maps/claims.yml: colums: unknown key"),
        ("delimiter: ':'\n", "_maps/claims.yml: delimiter:"),
        ("encoding: utf-16\n", "_maps/claims.yml: encoding:"),
        (
            "columns:\n  claim_id: [A, B]\n",
            "_maps/claims.yml: columns.claim_id: several source headers",
        ),
        (
            "constants:\n  claim_id: null\n",
            "_maps/claims.yml: constants.claim_id: a required column",
        ),
    ],
)
def test_a_wrong_map_stops_the_ingest_with_one_line(tmp_path, con, text, expected):
    inbox = claims_inbox(tmp_path, claim_row(), map_text=text)
    with pytest.raises(MapError) as caught:
        load_inbox(inbox, con)
    message = str(caught.value)
    assert message.startswith(expected)
    assert "\n" not in message
    # Nothing half-loaded: not even the payers, which need no map.
    assert con.execute(
        "select count(*) from duckdb_tables() where schema_name = 'raw'"
    ).fetchone() == (0,)


def test_a_map_for_no_kind_and_a_yaml_suffix_are_errors(tmp_path):
    inbox = write_inbox(tmp_path, {"claim": "source: x\n"}, {})
    with pytest.raises(MapError, match="_maps/claim.yml: no extract kind 'claim'"):
        load_maps(inbox)
    (inbox / "_maps" / "claim.yml").rename(inbox / "_maps" / "claims.yaml")
    with pytest.raises(MapError, match="rename it claims.yml"):
        load_maps(inbox)


def test_yaml_scalars_stay_text(tmp_path):
    inbox = write_inbox(
        tmp_path,
        {
            "appointments": "values:\n  status: {No: no_show, Y: completed}\n"
            "constants:\n  place_of_service: 011\n"
        },
        {},
    )
    cmap = load_maps(inbox)["appointments"]
    assert cmap.values["status"] == {"no": "no_show", "y": "completed"}
    assert cmap.constants["place_of_service"] == "011"


def test_the_maps_folder_is_not_an_unknown_folder(tmp_path, con):
    inbox = claims_inbox(tmp_path, claim_row())
    report = load_inbox(inbox, con)
    assert [f.status for f in report.files if f.status == "ignored"] == []


def test_rows_a_map_quarantined_load_once_the_map_is_fixed(tmp_path, con):
    inbox = claims_inbox(tmp_path, claim_row(), claim_row(ln="2", payer="AETNA HMO"))
    assert load_inbox(inbox, con).files[-1].status == "loaded_with_quarantine"
    fixed = CLAIMS_MAP.replace(
        '"MEDICARE B TX": MCR_TX', '"MEDICARE B TX": MCR_TX, "AETNA HMO": COM1'
    )
    (inbox / "_maps" / "claims.yml").write_text(fixed)
    assert load_inbox(inbox, con).files[-1].status == "loaded"
    # The row loaded before comes again as a newer version of its key (same values).
    assert claims(con, "line_number", "payer_id") == [("1", "COM1"), ("1", "COM1"), ("2", "COM1")]


def test_an_unchanged_file_is_read_again_when_its_map_changes(tmp_path, con, monkeypatch):
    """The skip of unchanged files (ingest/known_files.py) keeps the map rule: a file
    quarantined under one map is read again under a new one; the unchanged others are not."""
    import os
    import time

    from ingest import inbox as inbox_module

    inbox = claims_inbox(tmp_path, claim_row(), claim_row(ln="2", payer="AETNA HMO"))
    hour_ago = time.time() - 3600
    for path in inbox.rglob("*.csv"):
        os.utime(path, (hour_ago, hour_ago))
    assert load_inbox(inbox, con).files[-1].status == "loaded_with_quarantine"
    read: list[str] = []
    real = inbox_module._read
    monkeypatch.setattr(inbox_module, "_read", lambda p: read.append(p.name) or real(p))
    assert load_inbox(inbox, con).files[-1].status == "duplicate"
    assert read == []
    fixed = CLAIMS_MAP.replace(
        '"MEDICARE B TX": MCR_TX', '"MEDICARE B TX": MCR_TX, "AETNA HMO": COM1'
    )
    (inbox / "_maps" / "claims.yml").write_text(fixed)
    assert load_inbox(inbox, con).files[-1].status == "loaded"
    assert read == ["claims_2026-03-31.csv"]


@pytest.mark.parametrize(
    ("cell", "loaded"),
    [
        ("$1,234,567.89", "1234567.89"),
        ("(12.50)", "-12.50"),
        ("($12.50)", "-12.50"),
        ("-$12.50", "-12.50"),
        ("$-12.50", "-12.50"),
        (" $ 40 ", "40"),
        ("0.00", "0.00"),
        ("1,23", None),
        ("12,5000.00", None),
        ("--5", None),
        ("(-5)", None),
        ("$", None),
        ("12.50-", None),
        ("1e3", None),
    ],
)
def test_money(tmp_path, con, cell, loaded):
    inbox = claims_inbox(tmp_path, claim_row(charges=f'"{cell}"'))
    load_inbox(inbox, con)
    if loaded and loaded.startswith("-"):
        # Read as a negative amount, which a charge may not be (INPUTS: money >= 0 but the
        # ledger's): the row is quarantined naming the amount the map read.
        assert claims(con, "charge_amount") == []
        assert [r for _, r in reasons(con)] == [
            f"row 1: charge_amount '{loaded}' is negative: this amount must be >= 0"
        ]
        return
    assert claims(con, "charge_amount") == ([(loaded,)] if loaded else [])
    if loaded is None:
        rule = "is not an amount like 1234.50, $1,234.50 or (12.50)"
        assert reasons(con) == [(1, f"row 1: charge_amount '{cell}' {rule}")]


def test_a_warehouse_from_before_maps_gets_the_load_log_columns(tmp_path, con):
    con.execute("create schema raw")
    con.execute(
        "create table raw.load_log (load_id VARCHAR, kind VARCHAR, file_name VARCHAR, "
        "file_path VARCHAR, file_sha256 VARCHAR, file_bytes BIGINT, rows_loaded INTEGER, "
        "rows_quarantined INTEGER, status VARCHAR, message VARCHAR, extra_columns VARCHAR, "
        "loaded_at TIMESTAMP)"
    )
    con.execute("insert into raw.load_log (load_id, kind) values ('old', 'claims')")
    load_inbox(claims_inbox(tmp_path, claim_row()), con)
    rows = con.execute(
        "select load_id, kind, map_source from raw.load_log order by loaded_at nulls first"
    ).fetchall()
    assert rows[0] == ("old", "claims", None)
    assert rows[-1][1:] == ("claims", "charge detail export of our PM system")
