"""The demo practice's claims as the 837P batches its PM sends to the clearinghouse.

`write_claims_837(out)` turns each delivered claims CSV of a generated inbox into one X12
005010X222A1 file in `claims_837/` (same export date in the name and in GS04), so the same
practice can be delivered as CSV, as 837 or both (`painrcm generate --claims-format`). What
a PM puts in the batch: one transaction per submission date (BHT04), the practice as
billing provider (2010AA), per claim a subscriber loop (SBR01 P, SBR09 the payer's claim
filing indicator, 2010BA member id, 2010BB payer id), CLM with CLM05 place/frequency,
REF*EA medical record number (the patient_id), the diagnoses in HI (ABK then ABF, no dots)
and per line LX, SV1 (modifiers, units, place of service, pointers), DTP*472, REF*6R and
REF*G1, and the rendering provider in 2310B. A claims file holding rows the generator
planted to be quarantined stays a CSV: those rows are the CSV contract's test, not a PM's.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

from painrcm.generate.reference import GROUP_NPI, PAYERS, PRACTICE_NAME, PRACTICE_TIN

SENDER_ID = "HCSPAIN"
RECEIVER_ID = "CLEARHOUSE"
GUIDE = "005010X222A1"


def write_claims_837(out: Path, keep_csv: bool = False) -> list[str]:
    """Write claims_837/<file>.837 for every clean claims CSV of `out`; returns their names.

    Without `keep_csv` the converted CSVs are removed (an 837-only practice).
    """
    out = Path(out)
    claims_dir = out / "claims"
    target = out / "claims_837"
    target.mkdir(parents=True, exist_ok=True)
    members = _members(out / "appointments")
    payers = {p.payer_id: p for p in PAYERS}
    planted = _planted_files(out / "ground_truth" / "quarantine_expected.csv")
    written = []
    for n, path in enumerate(sorted(claims_dir.glob("*.csv")), start=1):
        if path.name in planted:
            continue
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
        if not rows:
            if not keep_csv:
                path.unlink()
            continue
        export = _export_date(path.name) or date.fromisoformat(rows[-1]["submitted_date"])
        text = render_837(rows, export, n, members, payers)
        name = path.with_suffix(".837").name
        (target / name).write_bytes(text)
        written.append(name)
        if not keep_csv:
            path.unlink()
    _update_manifest(out, written)
    return written


def _update_manifest(out: Path, written: list[str]) -> None:
    # ground_truth/manifest.json counts the files as delivered
    path = out / "ground_truth" / "manifest.json"
    if not path.exists():
        return
    manifest = json.loads(path.read_text())
    files = manifest.setdefault("counts", {}).setdefault("files", {})
    files["claims"] = len(list((out / "claims").glob("*.csv")))
    files["claims_837"] = len(written)
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")


def render_837(rows: list[dict], export: date, icn: int, members: dict, payers: dict) -> bytes:
    batches: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        batches[row["submitted_date"]].append(row)
    isa = [
        "ISA", "00", " " * 10, "00", " " * 10, "ZZ", SENDER_ID.ljust(15), "ZZ",
        RECEIVER_ID.ljust(15), export.strftime("%y%m%d"), "2200", "^", "00501",
        f"{icn:09d}", "0", "P", ":",
    ]  # fmt: skip
    segs: list[list[str]] = [
        isa,
        ["GS", "HC", SENDER_ID, RECEIVER_ID, _d8(export), "2200", str(icn), "X", GUIDE],
    ]
    for st, (submitted, batch) in enumerate(sorted(batches.items()), start=1):
        segs += _transaction(st, date.fromisoformat(submitted), batch, members, payers, icn)
    segs.append(["GE", str(len(batches)), str(icn)])
    segs.append(["IEA", "1", f"{icn:09d}"])
    return ("~\n".join("*".join(s) for s in segs) + "~\n").encode("ascii")


def _transaction(st: int, submitted: date, rows, members, payers, icn: int) -> list[list[str]]:
    control = f"{st:04d}"
    body: list[list[str]] = [
        ["ST", "837", control, GUIDE],
        ["BHT", "0019", "00", f"{icn}-{control}", _d8(submitted), "2200", "CH"],
        ["NM1", "41", "2", PRACTICE_NAME.upper(), "", "", "", "", "46", SENDER_ID],
        ["PER", "IC", "BILLING OFFICE", "TE", "5125550100"],
        ["NM1", "40", "2", RECEIVER_ID, "", "", "", "", "46", RECEIVER_ID],
        ["HL", "1", "", "20", "1"],
        ["NM1", "85", "2", PRACTICE_NAME.upper(), "", "", "", "", "XX", GROUP_NPI],
        ["N3", "100 CONGRESS AVE"],
        ["N4", "AUSTIN", "TX", "787010000"],
        ["REF", "EI", PRACTICE_TIN],
    ]
    claims: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        claims[row["claim_id"]].append(row)
    hl = 1
    for claim_id, lines in claims.items():
        first = lines[0]
        payer = payers[first["payer_id"]]
        member = members.get((first["patient_id"], first["payer_id"])) or f"M{first['patient_id']}"
        hl += 1
        body += [
            ["HL", str(hl), "1", "22", "0"],
            ["SBR", "P", "18", "", "", "", "", "", "", payer.claim_filing_code],
            ["NM1", "IL", "1", "PATIENT", first["patient_id"], "", "", "", "MI", member],
            ["NM1", "PR", "2", payer.payer_name.upper(), "", "", "", "", "PI", payer.x12_payer_id],
        ]
        codes: list[str] = []
        for line in lines:
            for code in line["diagnosis_codes"].split():
                if code not in codes:
                    codes.append(code)
        total = sum((Decimal(line["charge_amount"]) for line in lines), Decimal(0))
        frequency = first.get("frequency_code") or "1"
        body.append(
            ["CLM", claim_id, str(total), "", "", f"{first['place_of_service']}:B:{frequency}",
             "Y", "A", "Y", "Y"]
        )  # fmt: skip
        body.append(["REF", "EA", first["patient_id"]])
        hi = [("ABK" if i == 0 else "ABF") + ":" + c.replace(".", "") for i, c in enumerate(codes)]
        for k in range(0, len(hi), 12):
            body.append(["HI", *hi[k : k + 12]])
        body.append(["NM1", "82", "1", "PROVIDER", "", "", "", "", "XX", first["rendering_npi"]])
        for line in lines:
            pointers = [str(codes.index(c) + 1) for c in line["diagnosis_codes"].split()][:4]
            mods = line["modifiers"].split()[:4]
            body += [
                ["LX", line["line_number"]],
                [
                    "SV1", ":".join(["HC", line["procedure_code"], *mods]),
                    line["charge_amount"], "UN", line["units"], line["place_of_service"], "",
                    ":".join(pointers),
                ],
                ["DTP", "472", "D8", _d8(date.fromisoformat(line["service_date"]))],
                ["REF", "6R", line.get("line_control_number") or line["line_number"]],
            ]  # fmt: skip
            if line.get("prior_auth_number"):
                body.append(["REF", "G1", line["prior_auth_number"]])
    body.append(["SE", str(len(body) + 1), control])
    return body


def _members(folder: Path) -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for path in sorted(folder.glob("*.csv")):
        with open(path, newline="", encoding="utf-8-sig") as fh:
            for row in csv.DictReader(fh):
                if row.get("member_id"):
                    found[(row.get("patient_id", ""), row.get("payer_id", ""))] = row["member_id"]
    return found


def _planted_files(path: Path) -> set[str]:
    if not path.exists():
        return set()
    with open(path, newline="", encoding="utf-8") as fh:
        return {r["file_name"] for r in csv.DictReader(fh) if r["kind"] == "claims"}


def _export_date(name: str) -> date | None:
    stem = Path(name).stem
    try:
        return date.fromisoformat(stem.rsplit("_", 1)[-1][:10])
    except ValueError:
        return None


def _d8(d: date) -> str:
    return d.strftime("%Y%m%d")
