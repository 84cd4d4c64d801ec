"""Step 1 of the practice: patients arrive, follow a pathway and book encounters and auths.

An established panel (seen before the window) on simple pathways, then new arrivals at the
rate that gives about `claims_per_month` claims a month in steady state. Each patient's
encounters are cut to the window, a few procedures get a cancelled first booking, every
auth-requiring line gets its authorization, and some chronic-pain patients enrol in monthly
chronic pain management (billed in the claims step).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from painrcm.generate import authorizations, pathways, practice
from painrcm.generate.billing import CHRONIC_PAIN_WEEKS
from painrcm.generate.calendar import Window, add_months, month_start
from painrcm.generate.practice import Enc, Line
from painrcm.generate.reference import PAYERS, Provider

# Calibrated so that claims per month come out near `claims_per_month` in steady state.
CLAIMS_PER_ARRIVAL = 4.6
ESTABLISHED_PER_CLAIM = 2.2


@dataclass
class Schedule:
    encounters: list[practice.Enc] = field(default_factory=list)  # in appointment-id order
    auths: list[practice.Auth] = field(default_factory=list)
    # chronic pain management enrolments: patient, first month, number of months
    ccm: list[tuple[practice.Patient, date, int]] = field(default_factory=list)
    n_patients: int = 0


def schedule_encounters(
    rng: random.Random, window: Window, providers: list[Provider], claims_per_month: int
) -> Schedule:
    """Every patient's encounters and authorizations; appointment ids in date order."""
    s = Schedule()
    names, weights = zip(*pathways.PATHWAYS, strict=True)
    s_names, s_weights = zip(*pathways.SIMPLE_PATHWAYS, strict=True)
    payer_weights = [p.weight for p in PAYERS]

    def admit(t0: date, pathway: str) -> None:
        s.n_patients += 1
        n = s.n_patients
        p = practice.make_patient(rng, n, f"P{n:06d}", PAYERS, payer_weights, providers, pathway)
        _admit(rng, window, s, p, t0)

    for _ in range(int(claims_per_month * ESTABLISHED_PER_CLAIM)):
        admit(
            window.start - timedelta(days=rng.randint(1, 180)), rng.choices(s_names, s_weights)[0]
        )
    rate = claims_per_month / CLAIMS_PER_ARRIVAL / 30.44
    d = window.start
    while d <= window.horizon:
        k = int(rate) + (1 if rng.random() < rate - int(rate) else 0)
        for _ in range(k):
            admit(d, rng.choices(names, weights)[0])
        d += timedelta(days=1)

    s.encounters.sort(key=lambda e: (e.date, e.patient.n, e.status != "completed"))
    for i, e in enumerate(s.encounters, start=1):
        e.appt_id = f"A{i:08d}"
    return s


def _admit(rng: random.Random, window: Window, s: Schedule, p: practice.Patient, t0: date) -> None:
    start, as_of = window.start, window.as_of
    encs = finalize_schedule(
        rng, pathways.pathway_encounters(rng, p, t0), start, as_of, window.horizon
    )
    if not encs:
        return
    extra = []
    for e in encs:
        if e.kind == "procedure" and rng.random() < 0.04:
            c = cancelled_copy(rng, e)
            if c.date > as_of:
                # a visit not yet due cannot have been missed: only a cancellation (the
                # warehouse reads a future no_show as still scheduled: stg_pm__appointments)
                c.status = "cancelled"
            if c.date >= start and c.scheduled_on <= as_of:
                extra.append(c)
    s.auths.extend(authorizations.build_auths(rng, p, encs, as_of))
    s.auths.extend(authorizations.unperformed_auths(rng, p, encs, as_of))
    first = encs[0]
    if (
        first.kind == "em"
        and first.pain_weeks
        and int(first.pain_weeks) >= CHRONIC_PAIN_WEEKS
        and first.status == "completed"
        and rng.random() < 0.22
    ):
        m0 = add_months(month_start(first.date), 1)
        if m0 <= as_of:
            s.ccm.append((p, m0, rng.randint(2, 9)))
    s.encounters.extend(encs)
    s.encounters.extend(extra)


def finalize_schedule(
    rng: random.Random, encs: list[Enc], start: date, as_of: date, horizon: date
) -> list[Enc]:
    """Drop what is outside the window or not booked yet; set statuses and relief docs."""
    out = []
    for i, e in enumerate(encs):
        if e.date > horizon:
            break
        lead = rng.randint(7, 28) if e.kind == "procedure" else rng.randint(2, 21)
        e.scheduled_on = e.date - timedelta(days=lead)
        if i > 0 and e.scheduled_on < encs[i - 1].date and e.kind == "procedure":
            # booked at the previous visit
            e.scheduled_on = encs[i - 1].date
        if e.scheduled_on > as_of:
            break
        if e.date < start:
            continue
        e.status = "completed" if e.date <= as_of else "scheduled"
        out.append(e)
    for i, e in enumerate(out):
        if e.relief_pct is None:
            continue
        followed = i + 1 < len(out) and out[i + 1].status == "completed"
        if e.status != "completed" or not (followed or e.date <= as_of - timedelta(days=21)):
            e.relief_pct = e.relief_weeks = None  # not documented yet
        elif e.relief_weeks and e.date + timedelta(weeks=e.relief_weeks) > as_of:
            e.relief_weeks = None  # duration not known yet
    return out


def cancelled_copy(rng: random.Random, e: Enc) -> Enc:
    """A first booking of the same procedure that was cancelled or missed."""
    c = Enc(
        e.patient,
        e.date - timedelta(days=rng.choice((7, 14))),
        e.pos,
        [Line(ln.code, ln.mods, ln.units, ln.laterality) for ln in e.lines],
        e.kind,
        e.dx,
        e.region,
        e.levels,
        e.modality,
        e.image_saved,
    )
    c.status = rng.choice(("cancelled", "no_show"))
    c.scheduled_on = e.scheduled_on - timedelta(days=14)
    c.pain_weeks, c.conservative, c.pain_score, c.psych = (
        e.pain_weeks,
        e.conservative,
        e.pain_score,
        e.psych,
    )
    return c
