"""Step 2: the claims. Every completed encounter is billed a few days later; each month of
chronic pain management is documented (care time) and, once the month is over, billed as
G3002 plus a G3003 unit for each further 15 minutes (rules.md §14, thresholds read from seed
chronic_pain_rules). Claim ids follow submission order.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from painrcm.generate import practice
from painrcm.generate.calendar import Window, add_months, month_end
from painrcm.generate.reference import Payer, chargemaster
from painrcm.generate.seeds import seed_rows
from painrcm.generate.writers import iso


def chronic_pain_threshold(key: str) -> int:
    """A rules.md §14 threshold of seed chronic_pain_rules (minutes or weeks)."""
    return next(
        int(float(r["threshold_value"]))
        for r in seed_rows("chronic_pain_rules")
        if r["rule_type"] == "threshold" and r["rule_key"] == key
    )


G3002_MINUTES = chronic_pain_threshold("g3002_min_minutes")  # the month's first unit
G3003_MINUTES = chronic_pain_threshold("g3003_increment_minutes")  # each further unit
INITIAL_VISIT_MINUTES = chronic_pain_threshold("initial_in_person_minutes")
CHRONIC_PAIN_WEEKS = chronic_pain_threshold("chronic_pain_min_weeks")


class Claim:
    __slots__ = ("claim_id", "enc", "submitted", "charges", "payer")

    def __init__(self, claim_id, enc, submitted, charges, payer):
        self.claim_id = claim_id
        self.enc: practice.Enc = enc
        self.submitted: date = submitted
        self.charges: list[Decimal] = charges
        self.payer: Payer = payer


def charges_of(lines: list[practice.Line]) -> list[Decimal]:
    """The chargemaster price of each line (twice for a modifier-50 bilateral line)."""
    return [
        chargemaster(ln.code) * ln.units * (2 if "50" in ln.mods.split() else 1) for ln in lines
    ]


def bill_encounters(
    rng: random.Random, window: Window, encounters: list[practice.Enc]
) -> list[Claim]:
    """One claim per completed encounter, submitted 1-4 days after the visit (by as_of)."""
    claims = []
    for e in encounters:
        if e.status != "completed":
            continue
        sub = e.date + timedelta(days=rng.randint(1, 4))
        if sub > window.as_of:
            continue
        claims.append(Claim("", e, sub, charges_of(e.lines), e.patient.payer))
    return claims


_ACTIVITIES = (
    "medication management",
    "care plan review",
    "care coordination call",
    "patient education",
)


def chronic_pain_months(
    rng: random.Random, window: Window, ccm: list[tuple[practice.Patient, date, int]]
) -> tuple[list[list[str]], list[Claim]]:
    """Care-time rows (contract column order) and a claim per finished month of each patient."""
    as_of = window.as_of
    care_rows: list[list[str]] = []
    claims: list[Claim] = []
    n_act = 0
    for p, m0, n in ccm:
        for k in range(n):
            m = add_months(m0, k)
            if m > as_of:
                break
            mend = month_end(m)
            in_progress = mend >= as_of
            acts = _month_activities(
                rng, m, min(mend, as_of), first_month=k == 0, in_progress=in_progress
            )
            for a in acts:
                n_act += 1
                care_rows.append(
                    [
                        f"CT{n_act:08d}",
                        p.pid,
                        p.payer.payer_id,
                        p.provider.npi,
                        iso(a[0]),
                        str(a[1]),
                        "true" if a[2] else "false",
                        a[3],
                    ]
                )
            if in_progress:
                continue
            minutes = sum(a[1] for a in acts)
            lines = [practice.Line("G3002")]
            extra_units = (minutes - G3002_MINUTES) // G3003_MINUTES
            if extra_units:
                lines.append(practice.Line("G3003", "", extra_units))
            e = practice.Enc(p, acts[-1][0], "11", lines, "ccm", "G89.29 M54.50")
            sub = min(mend + timedelta(days=rng.randint(1, 4)), as_of)
            claims.append(Claim("", e, sub, charges_of(lines), p.payer))
    return care_rows, claims


def _month_activities(
    rng: random.Random, m: date, last_day: date, first_month: bool, in_progress: bool
) -> list[tuple[date, int, bool, str]]:
    """(date, minutes, face to face, activity) of one month, sorted; a finished month holds
    at least the minutes G3002 needs, the month still running only a call or two."""
    acts: list[tuple[date, int, bool, str]] = []
    span = (last_day - m).days
    if in_progress:
        for _ in range(rng.randint(0, 2)):
            day = m + timedelta(days=rng.randint(0, span))
            acts.append((day, rng.randint(5, 12), False, "care coordination call"))
    else:
        if first_month:
            day = m + timedelta(days=rng.randint(0, 10))
            minutes = rng.randint(INITIAL_VISIT_MINUTES, INITIAL_VISIT_MINUTES + 15)
            acts.append((day, minutes, True, "initial chronic pain management visit"))
        for _ in range(rng.randint(1, 3)):
            day = m + timedelta(days=rng.randint(0, span))
            acts.append((day, rng.randint(8, 25), False, rng.choice(_ACTIVITIES)))
        total = sum(a[1] for a in acts)
        if total < G3002_MINUTES:
            day = m + timedelta(days=rng.randint(0, span))
            acts.append((day, G3002_MINUTES - total + 5, False, "care plan review"))
    acts.sort()
    return acts


def number_claims(claims: list[Claim]) -> list[Claim]:
    """Sort by submission (then service date, patient, appointment) and give claim ids."""
    claims.sort(key=lambda c: (c.submitted, c.enc.date, c.enc.patient.n, c.enc.appt_id))
    for i, c in enumerate(claims, start=1):
        c.claim_id = f"C{i:08d}"
    return claims
