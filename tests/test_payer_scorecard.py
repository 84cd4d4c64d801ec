"""marts.payer_scorecard (issue #24) against the marts it summarises: on the generated
practice, every figure of every payer and period is recomputed here from the detail marts
(fee_schedule_comparison, denials, mppr_underpayments, ar_worklist, payer_pa_benchmark,
practice_kpis) and from the claims and authorizations extracts, and must agree to the cent.
The statuses of a missing Medicare fee or payer report are pinned by the dbt unit test
payer_scorecard_missing_fee_report_and_days_to_pay (the generated fees are complete)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest

from tests.conftest import AS_OF
from tests.dbt_warehouse import query_dicts as rows
from tests.ground_truth import current_rows

CENT = Decimal("0.01")


def pct(part: Decimal | int, whole: Decimal | int) -> Decimal:
    return (Decimal(100) * Decimal(part) / Decimal(whole)).quantize(CENT, ROUND_HALF_UP)


@pytest.fixture(scope="module")
def scorecard(built_warehouse) -> dict[tuple[str, str], dict[str, object]]:
    got = rows(built_warehouse, "select * from marts.payer_scorecard")
    return {(r["payer_id"], r["period"]): r for r in got}


@pytest.fixture(scope="module")
def periods(scorecard) -> dict[str, tuple[date, date]]:
    return {period: (r["period_start"], r["period_end"]) for (_, period), r in scorecard.items()}


def in_period(day: date | None, bounds: tuple[date, date]) -> bool:
    return day is not None and bounds[0] <= day <= bounds[1]


def test_one_row_per_payer_and_period(scorecard, periods, practice_inbox):
    payers = {p["payer_id"] for p in current_rows(practice_inbox, "payers", ("payer_id",))}
    years = sorted(int(p) for p in periods if p != "12m")
    assert years == list(range(years[0], AS_OF.year + 1))
    assert set(scorecard) == {(p, period) for p in payers for period in periods}
    # 12m is fee_schedule_comparison's window: after as-of - 12 months, up to as-of.
    assert periods["12m"] == (date(AS_OF.year - 1, AS_OF.month, AS_OF.day) + timedelta(1), AS_OF)
    assert periods[str(AS_OF.year)] == (date(AS_OF.year, 1, 1), AS_OF)
    assert all(r["as_of_date"] == AS_OF for r in scorecard.values())


def test_lines_and_charges_are_the_claims_extract(scorecard, periods, practice_inbox):
    lines: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
    for c in current_rows(practice_inbox, "claims", ("claim_id", "line_number")):
        served = date.fromisoformat(c["service_date"])
        for period, bounds in periods.items():
            if in_period(served, bounds):
                lines[(c["payer_id"], period)].append(Decimal(c["charge_amount"]))
    assert sum(r["claim_lines"] for r in scorecard.values()) > 0
    for key, r in scorecard.items():
        assert r["claim_lines"] == len(lines[key]), key
        assert r["charges"] == sum(lines[key], Decimal(0)), key


def test_fee_figures_sum_fee_schedule_comparison(built_warehouse, scorecard):
    fees = rows(built_warehouse, "select * from marts.fee_schedule_comparison")
    by_payer: dict[str, list[dict]] = defaultdict(list)
    for f in fees:
        by_payer[f["payer_id"]].append(f)
    checked = 0
    for (payer, period), r in scorecard.items():
        if period != "12m":
            continue
        fs = by_payer[payer]
        priced = [f for f in fs if f["medicare_allowed"] is not None]
        assert r["fee_units"] == sum(f["units_last_12_months"] for f in fs)
        assert r["fee_revenue"] == sum((f["revenue_last_12_months"] for f in fs), Decimal(0))
        assert r["revenue_plus_10_points"] == sum(
            (f["revenue_at_medicare_plus_10pts"] for f in priced), Decimal(0)
        )
        at_medicare = sum(
            (f["units_last_12_months"] * f["medicare_allowed"] for f in priced), Decimal(0)
        )
        revenue = sum((f["revenue_last_12_months"] for f in priced), Decimal(0))
        if at_medicare:
            assert r["pct_of_medicare"] == pct(revenue, at_medicare), payer
            assert r["gain_of_10_points"] == r["revenue_plus_10_points"] - revenue
            checked += 1
        else:
            assert r["pct_of_medicare"] is None
            assert r["medicare_fee_status"] != "complete"
    assert checked >= 5
    # The codes detail's 12m rows are fee_schedule_comparison's rows with volume.
    codes = rows(
        built_warehouse,
        "select payer_id, procedure_code, modifier, setting, units, revenue "
        "from marts.payer_scorecard_codes where period = '12m'",
    )
    assert sorted(
        (c["payer_id"], c["procedure_code"], c["modifier"], c["setting"], c["units"], c["revenue"])
        for c in codes
    ) == sorted(
        (
            f["payer_id"],
            f["procedure_code"],
            f["modifier"],
            f["setting"],
            f["units_last_12_months"],
            f["revenue_last_12_months"],
        )
        for f in fees
        if f["units_last_12_months"] > 0
    )


def test_year_fee_rows_sum_the_codes_detail(built_warehouse, scorecard):
    codes = rows(built_warehouse, "select * from marts.payer_scorecard_codes")
    units: dict[tuple[str, str], int] = defaultdict(int)
    for c in codes:
        units[(c["payer_id"], c["period"])] += c["units"]
    for key, r in scorecard.items():
        assert r["fee_units"] == units[key], key


def test_denials_sum_marts_denials(built_warehouse, scorecard, periods):
    denials = rows(built_warehouse, "select * from marts.denials")
    assert denials
    for (payer, period), r in scorecard.items():
        mine = [
            d
            for d in denials
            if d["payer_id"] == payer and in_period(d["denial_date"], periods[period])
        ]
        denied = sum((d["denied_amount"] for d in mine), Decimal(0))
        recovered = sum((d["recovered_amount"] for d in mine), Decimal(0))
        assert r["denials"] == len(mine)
        assert r["denied_amount"] == denied
        assert r["recovered_amount"] == recovered
        assert r["recovery_rate"] == (pct(recovered, denied) if denied else Decimal("0.00"))
        by_category: dict[str, Decimal] = defaultdict(Decimal)
        for d in mine:
            by_category[d["denial_category"]] += d["denied_amount"]
        top = sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        top += [(None, None)] * (3 - len(top))
        for n, (category, amount) in enumerate(top, start=1):
            assert r[f"top_denial_category_{n}"] == category, (payer, period, n)
            assert r[f"top_denial_amount_{n}"] == amount, (payer, period, n)


def test_underpayments_sum_mppr_underpayments(built_warehouse, scorecard, periods):
    lines = rows(built_warehouse, "select * from marts.mppr_underpayments")
    assert lines
    for (payer, period), r in scorecard.items():
        mine = [
            u
            for u in lines
            if u["payer_id"] == payer and in_period(u["remit_date"], periods[period])
        ]
        assert r["underpaid_lines"] == len(mine)
        assert r["underpaid_amount"] == sum((u["variance"] for u in mine), Decimal(0))


def test_ar_sums_ar_worklist(built_warehouse, scorecard, periods):
    claims = rows(built_warehouse, "select * from marts.ar_worklist")
    assert any(c["age_days"] > 90 for c in claims)
    for (payer, period), r in scorecard.items():
        mine = [
            c
            for c in claims
            if c["payer_id"] == payer
            and (period == "12m" or in_period(c["service_date"], periods[period]))
        ]
        old = [c for c in mine if c["age_days"] > 90]
        assert r["ar_open_balance"] == sum((c["open_balance"] for c in mine), Decimal(0))
        assert r["ar_over_90_days"] == sum((c["open_balance"] for c in old), Decimal(0))
        assert r["ar_over_90_claims"] == len(old)
    # A balance, not a flow: the years split the as-of A/R, the 12m row holds all of it.
    for payer in {p for p, _ in scorecard}:
        years = [r for (p, period), r in scorecard.items() if p == payer and period != "12m"]
        assert (
            sum(r["ar_open_balance"] for r in years) == scorecard[(payer, "12m")]["ar_open_balance"]
        )


def test_first_pass_is_practice_kpis_by_payer(built_warehouse, scorecard, periods):
    kpis = rows(
        built_warehouse,
        "select month, claims_first_remitted, claims_first_pass_denied, claims_clean "
        "from marts.practice_kpis",
    )
    for period, bounds in periods.items():
        months = [k for k in kpis if bounds[0] <= k["month"] <= bounds[1]]
        mine = [r for (_, p), r in scorecard.items() if p == period]
        for column in ("claims_first_remitted", "claims_first_pass_denied"):
            assert sum(r[column] for r in mine) == sum(k[column] for k in months), period
    for key, r in scorecard.items():
        buckets = [r[c] for c in r if c.startswith("days_to_pay_")]
        assert len(buckets) == 6
        assert sum(buckets) == r["claims_first_remitted"], key
        if r["claims_first_remitted"]:
            assert r["first_pass_denial_rate"] == pct(
                r["claims_first_pass_denied"], r["claims_first_remitted"]
            )
            assert r["median_days_to_pay"] <= r["p90_days_to_pay"]
        else:
            assert r["median_days_to_pay"] is None


def test_days_to_pay_from_the_first_remits(built_warehouse, scorecard, periods):
    first = rows(built_warehouse, "select * from intermediate.int_claims_first_remitted")
    for (payer, period), r in scorecard.items():
        days = sorted(
            f["days_to_first_remit"]
            for f in first
            if f["payer_id"] == payer and in_period(f["first_remit_date"], periods[period])
        )
        if not days:
            continue
        n = len(days)
        median = (Decimal(days[(n - 1) // 2]) + Decimal(days[n // 2])) / 2
        assert r["median_days_to_pay"] == median.quantize(Decimal("0.1"), ROUND_HALF_UP)
        assert r["p90_days_to_pay"] == days[-(-9 * n // 10) - 1]


def test_pa_figures_are_payer_pa_benchmark(built_warehouse, scorecard, periods, practice_inbox):
    bench = rows(built_warehouse, "select * from marts.payer_pa_benchmark")
    standard = {
        (b["payer_id"], b["report_year"]): b for b in bench if b["request_type"] == "standard"
    }
    compared = missing = 0
    for (payer, period), r in scorecard.items():
        year = r["pa_report_year"]
        assert year == (AS_OF.year - 1 if period == "12m" else int(period))
        b = standard.get((payer, year))
        if b is None:
            assert r["pa_report_status"] == (
                f"no decided standard PA requests in {year} to compare"
            )
            assert r["pa_practice_pct_approved"] is None
            continue
        assert r["pa_standard_requests_decided"] == b["practice_requests"]
        for mine, theirs in (
            ("pa_practice_pct_approved", "practice_pct_approved"),
            ("pa_payer_pct_approved", "payer_pct_approved"),
            ("pa_approval_gap_pts", "approval_gap_pts"),
            ("pa_practice_avg_decision_days", "practice_avg_decision_days"),
            ("pa_payer_avg_decision_days", "payer_avg_decision_days"),
            ("pa_decision_days_gap", "decision_days_gap"),
            ("pa_practice_pct_within_deadline", "practice_pct_within_deadline"),
        ):
            assert r[mine] == b[theirs], (payer, period, mine)
        if b["payer_pct_approved"] is None:
            assert r["pa_report_status"] == f"no public report for {year}"
            missing += 1
        else:
            assert r["pa_report_status"] == f"compared with the payer report for {year}"
            compared += 1
    assert compared and missing
    # Requests made in a year: decided ones are the benchmark's, both request types.
    decided: dict[tuple[str, int], int] = defaultdict(int)
    for b in bench:
        decided[(b["payer_id"], b["report_year"])] += b["practice_requests"]
    requested: dict[tuple[str, str], int] = defaultdict(int)
    for a in current_rows(practice_inbox, "authorizations", ("auth_id",)):
        asked = date.fromisoformat(a["request_date"])
        for period, bounds in periods.items():
            if a["program"] == "payer_pa" and in_period(asked, bounds):
                requested[(a["payer_id"], period)] += 1
    for (payer, period), r in scorecard.items():
        assert r["pa_requests"] == requested[(payer, period)], (payer, period)
        if period != "12m":
            assert r["pa_requests_decided"] == decided[(payer, int(period))], (payer, period)


def test_days_to_pay_band_labels_are_read_from_the_mart():
    """The chart's labels come from the band columns (named by macro days_to_pay_bands), an
    open band reads "over 90" (61-90 already holds day 90), not "90+"."""
    from painrcm.scorecard import days_to_pay_bands

    assert days_to_pay_bands() == (
        ("0-15", "days_to_pay_0_15"),
        ("16-30", "days_to_pay_16_30"),
        ("31-45", "days_to_pay_31_45"),
        ("46-60", "days_to_pay_46_60"),
        ("61-90", "days_to_pay_61_90"),
        ("over 90", "days_to_pay_over_90"),
    )


def test_each_days_to_pay_band_counts_the_days_its_label_says(built_warehouse, scorecard, periods):
    from painrcm.scorecard import days_to_pay_bands

    first = rows(built_warehouse, "select * from intermediate.int_claims_first_remitted")
    checked = 0
    for (payer, period), r in scorecard.items():
        days = [
            f["days_to_first_remit"]
            for f in first
            if f["payer_id"] == payer and in_period(f["first_remit_date"], periods[period])
        ]
        for label, column in days_to_pay_bands():
            if label.startswith("over "):
                low, high = int(label.split()[1]) + 1, None
            else:
                low, high = (int(x) for x in label.split("-"))
            expected = sum(1 for d in days if d >= low and (high is None or d <= high))
            assert r[column] == expected, (payer, period, column)
            checked += expected
    assert checked, "the practice has first remits in some band"
