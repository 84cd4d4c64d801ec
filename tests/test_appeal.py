"""`painrcm appeal`: the packet of a planted denial, read back from DOCX and from the PDF
rendered to an image, against values read independently from the inbox files and seeds."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from painrcm.appeal.facts import _auth_and_necessity, _policies, _tables
from painrcm.cli import app

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()

PRACTICE_TOML = """
[practice]
name = "Hill Country Spine and Pain Associates"
address = ["1200 Medical Pkwy Ste 300", "Austin, TX 78731-1234"]
phone = "512-555-0100"
npi = "1558291835"
tin = "74-1234567"
contact = "Dana Biller, billing manager"
"""


def _seed(name: str, key: str) -> dict[str, dict]:
    with (ROOT / "seeds" / f"{name}.csv").open() as fh:
        return {r[key]: r for r in csv.DictReader(fh)}


def _long_date(d: date) -> str:
    return f"{d:%B} {d.day}, {d.year}"


@pytest.fixture(scope="module")
def denial(built_warehouse, practice_inbox):
    """The first open hard denial, with what the files say about it."""
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        row = con.execute(
            "select d.claim_id, d.line_number, d.group_code, d.carc, d.rarcs, d.denied_amount, "
            "d.denial_date, d.appeal_deadline, r.file_name from marts.denials d "
            "join staging.stg_x12__remittances r using (transaction_id) "
            "where d.status = 'open' and d.denial_class = 'hard' and d.rarcs is not null "
            "order by d.claim_id limit 1"
        ).fetchone()
    finally:
        con.close()
    assert row, "the practice has an open hard denial with a remark code"
    claim, line, group, carc, rarcs, denied, denied_on, deadline, remit_file = row
    # the payer's name and address as the remit file spells them
    segments = [s.strip() for s in (practice_inbox / "remits" / remit_file).read_text().split("~")]
    at = next(i for i, s in enumerate(segments) if s.startswith("N1*PR*"))
    payer_name = segments[at].split("*")[2]
    street = segments[at + 1].split("*")[1]
    city, state = segments[at + 2].split("*")[1:3]
    # the billed amount as the claims extract has it (the newest file wins)
    billed = None
    for path in sorted((practice_inbox / "claims").glob("*.csv")):
        with path.open() as fh:
            for r in csv.DictReader(fh):
                if r["claim_id"] == claim and r["line_number"] == str(line):
                    billed = r["charge_amount"]
    return {
        "claim": claim,
        "line": line,
        "reason": f"{group}-{carc}: {_seed('carc_categories', 'carc')[carc]['description']}",
        "rarcs": [
            f"{code}: {_seed('rarc_descriptions', 'rarc')[code]['description']}"
            for code in rarcs.split()
        ],
        "denied": f"${denied:,.2f}",
        "billed": f"${float(billed):,.2f}",
        "denied_on": _long_date(denied_on),
        "deadline": _long_date(deadline),
        "payer": payer_name,
        "payer_street": street,
        "payer_city": f"{city}, {state}",
    }


def _expected(denial: dict) -> list[str]:
    return [
        "Hill Country Spine and Pain Associates",
        "Phone 512-555-0100 · NPI 1558291835 · TIN 74-1234567",
        denial["payer"],
        denial["payer_street"],
        denial["payer_city"],
        f"Appeal of the denial of claim {denial['claim']}",
        denial["reason"],
        *denial["rarcs"],
        denial["denied"],
        denial["billed"],
        denial["denied_on"],
        denial["deadline"],
        "Medical necessity documented in the chart",
        "Enclosures",
        "Copy of the claim as submitted",
        "Dana Biller, billing manager",
    ]


@pytest.fixture
def practice_config(tmp_path, monkeypatch):
    path = tmp_path / "practice.toml"
    path.write_text(PRACTICE_TOML)
    monkeypatch.setenv("PAINRCM_PRACTICE_CONFIG", str(path))
    return path


def _appeal(warehouse: Path, claim: str, out: Path, *extra: str) -> str:
    result = runner.invoke(
        app, ["appeal", claim, "--warehouse", str(warehouse), "--out", str(out), *extra]
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_docx_packet_reads_back(built_warehouse, denial, practice_config, tmp_path):
    from docx import Document

    out = tmp_path / "appeal.docx"
    said = _appeal(built_warehouse, denial["claim"], out, "--line", str(denial["line"]))
    assert f"to {denial['payer']}" in said and str(practice_config) in said
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    text += "\n" + "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    for expected in _expected(denial):
        assert expected in text, expected


def test_pdf_packet_renders_with_the_text(built_warehouse, denial, practice_config, tmp_path):
    import pypdfium2 as pdfium

    out = tmp_path / "appeal.pdf"
    _appeal(built_warehouse, denial["claim"], out)
    pdf = pdfium.PdfDocument(str(out))
    text = " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    text = " ".join(text.split())  # line breaks of the layout
    for expected in _expected(denial):
        assert " ".join(expected.split()) in text, expected
    pixels = pdf[0].render(scale=1).to_numpy()
    inked = (pixels[..., :3].min(axis=-1) < 128).mean()
    assert 0.005 < inked < 0.5, inked  # ink on the page, not a blank or black page


def test_letterhead_falls_back_to_the_remits_payee(built_warehouse, denial, tmp_path, monkeypatch):
    monkeypatch.setenv("PAINRCM_PRACTICE_CONFIG", str(tmp_path / "absent.toml"))
    out = tmp_path / "appeal.docx"
    said = _appeal(built_warehouse, denial["claim"], out)
    assert "payee loop" in said


def test_authorization_policy_and_prior_relief_come_from_the_warehouse(built_warehouse):
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        claim, line, auth_id, family = con.execute(
            "select claim_id, claim_line_number, auth_id, procedure_family "
            "from intermediate.int_pa_lines_matched where auth_id is not null "
            "and claim_id is not null and procedure_family like 'esi%' "
            "order by claim_id limit 1"
        ).fetchone()
        auth = con.execute(
            "select auth_number, valid_from, valid_to from staging.stg_pm__authorizations "
            "where auth_id = ? and version_rank = 1",
            [auth_id],
        ).fetchone()
        auths, necessity = _auth_and_necessity(con, _tables(con), claim, [line])
        policies = _policies(con, [family])
    finally:
        con.close()
    assert [(a.auth_number, a.valid_from, a.valid_to) for a in auths] == [auth]
    assert len(necessity) == 1 and necessity[0].line_number == line
    esi = {r["description"] for r in csv.DictReader((ROOT / "seeds/readiness_criteria.csv").open())
           if r["procedure_family_group"] == "esi"}  # fmt: skip
    assert [(p[0], set(p[2])) for p in policies] == [("LCD L39240", esi)]


def test_errors_are_one_line(built_warehouse, practice_config, tmp_path):
    for args, message in (
        (["NO-SUCH-CLAIM", "--out", str(tmp_path / "a.pdf")], "has no denial in marts.denials"),
        (["C1", "--out", str(tmp_path / "a.txt")], "name a .docx"),
    ):
        result = runner.invoke(app, ["appeal", *args, "--warehouse", str(built_warehouse)])
        assert result.exit_code == 1 and message in result.output, result.output
