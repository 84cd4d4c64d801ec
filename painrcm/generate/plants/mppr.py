"""MPPR underpayment plants (rules.md §7): every variance_reason twice or more, each on a patient
of its own, beside near-misses the mart must leave alone (sequestration only, within
tolerance, a correctly paid add-on, a reversal then a correct payment, RT/LT priced right).
Codes and payers need no authorization (rules.md §2): joint, trigger point and nerve-block codes
on any payer, facet and SI codes only on Medicare FFS in the office (POS 11).
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

from painrcm.generate.adjudicate import reversal_of
from painrcm.generate.plants import PlantContext, PlantOutput
from painrcm.generate.plants.encounters import Builder, money, weekday_before


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th `weekday` (0 = Monday) of the month; n = -1: the last one."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def federal_holidays(year: int) -> set[date]:
    """Observed US federal holidays of a year (5 U.S.C. 6103; a Saturday holiday is observed
    on the Friday before, a Sunday one on the Monday after). Worked out here rather than read
    from seed us_federal_holidays, so the planted dispute_by dates check that seed."""
    fixed = [date(year, 1, 1), date(year, 7, 4), date(year, 11, 11), date(year, 12, 25)]
    if year >= 2021:  # Juneteenth National Independence Day Act
        fixed.append(date(year, 6, 19))
    floating = [
        _nth_weekday(year, 1, 0, 3),  # Martin Luther King, Jr.
        _nth_weekday(year, 2, 0, 3),  # Washington's Birthday
        _nth_weekday(year, 5, 0, -1),  # Memorial Day
        _nth_weekday(year, 9, 0, 1),  # Labor Day
        _nth_weekday(year, 10, 0, 2),  # Columbus Day
        _nth_weekday(year, 11, 3, 4),  # Thanksgiving
    ]
    observed = set(floating)
    for d in fixed:
        shift = {5: -1, 6: 1}.get(d.weekday(), 0)
        observed.add(d + timedelta(days=shift))
    return observed


def _holidays_around(d: date) -> set[date]:
    return federal_holidays(d.year - 1) | federal_holidays(d.year) | federal_holidays(d.year + 1)


def _business_days_before(d: date, n: int) -> date:
    holidays = _holidays_around(d)
    while n:
        d -= timedelta(days=1)
        if d.weekday() < 5 and d not in holidays:
            n -= 1
    return d


def check_before_holiday(dos: date, as_of: date) -> date | None:
    """A remit date two business days before an observed federal holiday, at least 14 days
    after the service and on or before the as-of date (the latest such), so its dispute_by
    (5 business days) skips the holiday; None when no holiday fits."""
    holidays = sorted(_holidays_around(dos) | _holidays_around(as_of), reverse=True)
    for holiday in holidays:
        check = _business_days_before(holiday, 2)
        if dos + timedelta(days=14) <= check <= as_of:
            return check
    return None


COLUMNS = [
    "claim_id",
    "line_number",
    "patient_id",
    "payer_id",
    "service_date",
    "procedure_code",
    "modifiers",
    "units",
    "rank_on_claim",
    "expected_allowed",
    "paid_allowed",
    "variance",
    "variance_reason",
    "remit_date",
    "dispute_by",
]


def business_days_after(d: date, n: int = 5) -> date:
    holidays = _holidays_around(d)
    while n:
        d += timedelta(days=1)
        if d.weekday() < 5 and d not in holidays:
            n -= 1
    return d


def plant(ctx: PlantContext) -> PlantOutput:
    out = PlantOutput()
    b = Builder(ctx, out, f"9{ctx.namespace:02d}")
    rows: list[dict] = []
    base = weekday_before(ctx.as_of - timedelta(days=60))

    def case(
        payer_id,
        lines,
        target,
        paid_pct=None,
        rank=None,
        reason=None,
        pos="11",
        check=None,
        send_b6=None,
        short_by=None,
        modality="none",
    ):
        dos = weekday_before(base + timedelta(days=b.n))
        enc = b.encounter(payer_id, dos, pos, lines, modality, modality != "none")
        exp = b.expected(enc)
        allowed = {}
        if target:
            fee = b.fee(enc, lines[target - 1][0], lines[target - 1][1])
            if short_by is not None:
                new = exp[target - 1] - short_by
            else:
                new = (fee * paid_pct).quantize(Decimal("0.01"))
            allowed[target] = new
        chk = check or dos + timedelta(days=21)
        b.pay(enc, chk, allowed, send_b6=send_b6)
        if reason:
            code, mods, units = lines[target - 1]
            rows.append(
                {
                    "claim_id": enc["claim_id"],
                    "line_number": target,
                    "patient_id": enc["pid"],
                    "payer_id": payer_id,
                    "service_date": dos.isoformat(),
                    "procedure_code": code,
                    "modifiers": mods,
                    "units": units,
                    "rank_on_claim": rank,
                    "expected_allowed": money(exp[target - 1]),
                    "paid_allowed": money(allowed[target]),
                    "variance": money(exp[target - 1] - allowed[target]),
                    "variance_reason": reason,
                    "remit_date": chk.isoformat(),
                    "dispute_by": business_days_after(chk).isoformat(),
                }
            )
        return enc

    # wrong_reduction_pct: the rank-2 line paid at 25% (contract 50%, 60% at COGCB)
    case(
        "COPEC",
        [("64405", "", 1), ("20553", "", 1)],
        2,
        Decimal("0.25"),
        rank=2,
        reason="wrong_reduction_pct",
    )
    case(
        "COGCB",
        [("64418", "", 1), ("20552", "", 1)],
        2,
        Decimal("0.50"),
        rank=2,
        reason="wrong_reduction_pct",
    )
    case(
        "MCDBB",
        [("64450", "", 1), ("20553", "", 2)],
        2,
        Decimal("0.40"),
        rank=2,
        reason="wrong_reduction_pct",
        send_b6=False,
    )
    # reduction_on_primary: rank 1 paid at the secondary % (the payer reduced the wrong line)
    case(
        "COPEC",
        [("64418", "", 1), ("20552", "", 1)],
        1,
        Decimal("0.50"),
        rank=1,
        reason="reduction_on_primary",
    )
    case(
        "COGCB",
        [("64405", "", 1), ("20610", "RT", 1)],
        1,
        Decimal("0.60"),
        rank=1,
        reason="reduction_on_primary",
    )
    # add_on_reduced: an add-on (MULT PROC 0) or imaging line reduced to 50%
    case(
        "MCR",
        [("64493", "", 1), ("64494", "", 1)],
        2,
        Decimal("0.50"),
        rank=None,
        reason="add_on_reduced",
    )
    case(
        "COPEC",
        [("20610", "LT", 1), ("77002", "", 1)],
        2,
        Decimal("0.50"),
        rank=None,
        reason="add_on_reduced",
        modality="fluoroscopy",
    )
    # bilateral_misprice: modifier 50 priced at 100% (contract 150%); an RT/LT pair member
    case("MCR", [("64493", "50", 1)], 1, Decimal("1.00"), rank=1, reason="bilateral_misprice")
    case("MCR", [("27096", "50", 1)], 1, Decimal("1.00"), rank=1, reason="bilateral_misprice")
    case(
        "COTRM",
        [("20610", "RT", 1), ("20610", "LT", 1)],
        2,
        Decimal("0.25"),
        rank=2,
        reason="bilateral_misprice",
    )
    # fee_schedule_mismatch: a single line paid under the contracted fee; the second one's
    # remit comes two business days before a federal holiday, so its dispute_by skips it
    # (as of 2026-11-30: remit 2026-11-24, Thanksgiving 2026-11-26, dispute_by 2026-12-02)
    case("COPEC", [("20553", "", 1)], 1, Decimal("0.90"), rank=1, reason="fee_schedule_mismatch")
    dos = weekday_before(base + timedelta(days=b.n))
    case(
        "COTRM",
        [("64450", "RT", 1)],
        1,
        Decimal("0.80"),
        rank=1,
        reason="fee_schedule_mismatch",
        check=check_before_holiday(dos, ctx.as_of),
    )

    # ---- near-misses: nothing to flag -------------------------------------------------
    # Medicare without AMT*B6: paid + deductible/coinsurance + CO-253 = the contract
    case("MCR", [("20552", "", 1), ("64405", "", 1)], None, send_b6=False)
    # within tolerance (COGCB tolerates 2.00): 1.50 short
    case("COGCB", [("20553", "", 1)], 1, short_by=Decimal("1.50"))
    # an add-on paid at 100%
    case("MCR", [("64493", "", 1), ("64494", "", 1)], None)
    # a wrong first pass, its reversal and the correct payment
    dos = weekday_before(base + timedelta(days=b.n))
    enc = b.encounter("COPEC", dos, "11", [("20553", "", 1), ("64405", "", 1)])
    wrong = b.pay(enc, dos + timedelta(days=14), shift_pct=Decimal(12))
    b.add_remit("COPEC", dos + timedelta(days=35), reversal_of(wrong))
    b.pay(enc, dos + timedelta(days=35))
    # RT/LT priced right at an rt_lt payer
    case("COTRM", [("20610", "RT", 1), ("20610", "LT", 1)], None)

    b.finish()
    out.findings["mppr_underpayments"] = rows
    buf = io.StringIO()
    w = csv.DictWriter(buf, COLUMNS, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({**r, "rank_on_claim": "" if r["rank_on_claim"] is None else r["rank_on_claim"]})
    out.raw_files.append(("ground_truth", "mppr_underpayments.csv", buf.getvalue().encode()))
    return out
