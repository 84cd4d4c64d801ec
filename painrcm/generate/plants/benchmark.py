"""Plants for the payer PA benchmark and credentialing alerts (issue #8, rules.md §11).

Payer PA benchmark: three payers of the plant's own (so no background request mixes in)
and planted requests on the Medicare FFS payer dated 2024 (before any background), each
decided request with a known decision time, for procedures that are never scheduled (no
appointment, so no PA gap). The payers' public reports are planted beside them:
- a Medicare Advantage payer whose parent organisation publishes two contract reports, so
  only its pa_report_id picks the right one (standard deadline 14 days in 2025, 7 in 2026);
- a Medicaid plan matched on its parent organisation, whose report divides
  approved-after-appeal by appealed requests and gives no expedited median;
- a commercial payer with no report (payer columns null);
- Medicare FFS requests across Independence Day and Thanksgiving (business-day deadlines).
Every expected figure is written out by hand below (see the comments), not recomputed.

Credentialing: extra provider rows (providers are not patients: they render nothing) with
one alert each, plus near misses one day outside each threshold.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from ingest.schemas import EXTRACTS
from painrcm.generate.plants import PlantContext, PlantOutput
from painrcm.generate.reference import make_npi

PUBLISHED = date(2026, 4, 15)  # the background's 2025 reports arrive then, so do these

BENCHMARK_COLUMNS = (
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
CREDENTIALING_COLUMNS = ("npi", "provider_name", "alert_type", "due_date", "days_left")

MA_ORG = "Lone Star Plant Health Group"
MEDICAID_ORG = "Rio Grande Plant Medicaid Partners"
COMMERCIAL_ORG = "Plant Commercial Mutual"

# payer_id, name, type, x12 id, parent organisation, pa_report_id
PLANT_PAYERS = (
    ("BMAPL", "Lone Star Plant Medicare Advantage", "medicare_advantage", "99101", MA_ORG, "H9901"),
    ("BMDPL", "Rio Grande Plant Medicaid", "medicaid", "99102", MEDICAID_ORG, ""),
    ("BCMPL", "Plant Commercial PPO", "commercial", "99103", COMMERCIAL_ORG, ""),
)

REPORTS = (
    {
        "parent_organization": MA_ORG,
        "report_year": "2025",
        "report_id": "H9901",
        "appeal_denominator": "all_requests",
        "pct_standard_approved": "88.40",
        "pct_standard_denied": "11.60",
        "pct_approved_after_appeal": "4.10",
        "pct_extended_then_approved": "1.20",
        "pct_expedited_approved": "91.30",
        "pct_expedited_denied": "8.70",
        "avg_days_standard": "5.6",
        "median_days_standard": "4",
        "avg_hours_expedited": "41.0",
        "median_hours_expedited": "36",
        "report_level": "contract",
        "source_url": "https://lonestarplant.example.org/cms-0057-f/2025/H9901.pdf",
    },
    {  # same organisation, another contract: matching on the organisation alone is ambiguous
        "parent_organization": MA_ORG,
        "report_year": "2025",
        "report_id": "H9902",
        "appeal_denominator": "all_requests",
        "pct_standard_approved": "70.00",
        "pct_standard_denied": "30.00",
        "pct_approved_after_appeal": "9.00",
        "pct_extended_then_approved": "",
        "pct_expedited_approved": "75.00",
        "pct_expedited_denied": "25.00",
        "avg_days_standard": "9.9",
        "median_days_standard": "9",
        "avg_hours_expedited": "70.0",
        "median_hours_expedited": "",
        "report_level": "contract",
        "source_url": "https://lonestarplant.example.org/cms-0057-f/2025/H9902.pdf",
    },
    {
        "parent_organization": MEDICAID_ORG,
        "report_year": "2025",
        "report_id": "TX-RGP-MC",
        "appeal_denominator": "appealed_requests",
        "pct_standard_approved": "80.25",
        "pct_standard_denied": "19.75",
        "pct_approved_after_appeal": "41.00",
        "pct_extended_then_approved": "",
        "pct_expedited_approved": "85.00",
        "pct_expedited_denied": "15.00",
        "avg_days_standard": "6.25",
        "median_days_standard": "",
        "avg_hours_expedited": "30.5",
        "median_hours_expedited": "",
        "report_level": "plan",
        "source_url": "https://riograndeplant.example.org/pa-metrics-2025",
    },
)

D = date
# payer_id, urgency, request date, decision date, decision, appealed, appeal decision
REQUESTS = (
    # BMAPL standard 2025 (deadline 14 calendar days): days 2 5 10 14 15 20 3 7
    ("BMAPL", "standard", D(2025, 3, 3), D(2025, 3, 5), "approved", "", ""),
    ("BMAPL", "standard", D(2025, 3, 10), D(2025, 3, 15), "approved", "", ""),
    ("BMAPL", "standard", D(2025, 4, 1), D(2025, 4, 11), "partial", "", ""),
    ("BMAPL", "standard", D(2025, 5, 1), D(2025, 5, 15), "denied", "true", "approved"),
    ("BMAPL", "standard", D(2025, 6, 2), D(2025, 6, 17), "denied", "true", "denied"),
    ("BMAPL", "standard", D(2025, 7, 1), D(2025, 7, 21), "approved", "", ""),
    ("BMAPL", "standard", D(2025, 8, 4), D(2025, 8, 7), "denied", "false", ""),
    ("BMAPL", "standard", D(2025, 9, 1), D(2025, 9, 8), "approved", "", ""),
    # not decided: left out
    ("BMAPL", "standard", D(2025, 10, 1), None, "pending", "", ""),
    ("BMAPL", "standard", D(2025, 10, 2), D(2025, 10, 3), "withdrawn", "", ""),
    # BMAPL expedited 2025 (72 hours = 3 days): days 1 3 4
    ("BMAPL", "expedited", D(2025, 2, 3), D(2025, 2, 4), "approved", "", ""),
    ("BMAPL", "expedited", D(2025, 2, 10), D(2025, 2, 13), "approved", "", ""),
    ("BMAPL", "expedited", D(2025, 2, 17), D(2025, 2, 21), "denied", "false", ""),
    # BMAPL standard 2026 (7 days from 2026-01-01), no 2026 report: days 7 8
    ("BMAPL", "standard", D(2026, 1, 5), D(2026, 1, 12), "approved", "", ""),
    ("BMAPL", "standard", D(2026, 2, 2), D(2026, 2, 10), "approved", "", ""),
    # BMDPL standard 2025 (14 days): days 6 14 15 9 1; 3 denials appealed, 1 won
    ("BMDPL", "standard", D(2025, 3, 3), D(2025, 3, 9), "denied", "true", "approved"),
    ("BMDPL", "standard", D(2025, 4, 7), D(2025, 4, 21), "denied", "true", "denied"),
    ("BMDPL", "standard", D(2025, 5, 5), D(2025, 5, 20), "denied", "true", "pending"),
    ("BMDPL", "standard", D(2025, 6, 2), D(2025, 6, 11), "approved", "", ""),
    ("BMDPL", "standard", D(2025, 7, 7), D(2025, 7, 8), "partial", "", ""),
    # BMDPL expedited 2025: days 0 5
    ("BMDPL", "expedited", D(2025, 8, 4), D(2025, 8, 4), "approved", "", ""),
    ("BMDPL", "expedited", D(2025, 8, 11), D(2025, 8, 16), "approved", "", ""),
    # BCMPL standard 2025 (15 days), no report: days 15 16 4
    ("BCMPL", "standard", D(2025, 3, 3), D(2025, 3, 18), "approved", "", ""),
    ("BCMPL", "standard", D(2025, 4, 1), D(2025, 4, 17), "denied", "false", ""),
    ("BCMPL", "standard", D(2025, 5, 1), D(2025, 5, 5), "approved", "", ""),
    # MCR (Medicare FFS OPD) standard 2024, 10 business days:
    # Fri 2024-11-22 -> 10th business day skipping Thanksgiving (11-28) = Mon 2024-12-09
    ("MCR", "standard", D(2024, 11, 22), D(2024, 12, 9), "approved", "", ""),
    ("MCR", "standard", D(2024, 11, 22), D(2024, 12, 10), "denied", "true", "approved"),
    # Mon 2024-07-01 -> skipping Independence Day (07-04) the 10th business day is 07-16
    ("MCR", "standard", D(2024, 7, 1), D(2024, 7, 15), "approved", "", ""),
    # MCR expedited 2024, 2 business days: Wed 2024-11-27 -> Mon 2024-12-02
    ("MCR", "expedited", D(2024, 11, 27), D(2024, 12, 2), "approved", "", ""),
    ("MCR", "expedited", D(2024, 11, 27), D(2024, 12, 3), "approved", "", ""),
)

_NO_REPORT = ("", "", "", "", "", "", "", "")
# Worked by hand from REQUESTS and REPORTS (hours / 24 for the expedited days).
# fmt: off
EXPECTED_BENCHMARK = (
    # 8 decided: 5 approved (incl. partial), 3 denied, 1 won on appeal; within 14 days: 6;
    # days sum 76 -> 9.50, median (7 + 10) / 2; report H9901 (not H9902).
    ("BMAPL", MA_ORG, "2025", "standard", "8", "62.50", "37.50", "12.50", "9.50", "8.50",
     "75.00", "88.40", "11.60", "4.10", "1.20", "5.60", "4.00", "-25.90", "3.90"),
    # 3 decided, 2 approved; within 3 days: 2; avg 8/3; H9901 41 h = 1.7083 d, 36 h = 1.5 d;
    # 66.666.. - 91.30 = -24.63; 2.6667 - 1.7083 = 0.9583 -> 0.96.
    ("BMAPL", MA_ORG, "2025", "expedited", "3", "66.67", "33.33", "", "2.67", "3.00",
     "66.67", "91.30", "8.70", "", "", "1.71", "1.50", "-24.63", "0.96"),
    # 2026: 7-day deadline, one of two within; no 2026 report yet.
    ("BMAPL", MA_ORG, "2026", "standard", "2", "100.00", "0.00", "0.00", "7.50", "7.50",
     "50.00", *_NO_REPORT),
    # appealed_requests denominator: 1 won of 3 appealed denials = 33.33 (not 1/5 = 20).
    ("BMDPL", MEDICAID_ORG, "2025", "standard", "5", "40.00", "60.00", "33.33", "9.00", "9.00",
     "80.00", "80.25", "19.75", "41.00", "", "6.25", "", "-40.25", "2.75"),
    # 30.5 h = 1.2708 d; 2.5 - 1.2708 = 1.229 -> 1.23.
    ("BMDPL", MEDICAID_ORG, "2025", "expedited", "2", "100.00", "0.00", "", "2.50", "2.50",
     "50.00", "85.00", "15.00", "", "", "1.27", "", "15.00", "1.23"),
    # no report at all; 15-day deadline: 15 and 4 within, 16 not; avg 35/3.
    ("BCMPL", COMMERCIAL_ORG, "2025", "standard", "3", "66.67", "33.33", "0.00", "11.67",
     "15.00", "66.67", *_NO_REPORT),
    # business days: 12-09 and 07-15 within, 12-10 not; days 17 18 14.
    ("MCR", "", "2024", "standard", "3", "66.67", "33.33", "33.33", "16.33", "17.00", "66.67",
     *_NO_REPORT),
    ("MCR", "", "2024", "expedited", "2", "100.00", "0.00", "", "5.50", "5.50", "50.00",
     *_NO_REPORT),
)
# fmt: on


def _csv(columns: tuple[str, ...], rows: list[dict[str, str]]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, list(columns), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue().encode()


def _benchmark(ctx: PlantContext, out: PlantOutput) -> None:
    payer_cols = EXTRACTS["payers"].column_names
    payers = []
    for payer_id, name, ptype, x12, org, report_id in PLANT_PAYERS:
        row = {
            "payer_id": payer_id,
            "payer_name": name,
            "payer_type": ptype,
            "x12_payer_id": x12,
            "parent_organization": org,
            "timely_filing_days": "180",
            "appeal_window_days": "180",
            "mppr_secondary_pct": "50",
            "bilateral_pct": "150",
            "bilateral_billing": "modifier_50",
            "underpayment_tolerance": "1.00",
            "pa_report_id": report_id,
        }
        payers.append([row[c] for c in payer_cols])
    out.extra_rows["payers"] = payers
    report_cols = EXTRACTS["payer_pa_metrics"].column_names
    out.extra_rows["payer_pa_metrics"] = [[r.get(c, "") for c in report_cols] for r in REPORTS]

    auth_cols = EXTRACTS["authorizations"].column_names
    auths = []
    for n, (payer_id, urgency, req, dec, decision, appealed, appeal_dec) in enumerate(
        REQUESTS, start=1
    ):
        approved = decision in ("approved", "partial")
        a = {
            "auth_id": f"AB{ctx.namespace:02d}{n:05d}",
            "patient_id": ctx.patient_id(n),
            "payer_id": payer_id,
            "program": "payer_pa",
            "auth_number": f"PB{ctx.namespace:02d}{n:05d}" if approved else "",
            "request_date": req.isoformat(),
            "urgency": urgency,
            "decision_date": dec.isoformat() if dec else "",
            "decision": decision,
            "decision_reason": "Conservative care not documented" if decision == "denied" else "",
            "appealed": appealed,
            "appeal_decision": appeal_dec,
            "procedure_codes": "64483",
            "spinal_region": "lumbar",
            "levels": "L4-L5",
            "laterality": "left",
            "units_approved": "1" if approved else "",
            "valid_from": req.isoformat() if approved else "",
            "valid_to": (req + timedelta(days=90)).isoformat() if approved else "",
        }
        auths.append([a[c] for c in auth_cols])
    out.extra_rows["authorizations"] = auths

    expected = [dict(zip(BENCHMARK_COLUMNS, r, strict=True)) for r in EXPECTED_BENCHMARK]
    out.raw_files.append(
        ("ground_truth", "payer_pa_benchmark.csv", _csv(BENCHMARK_COLUMNS, expected))
    )
    out.findings["payer_pa_benchmark"] = expected


def _credentialing(ctx: PlantContext, out: PlantOutput) -> None:
    as_of = ctx.as_of
    far_licence, far_dea, fresh_caqh = (
        as_of + timedelta(days=500),
        as_of + timedelta(days=600),
        as_of - timedelta(days=10),
    )
    # name (a person's, as a practice's roster reads), licence, DEA, CAQH attested on; the
    # case each one plants is in the comment
    cases = [
        # licence expires in 45 days
        ("Nadia Castellanos MD", as_of + timedelta(days=45), far_dea, fresh_caqh),
        # DEA registration expired 10 days ago
        ("Theo Blackwood DO", far_licence, as_of - timedelta(days=10), fresh_caqh),
        # CAQH re-attestation due in 20 days
        ("Priya Raman MD", far_licence, far_dea, as_of - timedelta(days=100)),
        # near miss: licence expires in 91 days
        ("Gabriel Ostrander MD", as_of + timedelta(days=91), far_dea, fresh_caqh),
        # near miss: CAQH due in 31 days
        ("Lucia Ferreira NP", far_licence, far_dea, as_of - timedelta(days=89)),
        # the 90th day still alerts; a re-attestation 30 days overdue
        ("Samuel Adeyemi PA-C", as_of + timedelta(days=90), far_dea, as_of - timedelta(days=150)),
    ]
    seen = {p.npi for p in ctx.providers}
    rows, expected = [], []
    for name, licence, dea, caqh in cases:
        npi = make_npi(ctx.rng)
        while npi in seen:
            npi = make_npi(ctx.rng)
        seen.add(npi)
        rows.append([npi, name, "TX", licence.isoformat(), dea.isoformat(), caqh.isoformat()])
        for alert, due, window in (
            ("license_expiring", licence, 90),
            ("dea_expiring", dea, 90),
            ("caqh_attestation_due", caqh + timedelta(days=120), 30),
        ):
            left = (due - as_of).days
            if left <= window:
                expected.append(
                    {
                        "npi": npi,
                        "provider_name": name,
                        "alert_type": alert,
                        "due_date": due.isoformat(),
                        "days_left": str(left),
                    }
                )
    out.extra_rows["providers"] = rows
    out.raw_files.append(
        ("ground_truth", "credentialing_alerts.csv", _csv(CREDENTIALING_COLUMNS, expected))
    )
    out.findings["credentialing_alerts"] = expected


def plant(ctx: PlantContext) -> PlantOutput:
    out = PlantOutput()
    if ctx.as_of >= PUBLISHED:
        _benchmark(ctx, out)
    else:
        out.findings["payer_pa_benchmark"] = []
    _credentialing(ctx, out)
    return out
