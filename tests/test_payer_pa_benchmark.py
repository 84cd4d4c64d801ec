"""marts.payer_pa_benchmark (issue #8, rules.md §11): the planted rows as worked by hand, and
every row recomputed independently from the generated CSVs with the rules.md §11 definitions.
"""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import duckdb

from tests.conftest import AS_OF
from tests.ground_truth import current_rows, mart_rows

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
KEY = ("payer_id", "report_year", "request_type")
COLUMNS = (
    "payer_id",
    "parent_organization",
    "report_year",
    "request_type",
    "practice_requests",
    "practice_pct_approved",
    "practice_pct_denied",
    "practice_pct_approved_after_appeal",
    "practice_avg_decision_days",
    "practice_median_decision_days",
    "practice_pct_within_deadline",
    "payer_pct_approved",
    "payer_pct_denied",
    "payer_pct_approved_after_appeal",
    "payer_pct_extended_then_approved",
    "payer_avg_decision_days",
    "payer_median_decision_days",
    "approval_gap_pts",
    "decision_days_gap",
)


def _fmt(x: Fraction | Decimal | None) -> str:
    if x is None:
        return ""
    if isinstance(x, Fraction):
        x = Decimal(x.numerator) / Decimal(x.denominator)
    return str(x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _dec(s: str) -> Fraction | None:
    return Fraction(Decimal(s)) if s.strip() else None


def _business_day(start: date, n: int, holidays: set[date]) -> date:
    d, k = start, 0
    while k < n:
        d += timedelta(days=1)
        if d.isoweekday() < 6 and d not in holidays:
            k += 1
    return d


def _expected(inbox: Path) -> dict[tuple, dict[str, str]]:
    payers = {p["payer_id"]: p for p in current_rows(inbox, "payers", ("payer_id",))}
    reports = current_rows(
        inbox, "payer_pa_metrics", ("report_id", "parent_organization", "report_year")
    )
    auths = current_rows(inbox, "authorizations", ("auth_id",))
    with open(SEEDS / "payer_pa_deadlines.csv", newline="") as fh:
        deadlines = list(csv.DictReader(fh))
    with open(SEEDS / "us_federal_holidays.csv", newline="") as fh:
        holidays = {date.fromisoformat(r["observed_date"]) for r in csv.DictReader(fh)}

    def deadline(payer_type: str, urgency: str, req: date) -> date:
        for r in deadlines:
            lo = date.fromisoformat(r["effective_from"]) if r["effective_from"] else date.min
            hi = date.fromisoformat(r["effective_to"]) if r["effective_to"] else date.max
            if (r["payer_type"], r["request_type"]) == (payer_type, urgency) and lo <= req <= hi:
                n, unit = int(r["deadline_value"]), r["deadline_unit"]
                if unit == "business_days":
                    return _business_day(req, n, holidays)
                return req + timedelta(days=n // 24 if unit == "hours" else n)
        raise AssertionError(f"no deadline for {payer_type} {urgency} {req}")

    def report_of(payer: dict[str, str], year: str) -> dict[str, str] | None:
        if payer["pa_report_id"]:
            hits = [
                r
                for r in reports
                if r["report_id"] == payer["pa_report_id"] and r["report_year"] == year
            ]
            return hits[0] if hits else None
        hits = [
            r
            for r in reports
            if payer["parent_organization"]
            and r["parent_organization"] == payer["parent_organization"]
            and r["report_year"] == year
        ]
        return hits[0] if len(hits) == 1 else None

    groups: dict[tuple, list[dict[str, str]]] = {}
    for a in auths:
        if a["program"] != "payer_pa" or a["decision"] in ("pending", "withdrawn"):
            continue
        key = (a["payer_id"], a["request_date"][:4], a["urgency"])
        groups.setdefault(key, []).append(a)

    out = {}
    for (payer_id, year, urgency), rows in groups.items():
        payer = payers[payer_id]
        report = report_of(payer, year)
        n = len(rows)
        days = sorted(
            (date.fromisoformat(a["decision_date"]) - date.fromisoformat(a["request_date"])).days
            for a in rows
            if a["decision_date"]
        )
        approved = sum(a["decision"] in ("approved", "partial") for a in rows)
        denied = [a for a in rows if a["decision"] == "denied"]
        appealed = [a for a in denied if a["appealed"].lower() == "true"]
        won = [a for a in appealed if a["appeal_decision"] == "approved"]
        within = sum(
            bool(a["decision_date"])
            and date.fromisoformat(a["decision_date"])
            <= deadline(payer["payer_type"], urgency, date.fromisoformat(a["request_date"]))
            for a in rows
        )
        after_appeal = None
        if urgency == "standard":
            by_appealed = report and report["appeal_denominator"] == "appealed_requests"
            denominator = len(appealed) if by_appealed else n
            after_appeal = Fraction(100 * len(won), denominator) if denominator else None
        m = len(days)
        median = Fraction(days[(m - 1) // 2] + days[m // 2], 2) if m else None
        avg = Fraction(sum(days), m) if m else None
        pct_approved = Fraction(100 * approved, n)
        payer_cols: dict[str, Fraction | None] = dict.fromkeys(
            ("approved", "denied", "appeal", "extended", "avg", "median")
        )
        if report:
            std = urgency == "standard"
            hours = Fraction(1, 24)
            payer_cols = {
                "approved": _dec(
                    report["pct_standard_approved" if std else "pct_expedited_approved"]
                ),
                "denied": _dec(report["pct_standard_denied" if std else "pct_expedited_denied"]),
                "appeal": _dec(report["pct_approved_after_appeal"]) if std else None,
                "extended": _dec(report["pct_extended_then_approved"]) if std else None,
                "avg": _dec(report["avg_days_standard"])
                if std
                else (_dec(report["avg_hours_expedited"]) or 0) * hours,
                "median": _dec(report["median_days_standard"])
                if std
                else (
                    _dec(report["median_hours_expedited"]) * hours
                    if report["median_hours_expedited"]
                    else None
                ),
            }
        gap = pct_approved - payer_cols["approved"] if payer_cols["approved"] is not None else None
        days_gap = (
            avg - payer_cols["avg"] if avg is not None and payer_cols["avg"] is not None else None
        )
        out[(payer_id, year, urgency)] = {
            "payer_id": payer_id,
            "parent_organization": payer["parent_organization"],
            "report_year": year,
            "request_type": urgency,
            "practice_requests": str(n),
            "practice_pct_approved": _fmt(pct_approved),
            "practice_pct_denied": _fmt(Fraction(100 * len(denied), n)),
            "practice_pct_approved_after_appeal": _fmt(after_appeal),
            "practice_avg_decision_days": _fmt(avg),
            "practice_median_decision_days": _fmt(median),
            "practice_pct_within_deadline": _fmt(Fraction(100 * within, n)),
            "payer_pct_approved": _fmt(payer_cols["approved"]),
            "payer_pct_denied": _fmt(payer_cols["denied"]),
            "payer_pct_approved_after_appeal": _fmt(payer_cols["appeal"]),
            "payer_pct_extended_then_approved": _fmt(payer_cols["extended"]),
            "payer_avg_decision_days": _fmt(payer_cols["avg"]),
            "payer_median_decision_days": _fmt(payer_cols["median"]),
            "approval_gap_pts": _fmt(gap),
            "decision_days_gap": _fmt(days_gap),
        }
    return out


def test_every_row_recomputed_from_the_csvs(practice_inbox, built_warehouse):
    assert AS_OF.year == 2026
    mart = mart_rows(built_warehouse, "payer_pa_benchmark", COLUMNS, KEY)
    expected = _expected(practice_inbox)
    assert set(mart) == set(expected)
    for key, row in expected.items():
        assert mart[key] == row, key


def test_planted_rows_equal_ground_truth(practice_inbox, built_warehouse):
    mart = mart_rows(built_warehouse, "payer_pa_benchmark", COLUMNS, KEY)
    manifest = json.loads((practice_inbox / "ground_truth" / "manifest.json").read_text())
    planted = manifest["plants"]["payer_pa_benchmark"]
    with open(practice_inbox / "ground_truth" / "payer_pa_benchmark.csv", newline="") as fh:
        assert list(csv.DictReader(fh)) == planted
    assert len(planted) == 8
    for row in planted:
        assert mart[(row["payer_id"], row["report_year"], row["request_type"])] == row


def test_report_kept_beside_its_source(built_warehouse):
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        rows = con.execute(
            "select payer_id, report_year, source_url from marts.payer_pa_benchmark"
            " where payer_id in ('BMAPL', 'BMDPL', 'BCMPL')"
        ).fetchall()
    finally:
        con.close()
    urls = {(p, y): u for p, y, u in rows}
    # H9901 by pa_report_id (its organisation also publishes H9902); Medicaid by organisation
    assert urls[("BMAPL", 2025)].endswith("/H9901.pdf")
    assert urls[("BMDPL", 2025)] == "https://riograndeplant.example.org/pa-metrics-2025"
    assert urls[("BCMPL", 2025)] is None
    assert urls[("BMAPL", 2026)] is None
