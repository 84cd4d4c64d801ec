"""Pay each claim exactly per contract (rules.md §7) and shape it as an 835 claim payment.

A remitted claim is a `RemitClaim` with one `RemitLine` per service line. Amounts are
Decimal cents. CAS adjustments are (group, carc, amount) triplets; the line always balances
(charge - paid = sum of its CAS) and the claim too (charge - paid = line CAS + claim CAS).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from painrcm.generate.reference import (
    BILAT_1,
    MPPR_EXEMPT,
    ZERO,
    Payer,
    q,
    setting_of,
)

HUNDRED = Decimal(100)
SEQUESTRATION = Decimal("0.02")  # Medicare payment reduction since 2013 (CARC 253)
MEDICARE_COINS = Decimal("0.20")
PART_B_DEDUCTIBLE = {2025: Decimal("257.00"), 2026: Decimal("283.00")}


@dataclass(slots=True)
class RemitLine:
    line_number: int
    code: str
    mods: str
    units: int
    charge: Decimal
    paid: Decimal
    allowed: Decimal | None
    cas: list[tuple[str, str, Decimal]]
    rarcs: list[str] = field(default_factory=list)
    service_date: date | None = None


@dataclass(slots=True)
class RemitClaim:
    claim_id: str
    status: str  # CLP02: 1 primary, 2 secondary, 22 reversal
    charge: Decimal
    paid: Decimal
    patient_resp: Decimal
    filing: str
    icn: str
    patient_last: str
    patient_first: str
    member_id: str
    service_date: date
    lines: list[RemitLine]
    claim_cas: list[tuple[str, str, Decimal]] = field(default_factory=list)
    moa: str = ""
    claim_ref: object = None  # the generator's claim (for ledger/secondary)


class FeeBook:
    """Contracted fee for one unit: payer x code x pricing modifier x setting x year."""

    def __init__(self, rows, years: list[int]):
        self.years = years
        self.fees: dict[tuple, Decimal] = {}
        for payer_id, code, mod, setting, amount, eff_from, _eff_to in rows:
            self.fees[(payer_id, code, mod, setting, eff_from.year)] = amount

    def fee(self, payer_id: str, code: str, mods: str, pos: str, dos: date) -> Decimal:
        year = min(max(dos.year, self.years[0]), self.years[-1])
        mod = "26" if "26" in mods.split() else ""
        return self.fees[(payer_id, code, mod, setting_of(pos), year)]


def expected_allowed(
    payer: Payer, fees: list[Decimal], codes: list[str], mods: list[str], units: list[int]
) -> list[Decimal]:
    """rules.md §7: fee x bilateral factor x sum of the per-unit MPPR factors, per line."""
    sec = payer.mppr_secondary_pct / HUNDRED
    bil = []
    for code, m in zip(codes, mods, strict=True):
        if payer.bilateral_billing == "modifier_50" and "50" in m.split() and code in BILAT_1:
            bil.append(payer.bilateral_pct / HUNDRED)
        else:
            bil.append(Decimal(1))
    ranked = sorted(
        (i for i, c in enumerate(codes) if c not in MPPR_EXEMPT),
        key=lambda i: (-(fees[i] * bil[i]), i),
    )
    rank = {i: r for r, i in enumerate(ranked, start=1)}
    out = []
    for i in range(len(codes)):
        u = Decimal(units[i])
        r = rank.get(i)
        if r is None:
            factor = u
        elif r == 1:
            factor = 1 + (u - 1) * sec
        else:
            factor = u * sec
        out.append(q(fees[i] * bil[i] * factor))
    return out


def _full_price(payer: Payer, fee: Decimal, code: str, mods: str, units: int) -> Decimal:
    bil = (
        payer.bilateral_pct / HUNDRED
        if payer.bilateral_billing == "modifier_50" and "50" in mods.split() and code in BILAT_1
        else Decimal(1)
    )
    return q(fee * bil * units)


class Adjudicator:
    """Holds per-patient deductible state; adjudicate claims in remit-date order."""

    def __init__(self, rng: random.Random, book: FeeBook):
        self.rng = rng
        self.book = book
        self.deductible_left: dict[tuple[str, int], Decimal] = {}
        self._priced: dict[tuple, tuple[list[Decimal], list[Decimal]]] = {}

    def price(self, payer: Payer, pos: str, dos: date, lines) -> tuple[list, list]:
        """(expected allowed, undiscounted price) per line; memoised, claims repeat a lot."""
        key = (
            payer.payer_id,
            setting_of(pos),
            min(max(dos.year, self.book.years[0]), self.book.years[-1]),
            tuple((ln.code, ln.mods, ln.units) for ln in lines),
        )
        hit = self._priced.get(key)
        if hit is None:
            fees = [self.book.fee(payer.payer_id, ln.code, ln.mods, pos, dos) for ln in lines]
            allowed = expected_allowed(
                payer,
                fees,
                [ln.code for ln in lines],
                [ln.mods for ln in lines],
                [ln.units for ln in lines],
            )
            full = [
                _full_price(payer, f, ln.code, ln.mods, ln.units)
                for f, ln in zip(fees, lines, strict=True)
            ]
            hit = self._priced[key] = (allowed, full)
        return hit

    def adjudicate(
        self, payer: Payer, claim, icn: str, allowed_shift_pct: Decimal = ZERO
    ) -> RemitClaim:
        """`claim` is a generator Claim; allowed_shift_pct lowers line 1 by that percent (a
        wrong first pass the payer later reverses and corrects)."""
        enc = claim.enc
        p = enc.patient
        lines = enc.lines
        allowed, fulls = self.price(payer, enc.pos, enc.date, lines)
        allowed = list(allowed)
        if allowed_shift_pct:
            allowed[0] = allowed[0] - q(allowed[0] * allowed_shift_pct / HUNDRED)
        rl: list[RemitLine] = []
        claim_cas: list[tuple[str, str, Decimal]] = []
        t = payer.payer_type
        copay_left = ZERO
        if t == "medicare_advantage" and payer.proc_copay and enc.kind == "procedure":
            copay_left = payer.proc_copay
        ded_key = (p.pid, enc.date.year)
        for i, ln in enumerate(lines):
            charge = claim.charges[i]
            a = allowed[i]
            full = fulls[i]
            cas: list[tuple[str, str, Decimal]] = []
            co = []
            if charge - max(full, a):
                co.append(("CO", "45", charge - max(full, a)))
            if full > a:
                co.append(("CO", "59", full - a))
            pr = []
            rarcs: list[str] = []
            paid = a
            if t == "medicare_ffs":
                ded = ZERO
                left = self.deductible_left.get(ded_key)
                if left is None:
                    left = (
                        PART_B_DEDUCTIBLE.get(enc.date.year, Decimal("283.00"))
                        if self.rng.random() < 0.3
                        else ZERO
                    )
                if left > 0:
                    ded = min(left, q(a * Decimal("0.8")))
                    left -= ded
                self.deductible_left[ded_key] = left
                coins = q((a - ded) * MEDICARE_COINS)
                payable = a - ded - coins
                seq = q(payable * SEQUESTRATION)
                paid = payable - seq
                if ded:
                    pr.append(("PR", "1", ded))
                if coins:
                    pr.append(("PR", "2", coins))
                if seq:
                    co.append(("CO", "253", seq))
            else:
                is_em = ln.code.startswith("992")
                if is_em and payer.em_copay and not payer.claim_level_copay:
                    c = min(payer.em_copay, a - Decimal("1.00"))
                    pr.append(("PR", "3", c))
                    paid -= c
                elif is_em and payer.em_copay and payer.claim_level_copay:
                    c = min(payer.em_copay, a - Decimal("1.00"))
                    claim_cas.append(("PR", "3", c))
                elif copay_left and a > copay_left:
                    pr.append(("PR", "3", copay_left))
                    paid -= copay_left
                    copay_left = ZERO
                elif payer.proc_coins_pct and enc.kind == "procedure":
                    c = q(a * payer.proc_coins_pct / HUNDRED)
                    if c:
                        pr.append(("PR", "2", c))
                        paid -= c
                if t in ("commercial",) and any(x[1] == "59" for x in co):
                    rarcs.append("N381")
            cas = co + pr
            assert charge - paid == sum(x[2] for x in cas), (claim.claim_id, ln.code)
            if payer.payer_type in ("commercial", "medicare_advantage") and not rarcs:
                rarcs = ["N381"] if self.rng.random() < 0.3 else []
            rl.append(
                RemitLine(
                    i + 1,
                    ln.code,
                    ln.mods,
                    ln.units,
                    charge,
                    paid,
                    a if payer.send_b6 else None,
                    cas,
                    rarcs,
                    enc.date,
                )
            )
        charge_total = sum(claim.charges, ZERO)
        claim_paid = sum((x.paid for x in rl), ZERO) - sum((x[2] for x in claim_cas), ZERO)
        pr_total = sum((x[2] for r in rl for x in r.cas if x[0] == "PR"), ZERO) + sum(
            (x[2] for x in claim_cas if x[0] == "PR"), ZERO
        )
        return RemitClaim(
            claim.claim_id,
            "1",
            charge_total,
            claim_paid,
            pr_total,
            payer.claim_filing_code,
            icn,
            p.last,
            p.first,
            p.member_id,
            enc.date,
            rl,
            claim_cas,
            "MA01" if t == "medicare_ffs" else "",
            claim,
        )


def reversal_of(rc: RemitClaim) -> RemitClaim:
    """CLP02 22: the earlier payment with every amount negated."""

    def neg(x: Decimal) -> Decimal:
        return -x if x else x

    lines = [
        RemitLine(
            x.line_number,
            x.code,
            x.mods,
            x.units,
            neg(x.charge),
            neg(x.paid),
            None if x.allowed is None else neg(x.allowed),
            [(g, c, neg(a)) for g, c, a in x.cas],
            [],
            x.service_date,
        )
        for x in rc.lines
    ]
    return RemitClaim(
        rc.claim_id,
        "22",
        neg(rc.charge),
        neg(rc.paid),
        neg(rc.patient_resp),
        rc.filing,
        rc.icn,
        rc.patient_last,
        rc.patient_first,
        rc.member_id,
        rc.service_date,
        lines,
        [(g, c, neg(a)) for g, c, a in rc.claim_cas],
        rc.moa,
        rc.claim_ref,
    )


def secondary_of(rc: RemitClaim, icn: str) -> RemitClaim:
    """CLP02 2: a Medigap crossover paying the Medicare cost sharing (OA-23 the rest)."""
    lines = []
    for x in rc.lines:
        pay = sum((a for g, _c, a in x.cas if g == "PR"), ZERO)
        cas = [("OA", "23", x.charge - pay)] if x.charge - pay else []
        lines.append(
            RemitLine(
                x.line_number, x.code, x.mods, x.units, x.charge, pay, None, cas, [], x.service_date
            )
        )
    paid = sum((x.paid for x in lines), ZERO)
    return RemitClaim(
        rc.claim_id,
        "2",
        rc.charge,
        paid,
        ZERO,
        "CI",
        icn,
        rc.patient_last,
        rc.patient_first,
        rc.member_id,
        rc.service_date,
        lines,
        [],
        "",
        rc.claim_ref,
    )
