"""marts.credentialing_alerts (issue #8): the benchmark plant's expiring credentials, both
ways (no miss, no false alarm; the background providers and the near misses raise none),
and every alert recomputed from the providers CSVs and the seed policy.
"""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path

import duckdb

from tests.conftest import AS_OF

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
COLUMNS = ("npi", "provider_name", "alert_type", "due_date", "days_left")


def _mart(warehouse: Path) -> set[tuple[str, ...]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(
            f"select {', '.join(COLUMNS)} from marts.credentialing_alerts"
        ).fetchall()
    finally:
        con.close()
    return {tuple(str(v) for v in r) for r in rows}


def test_alerts_equal_ground_truth_both_ways(practice_inbox, built_warehouse):
    manifest = json.loads((practice_inbox / "ground_truth" / "manifest.json").read_text())
    planted = manifest["plants"]["credentialing_alerts"]
    with open(practice_inbox / "ground_truth" / "credentialing_alerts.csv", newline="") as fh:
        assert list(csv.DictReader(fh)) == planted
    expected = {tuple(r[c] for c in COLUMNS) for r in planted}
    assert {a for _, _, a, _, _ in expected} == {
        "license_expiring",
        "dea_expiring",
        "caqh_attestation_due",
    }
    assert _mart(built_warehouse) == expected


def test_alerts_recomputed_from_providers(practice_inbox, built_warehouse):
    with open(SEEDS / "practice_policies.csv", newline="") as fh:
        policy = {r["policy"]: int(r["value"]) for r in csv.DictReader(fh) if r["unit"] == "days"}
    rejected_or_bad = set()
    with open(practice_inbox / "ground_truth" / "quarantine_expected.csv", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["kind"] == "providers":
                rejected_or_bad.add((r["file_name"], r["row_number"]))
    providers: dict[str, dict[str, str]] = {}
    for f in sorted((practice_inbox / "providers").glob("*.csv")):
        if (f.name, "") in rejected_or_bad:
            continue
        with open(f, newline="", encoding="utf-8-sig") as fh:
            for n, r in enumerate(csv.DictReader(fh), start=1):
                if (f.name, str(n)) not in rejected_or_bad:
                    providers[r["npi"]] = r
    expected = set()
    for p in providers.values():
        dues = []
        if p["license_expires_on"]:
            dues.append(("license_expiring", date.fromisoformat(p["license_expires_on"]), "e"))
        if p["dea_expires_on"]:
            dues.append(("dea_expiring", date.fromisoformat(p["dea_expires_on"]), "e"))
        if p["caqh_attested_on"]:
            due = date.fromisoformat(p["caqh_attested_on"]) + timedelta(
                days=policy["caqh_reattestation_days"]
            )
            dues.append(("caqh_attestation_due", due, "c"))
        for alert, due, kind in dues:
            window = policy["credential_expiry_alert_days" if kind == "e" else "caqh_alert_days"]
            left = (due - AS_OF).days
            if left <= window:
                expected.add((p["npi"], p["provider_name"], alert, due.isoformat(), str(left)))
    assert _mart(built_warehouse) == expected
