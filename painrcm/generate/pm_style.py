"""`painrcm generate --pm-style`: the same practice as a PM system would export it.

The canonical appointments, claims and authorizations deliveries are rewritten the way
practice-management reports print them (other headers, US dates, `$` money with thousands
commas and parentheses, payer names instead of payer ids, status words, modifiers and
diagnoses in numbered columns, a one-digit place of service), appointments `;`-separated
and claims in Windows-1252, with the column maps that read them back beside them in
`inbox/_maps/`. Ingesting it must give the same warehouse as the canonical delivery: the
test compares every mart (tests/test_pm_style.py).

A cell the conversion does not recognise (a planted bad date or status) is written as it
was, so it is quarantined on the same row; a file the canonical ingest rejects whole (in
ground_truth/quarantine_expected.csv without a row) is left untouched, and the map rejects
it too (it lacks the PM headers).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from ingest.column_maps import MAPS_FOLDER
from ingest.schemas import EXTRACTS, LIST

US_DATE = "%m/%d/%Y"
STATUS_WORDS = {
    "scheduled": "Scheduled",
    "completed": "Checked Out",
    "cancelled": "Canceled",
    "no_show": "No Show",
}
DECISION_WORDS = {
    "pending": "Pending",
    "approved": "Approved",
    "partial": "Partially Approved",
    "denied": "Denied",
    "withdrawn": "Withdrawn",
}
URGENCY_WORDS = {"standard": "Routine", "expedited": "Urgent"}
LATERALITY_WORDS = {"left": "LT", "right": "RT", "bilateral": "BIL"}
# Text a Windows PM report carries (é and the en dash are not ASCII; in cp1252 they are
# single bytes that are not valid UTF-8), kept in an unused column -> _extra_columns.
LOCATION = "Clínica del Dolor – Main"


@dataclass
class _Layout:
    kind: str
    source: str
    headers: dict[str, str | list[str]]  # canonical column -> PM header(s)
    words: dict[str, dict[str, str]] = field(default_factory=dict)  # canonical -> PM word
    delimiter: str = ","
    encoding: str = "utf-8"
    list_separator: str = " "
    extra: tuple[str, str] | None = None  # (header, value) of a column the map does not use


LAYOUTS = (
    _Layout(
        "appointments",
        "scheduling report (appointment detail) of our PM system",
        {
            "appointment_id": "Appt #",
            "line_number": "Line",
            "patient_id": "Chart Number",
            "payer_id": "Primary Insurance",
            "member_id": "Subscriber ID",
            "rendering_npi": "Provider NPI",
            "service_state": "Facility State",
            "place_of_service": "POS",
            "scheduled_on": "Booked On",
            "service_date": "Appt Date",
            "status": "Appt Status",
            "procedure_code": "CPT",
            "modifiers": ["Mod1", "Mod2", "Mod3", "Mod4"],
            "units": "Qty",
            "laterality": "Side",
        },
        {"status": STATUS_WORDS, "laterality": LATERALITY_WORDS},
        delimiter=";",
        extra=("Entered By", "FRONTDESK"),
    ),
    _Layout(
        "claims",
        "charge detail export of our PM system",
        {
            "claim_id": "Claim #",
            "line_number": "Ln",
            "patient_id": "Chart Number",
            "payer_id": "Primary Insurance",
            "rendering_npi": "Rendering NPI",
            "appointment_id": "Appt #",
            "service_date": "DOS",
            "submitted_date": "Billed",
            "procedure_code": "CPT",
            "modifiers": ["Mod1", "Mod2", "Mod3", "Mod4"],
            "units": "Units",
            "charge_amount": "Charges",
            "diagnosis_codes": ["Dx1", "Dx2", "Dx3", "Dx4"],
            "prior_auth_number": "Auth #",
            "place_of_service": "POS",
            # optional columns (INPUTS.md claims) this PM exports under their own names
            "line_control_number": "line_control_number",
            "frequency_code": "frequency_code",
        },
        encoding="cp1252",
        extra=("Location", LOCATION),
    ),
    _Layout(
        "authorizations",
        "prior authorization log of our PM system",
        {
            "auth_id": "Auth ID",
            "patient_id": "Chart Number",
            "payer_id": "Insurance",
            "auth_number": "Authorization Number",
            "request_date": "Requested",
            "urgency": "Request Type",
            "decision_date": "Decided",
            "decision": "Auth Status",
            "procedure_codes": "CPT Codes",
            "levels": "Levels",
            "units_approved": "Approved Units",
            "valid_from": "Start Date",
            "valid_to": "End Date",
        },
        {"urgency": URGENCY_WORDS, "decision": DECISION_WORDS},
        list_separator=",",
    ),
)


def _us_date(value: str) -> str:
    try:
        return date.fromisoformat(value).strftime(US_DATE) if len(value) == 10 else value
    except ValueError:
        return value


def _money(value: str) -> str:
    if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", value):
        return value
    whole, _, cents = value.lstrip("-").partition(".")
    text = f"${int(whole):,}" + (f".{cents}" if cents else "")
    return f"({text})" if value.startswith("-") and Decimal(value) != 0 else text


def _pos(value: str) -> str:
    return value[1] if re.fullmatch(r"0[0-9]", value) else value


def _payer_names(inbox: Path) -> dict[str, str]:
    names: dict[str, str] = {}
    for path in sorted((inbox / "payers").glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row.get("payer_id") and row.get("payer_name"):
                    names[row["payer_id"]] = row["payer_name"].upper()
    if len(set(names.values())) != len(names):
        raise ValueError("two payers share a name: the PM-style payer column would be ambiguous")
    return names


def _rejected_files(inbox: Path) -> set[tuple[str, str]]:
    path = inbox / "ground_truth" / "quarantine_expected.csv"
    if not path.exists():
        return set()
    with open(path, newline="", encoding="utf-8") as fh:
        return {(r["kind"], r["file_name"]) for r in csv.DictReader(fh) if not r["row_number"]}


def _cell_writers(layout: _Layout, payers: dict[str, str]) -> dict[str, Callable[[str], str]]:
    spec = {c.name: c for c in EXTRACTS[layout.kind].columns}
    writers: dict[str, Callable[[str], str]] = {}
    for column in layout.headers:
        c = spec[column]
        if c.type == "date":
            writers[column] = _us_date
        elif c.type == "decimal":
            writers[column] = _money
        elif c.type == "pos":
            writers[column] = _pos
        elif column == "payer_id":
            writers[column] = lambda v: payers.get(v, v)
        elif column in layout.words:
            words = layout.words[column]
            writers[column] = lambda v, words=words: words.get(v, v)
    return writers


def _is_list(kind: str, column: str) -> bool:
    return any(c.name == column and c.type == LIST for c in EXTRACTS[kind].columns)


def _convert_file(path: Path, layout: _Layout, payers: dict[str, str]) -> None:
    """Rewrite one canonical delivery PM-style. A column the layout does not rename keeps its
    canonical header (the map falls back to it)."""
    with open(path, newline="", encoding="utf-8") as fh:
        records = list(csv.reader(fh))
    header, body = records[0], records[1:]
    writers = _cell_writers(layout, payers)
    out_header: list[str] = []
    for column in header:
        pm = layout.headers.get(column, column)
        out_header += pm if isinstance(pm, list) else [pm]
    if layout.extra:
        out_header.append(layout.extra[0])

    def convert(row: list[str]) -> list[str]:
        if len(row) != len(header):
            return row  # a ragged row stays ragged: quarantined on the same row number
        cells: list[str] = []
        for column, value in zip(header, row, strict=True):
            pm = layout.headers.get(column, column)
            if isinstance(pm, list):
                items = value.split()
                if len(items) > len(pm):
                    raise ValueError(f"{path.name}: more {column} than {len(pm)} columns")
                cells += items + [""] * (len(pm) - len(items))
            elif _is_list(layout.kind, column):
                sep = layout.list_separator
                cells.append((sep if sep == " " else f"{sep} ").join(value.split()))
            else:
                cells.append(writers.get(column, str)(value) if value else value)
        if layout.extra:
            cells.append(layout.extra[1])
        return cells

    out = io.StringIO()
    writer = csv.writer(out, delimiter=layout.delimiter, lineterminator="\r\n")
    writer.writerow(out_header)
    for row in body:
        writer.writerow(convert(row) if row else row)
    path.write_bytes(out.getvalue().encode(layout.encoding))


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _map_text(layout: _Layout, payers: dict[str, str]) -> str:
    lines = [f"# {MAPS_FOLDER}/{layout.kind}.yml (written by painrcm generate --pm-style)"]
    lines.append(f"source: {_q(layout.source)}")
    if layout.delimiter != ",":
        lines.append(f"delimiter: {_q(layout.delimiter)}")
    if layout.encoding != "utf-8":
        lines.append(f"encoding: {layout.encoding}")
    lines.append(f'date_format: "{US_DATE}"')
    if layout.list_separator != " ":
        lines.append(f"list_separator: {_q(layout.list_separator)}")
    lines.append("columns:")
    for column, pm in layout.headers.items():
        text = "[" + ", ".join(map(_q, pm)) + "]" if isinstance(pm, list) else _q(pm)
        lines.append(f"  {column}: {text}")
    lines.append("values:")
    lines.append("  payer_id:")
    lines += [f"    {_q(name)}: {pid}" for pid, name in sorted(payers.items())]
    for column, words in layout.words.items():
        lines.append(f"  {column}:")
        lines += [f"    {_q(word)}: {value}" for value, word in words.items()]
    return "\n".join(lines) + "\n"


def write_pm_style(inbox: Path) -> list[Path]:
    """Rewrite the generated `inbox` PM-style and write its maps; returns the maps written."""
    inbox = Path(inbox)
    payers = _payer_names(inbox)
    rejected = _rejected_files(inbox)
    maps = inbox / MAPS_FOLDER
    maps.mkdir(parents=True, exist_ok=True)
    written = []
    for layout in LAYOUTS:
        for path in sorted((inbox / layout.kind).glob("*.csv")):
            if (layout.kind, path.name) not in rejected:
                _convert_file(path, layout, payers)
        target = maps / f"{layout.kind}.yml"
        target.write_text(_map_text(layout, payers), encoding="utf-8")
        written.append(target)
    return written
