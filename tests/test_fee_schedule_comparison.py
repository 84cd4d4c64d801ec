"""marts.fee_schedule_comparison (issue #8): every row recomputed from the fee_schedules,
payers and claims CSVs: the fee in force on the as-of date, Medicare's fee for the same
code, modifier and setting, and the units billed to the payer in the 12 months to as-of.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from tests.conftest import AS_OF
from tests.ground_truth import current_rows, mart_rows

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
KEY = ("payer_id", "procedure_code", "modifier", "setting")
COLUMNS = (
    "procedure_code",
    "modifier",
    "setting",
    "procedure_family",
    "payer_id",
    "allowed_amount",
    "medicare_allowed",
    "pct_of_medicare",
    "units_last_12_months",
    "revenue_last_12_months",
    "revenue_at_medicare_plus_10pts",
)
CENT = Decimal("0.01")


def _expected(inbox: Path) -> dict[tuple, dict[str, str]]:
    with open(SEEDS / "place_of_service_settings.csv", newline="") as fh:
        pos_setting = {r["place_of_service"]: r["setting"] for r in csv.DictReader(fh)}
    with open(SEEDS / "procedure_families.csv", newline="") as fh:
        family = {r["procedure_code"]: r["procedure_family"] for r in csv.DictReader(fh)}
    payers = current_rows(inbox, "payers", ("payer_id",))
    medicare = {p["payer_id"] for p in payers if p["payer_type"] == "medicare_ffs"}
    fees = current_rows(
        inbox,
        "fee_schedules",
        ("payer_id", "procedure_code", "modifier", "setting", "effective_from"),
    )
    current: dict[tuple, dict[str, str]] = {}
    for f in fees:
        lo = date.fromisoformat(f["effective_from"])
        hi = date.fromisoformat(f["effective_to"]) if f["effective_to"] else date.max
        key = (f["payer_id"], f["procedure_code"], f["modifier"], f["setting"])
        if lo <= AS_OF <= hi and (
            key not in current or f["effective_from"] > current[key]["effective_from"]
        ):
            current[key] = f

    units: dict[tuple, int] = defaultdict(int)
    start = date(AS_OF.year - 1, AS_OF.month, AS_OF.day)
    for c in current_rows(inbox, "claims", ("claim_id", "line_number")):
        served = date.fromisoformat(c["service_date"])
        if not (start < served <= AS_OF):
            continue
        setting = pos_setting.get(c["place_of_service"], "non_facility")
        mods = c["modifiers"].upper().split()
        code = c["procedure_code"].strip().upper()
        if "26" in mods:
            modifier = "26"
        elif "TC" in mods:
            modifier = "TC"
        elif family.get(code) == "imaging_guidance" and setting == "facility":
            modifier = "26"
        else:
            modifier = ""
        for s in (setting, ""):  # a row of the line's setting beats an any-setting row
            key = (c["payer_id"], code, modifier, s)
            if key in current:
                units[key] += int(c["units"])
                break

    out = {}
    for key, f in current.items():
        payer_id, code, modifier, setting = key
        allowed = Decimal(f["allowed_amount"])
        mcr = None
        for s in dict.fromkeys((setting, "")):
            hits = [
                current[(m, code, modifier, s)]
                for m in medicare
                if (m, code, modifier, s) in current
            ]
            if hits:
                mcr = Decimal(hits[0]["allowed_amount"])
                break
        n = units.get(key, 0)
        out[key] = {
            "procedure_code": code,
            "modifier": modifier,
            "setting": setting,
            "procedure_family": family.get(code, ""),
            "payer_id": payer_id,
            "allowed_amount": str(allowed),
            "medicare_allowed": "" if mcr is None else str(mcr),
            "pct_of_medicare": ""
            if not mcr
            else str((allowed * 100 / mcr).quantize(CENT, ROUND_HALF_UP)),
            "units_last_12_months": str(n),
            "revenue_last_12_months": str((n * allowed).quantize(CENT)),
            "revenue_at_medicare_plus_10pts": ""
            if mcr is None
            else str((n * (allowed + Decimal("0.10") * mcr)).quantize(CENT, ROUND_HALF_UP)),
        }
    return out


def test_every_row_recomputed_from_the_csvs(practice_inbox, built_warehouse):
    mart = mart_rows(built_warehouse, "fee_schedule_comparison", COLUMNS, KEY)
    expected = _expected(practice_inbox)
    assert set(mart) == set(expected)
    assert sum(int(r["units_last_12_months"]) for r in expected.values()) > 100
    for key, row in expected.items():
        assert mart[key] == row, key
