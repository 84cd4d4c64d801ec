"""The unit and the human header of every mart column, from one place: the dbt YAML.

Each mart column that is not plain text carries `config: {meta: {unit: ...}}` in its model's
YAML (dbt_project/models/marts/**/_*.yml), and may carry `label` (the header a person reads).
The dashboards' tables and the XLSX exports both format a column by this unit, so a
percentage is never shown as money nor days as dollars:

    money    exact dollars and cents          $1,234.56
    percent  a share on a 0-100 scale          66.67%
    points   a difference of two percentages   +5.00 pts
    days     a number of days                  21.3 days
    date     a calendar date                   2026-11-30
    month    the first day of a month          Nov 2026
    year     a calendar year                   2026
    count    a whole number                    1,234
    number   a factor or score                 0.9500
    text     anything else (the default)

A column without a label gets one from its name ("open_balance" -> "Open balance", with
acronyms kept: NPI, CARC, PA, ID, ...).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from painrcm.paths import dbt_project_dir

UNITS = (
    "money", "percent", "points", "days", "date", "month", "year", "count", "number", "text",
    "flag",  # a yes/no column (is_dispute_open, is_past_appeal_deadline)
)  # fmt: skip

# Words a header keeps in capitals (or spells out) when it is derived from a column name.
_WORDS = {
    "npi": "NPI",
    "carc": "CARC",
    "carcs": "CARCs",
    "rarc": "RARC",
    "rarcs": "RARCs",
    "pa": "PA",
    "id": "ID",
    "ids": "IDs",
    "dea": "DEA",
    "caqh": "CAQH",
    "utn": "UTN",
    "mppr": "MPPR",
    "cpt": "CPT",
    "hcpcs": "HCPCS",
    "icd10": "ICD-10",
    "pct": "%",
    "ar": "A/R",
    "kpi": "KPI",
    "x12": "X12",
    "pm": "PM",
    "opd": "OPD",
    "lcd": "LCD",
    "wiser": "WISeR",
    "clp": "CLP",
    "scs": "SCS",
    "esi": "ESI",
    "rfa": "RFA",
    "mbb": "MBB",
    "svc": "SVC",
    "cas": "CAS",
}


@dataclass(frozen=True)
class Column:
    name: str
    unit: str = "text"
    label: str = ""

    @property
    def header(self) -> str:
        return self.label or humanize(self.name)


def humanize(name: str) -> str:
    """`first_pass_denial_rate` -> "First-pass denial rate"-ish: words, acronyms kept."""
    words = [_WORDS.get(w, w) for w in name.split("_") if w]
    if not words:
        return name
    first = words[0]
    # a sentence ("rendering provider NPI missing") is capitalised by its first word alone
    head = first.split(" ", 1)[0]
    if head == head.lower():
        words[0] = first[:1].upper() + first[1:]
    return " ".join(words)


def _models_dir() -> Path:
    return dbt_project_dir() / "models" / "marts"


@functools.cache
def catalog() -> dict[str, dict[str, Column]]:
    """mart -> column -> Column, read once from the marts' YAML."""
    out: dict[str, dict[str, Column]] = {}
    for path in sorted(_models_dir().rglob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for model in doc.get("models") or []:
            cols: dict[str, Column] = {}
            for col in model.get("columns") or []:
                meta = {**(col.get("meta") or {}), **((col.get("config") or {}).get("meta") or {})}
                unit = meta.get("unit", "text")
                if unit not in UNITS:
                    raise ValueError(f"{path.name}: {model['name']}.{col['name']} unit '{unit}'")
                cols[col["name"]] = Column(col["name"], unit, meta.get("label", ""))
            out[model["name"]] = cols
    return out


def column(mart: str, name: str) -> Column:
    return catalog().get(mart, {}).get(name) or Column(name)


def units(mart: str) -> dict[str, str]:
    """column -> unit of a mart (columns the YAML does not list are text)."""
    return {name: col.unit for name, col in catalog().get(mart, {}).items()}


def header(mart: str, name: str) -> str:
    return column(mart, name).header
