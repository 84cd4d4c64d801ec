"""`painrcm map suggest`, `painrcm map check` and `painrcm generate --pm-style`."""

from __future__ import annotations

import duckdb
import pytest
from typer.testing import CliRunner

from ingest.column_maps import parse_map
from ingest.map_suggest import match_headers, suggest
from painrcm.cli import app
from tests.conftest import PRACTICE

runner = CliRunner()
ARGS = [
    "--seed",
    str(PRACTICE["seed"]),
    "--months",
    "2",
    "--providers",
    "2",
    "--claims-per-month",
    "20",
]


@pytest.fixture(scope="module")
def pm_inbox(tmp_path_factory):
    inbox = tmp_path_factory.mktemp("pm_cli") / "inbox"
    result = runner.invoke(app, ["generate", "--out", str(inbox), *ARGS, "--pm-style"])
    assert result.exit_code == 0, result.output
    return inbox


def test_suggest_drafts_the_generated_map(pm_inbox, tmp_path):
    """On the PM-style claims export, the draft finds every header the real map names."""
    # the largest export (a monthly one; a plant's own small file holds a few payers only)
    export = max(sorted((pm_inbox / "claims").glob("*.csv")), key=lambda p: p.stat().st_size)
    out = tmp_path / "claims.yml"
    result = runner.invoke(
        app, ["map", "suggest", str(export), "--kind", "claims", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    draft = parse_map("claims", "claims.yml", out.read_bytes())
    real = parse_map("claims", "claims.yml", (pm_inbox / "_maps" / "claims.yml").read_bytes())
    assert draft.columns == real.columns
    assert (draft.encoding, draft.delimiter, draft.date_format) == ("cp1252", ",", "%m/%d/%Y")
    # The payer names are listed for the user to fill (commented out: an empty mapping).
    assert '# "PECOS HEALTH INSURANCE PPO": ' in out.read_text(encoding="utf-8")


def test_suggest_detects_the_delimiter_and_guesses_status_words(pm_inbox):
    export = pm_inbox / "appointments" / "appointments_2026-11-30.csv"
    text = suggest(export, "appointments")
    draft = parse_map("appointments", "appointments.yml", text.encode())
    assert draft.delimiter == ";"
    assert draft.columns["status"] == ("Appt Status",)
    assert draft.columns["laterality"] == ("Side",)  # a synonym
    assert draft.columns["pain_score"] == ("pain_score",)  # a canonical header stays
    # `Scheduled` and `Canceled` are close to a canonical value; `Checked Out` is left to fill.
    assert draft.values["status"].get("scheduled") == "scheduled"
    assert draft.values["status"].get("canceled") == "cancelled"
    assert "checked out" not in draft.values["status"]
    assert '# "Checked Out": ' in text


def test_suggest_flags_required_columns_left_unmatched(tmp_path):
    export = tmp_path / "export.csv"
    export.write_text("Claim Number,Line,Chart,Foo\nC1,1,P1,x\n")
    assert match_headers("claims", ["Claim Number", "Line", "Chart", "Foo"]) == {
        "claim_id": ["Claim Number"],
        "line_number": ["Line"],
        "patient_id": ["Chart"],
    }
    text = suggest(export, "claims")
    assert '# payer_id: ""  # REQUIRED: no header matched' in text
    assert "# not used (kept in _extra_columns): Foo" in text


def test_check_reports_without_loading(pm_inbox, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    result = runner.invoke(app, ["map", "check", "--inbox", str(pm_inbox)])
    # The generated practice plants one authorizations file without its urgency column.
    assert result.exit_code == 1
    assert "REJECTED  authorizations/authorizations_2026-11-27_fax.csv" in result.output
    assert "status 'done' is not one of scheduled, completed, cancelled, no_show" in result.output
    assert "map _maps/claims.yml (charge detail export of our PM system)" in result.output
    assert "1 file(s) would be rejected" in result.output
    assert not warehouse.exists()

    # Given a warehouse that loaded them, nothing is waiting any more.
    ingest = runner.invoke(app, ["ingest", "--inbox", str(pm_inbox), "--warehouse", str(warehouse)])
    assert ingest.exit_code == 0, ingest.output
    again = runner.invoke(
        app, ["map", "check", "--inbox", str(pm_inbox), "--warehouse", str(warehouse)]
    )
    assert again.exit_code == 0, again.output
    assert "would load" not in again.output
    con = duckdb.connect(str(warehouse), read_only=True)
    assert (
        con.execute("select count(*) from raw.load_log where map_sha256 is not null").fetchone()[0]
        > 0
    )
    con.close()


def test_a_wrong_map_is_one_line_for_check_and_ingest(pm_inbox, tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "_maps").mkdir(parents=True)
    (inbox / "_maps" / "claims.yml").write_text("columns:\n  claim_no: Claim\n")
    for command in (
        ["map", "check", "--inbox", str(inbox)],
        ["ingest", "--inbox", str(inbox), "--warehouse", str(tmp_path / "w.duckdb")],
    ):
        result = runner.invoke(app, command)
        assert result.exit_code == 1
        assert (
            "_maps/claims.yml: columns.claim_no: unknown canonical column of claims"
            in result.output
        )
        assert "Traceback" not in result.output
    assert not (tmp_path / "w.duckdb").exists()


def test_generate_without_pm_style_removes_stale_maps(tmp_path):
    out = tmp_path / "inbox"
    assert runner.invoke(app, ["generate", "--out", str(out), *ARGS, "--pm-style"]).exit_code == 0
    assert (out / "_maps" / "claims.yml").exists()
    assert runner.invoke(app, ["generate", "--out", str(out), *ARGS]).exit_code == 0
    assert not (out / "_maps").exists()
