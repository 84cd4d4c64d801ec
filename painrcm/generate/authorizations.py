"""The authorization log: one approved authorization per auth group of a patient's
encounters (rules.md §2-4: each line that needs one is covered by exactly one), and the requests
never performed (denied, withdrawn, pending) of patients who stayed on conservative care.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from painrcm.generate.practice import Auth, Enc, Line, Patient
from painrcm.generate.reference import (
    WISER_STATES,
    Payer,
    auth_number_on_claim,
    auth_program,
)

ONE = timedelta(days=1)


_DENIAL_REASONS = (
    "Six weeks of documented conservative therapy not submitted",
    "Imaging does not show findings consistent with radicular pain",
    "Request exceeds the plan's annual injection limit per region",
    "Medical necessity criteria for facet procedures not met: pain duration under 3 months",
    "Records do not document functional impairment",
)


def turnaround(rng: random.Random, payer: Payer, program: str, urgency: str, req: date) -> int:
    """Calendar days from request to decision, within the deadline in force (rules.md §11)."""
    if urgency == "expedited":
        return rng.randint(0, 2)
    if program == "wiser":
        return rng.randint(2, 6)
    t = payer.payer_type
    if t in ("medicare_advantage", "medicaid"):
        return rng.randint(1, 7) if req >= date(2026, 1, 1) else rng.randint(2, 12)
    if t == "medicare_ffs":
        return rng.randint(2, 9)  # within 10 business days
    return rng.randint(2, 12)


def _auth_number(rng: random.Random, program: str, payer: Payer) -> str:
    if program == "wiser":
        return "WS" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPRTUVWXY") for _ in range(12))
    return payer.payer_id[:2] + str(rng.randrange(100000000, 999999999))


def build_auths(rng: random.Random, p: Patient, encs: list[Enc], as_of: date) -> list[Auth]:
    """One approved authorization per auth group (session, or the two MBB sessions)."""
    groups: dict[tuple, list[tuple[Enc, Line]]] = {}
    order: list[tuple] = []
    for i, e in enumerate(encs):
        if e.status not in ("completed", "scheduled"):
            continue
        for ln in e.lines:
            prog = auth_program(p.payer.payer_type, ln.code, e.pos, e.date, p.provider.state)
            ln.program = prog
            if prog is None:
                continue
            key = (prog, e.group or f"e{i}")
            if key not in groups:
                groups[key] = []
                order.append(key)
            groups[key].append((e, ln))
    auths = []
    for key in order:
        members = groups[key]
        prog = key[0]
        codes = sorted({ln.code for _, ln in members})
        lats = {ln.laterality for _, ln in members} - {""}
        lat = (
            "bilateral"
            if "bilateral" in lats or {"left", "right"} <= lats
            else (next(iter(lats)) if lats else "")
        )
        levels: list[str] = []
        for e, _ in members:
            for lv in e.levels.split():
                if lv not in levels:
                    levels.append(lv)
        e0 = members[0][0]
        a = Auth(
            p, prog, codes, e0.region, " ".join(levels), lat, sum(ln.units for _, ln in members)
        )
        a.first_dos = min(e.date for e, _ in members)
        a.last_dos = max(e.date for e, _ in members)
        a.urgency = "expedited" if rng.random() < 0.07 else "standard"
        lead = rng.randint(3, 18)
        req = a.first_dos - timedelta(days=lead + 12)
        if req > as_of - timedelta(days=12):
            req = as_of - timedelta(days=rng.randint(12, 20))
        opens = WISER_STATES[p.provider.state].requests_from if prog == "wiser" else None
        if opens is not None and req < opens:
            req = opens + timedelta(days=rng.randint(0, 2))
        tt = turnaround(rng, p.payer, prog, a.urgency, req)
        a.request_date = req
        a.decision_date = req + timedelta(days=tt)
        if a.decision_date >= a.first_dos:  # never performed before the decision
            a.decision_date = a.first_dos - ONE
            a.request_date = min(a.request_date, a.decision_date)
        a.auth_number = _auth_number(rng, prog, p.payer)
        if rng.random() < 0.04 and len(levels) > 1 and prog == "payer_pa":
            a.decision = "partial"
            a.reason = "Approved the levels performed; one additional level requested not approved"
        for _e, ln in members:
            ln.auth = a
        auths.append(a)
    # Validity windows: never two windows of the same code overlapping for a patient, so
    # exactly one authorization covers each line (rules.md §4 ties never arise).
    for i, a in enumerate(auths):
        a.valid_from = a.decision_date
        a.valid_to = max(a.decision_date + timedelta(days=90), a.last_dos + timedelta(days=14))
        for b in auths[i + 1 :]:
            if b.program == a.program and set(b.codes) & set(a.codes):
                a.valid_to = min(a.valid_to, b.first_dos - ONE)
        for b in auths[:i]:
            if b.program == a.program and set(b.codes) & set(a.codes):
                a.valid_from = max(a.valid_from, b.valid_to + ONE)
        assert a.valid_from <= a.first_dos and a.valid_to >= a.last_dos, (p.pid, a.codes)
    # The auth number on the claim where rules.md §4 step 7 requires it
    for e in encs:
        for ln in e.lines:
            if ln.auth is not None and auth_number_on_claim(ln.program, e.pos, p.payer.payer_type):
                e.prior_auth = ln.auth.auth_number
    return auths


def unperformed_auths(rng: random.Random, p: Patient, encs: list[Enc], as_of: date) -> list[Auth]:
    """Requests that were denied, withdrawn or are still pending (never performed)."""
    if not encs or p.pathway != "em_only":
        return []
    first = encs[0].date
    t = p.payer.payer_type
    if t == "medicare_ffs":
        wiser = WISER_STATES.get(p.provider.state)
        # a request needs a visit a few days into the model (WISeR since 2026-01-15)
        if wiser is None or first < wiser.model_start + timedelta(days=5):
            return []
        program = "wiser"
    elif t in ("other",):
        return []
    else:
        program = "payer_pa"
    r = rng.random()
    if r > 0.55:
        return []
    a = Auth(p, program, ["64483"], "lumbar", "L4-L5", rng.choice(("left", "right")), 1)
    a.request_date = first + timedelta(days=rng.randint(1, 5))
    if a.request_date > as_of:
        return []
    a.urgency = "expedited" if rng.random() < 0.1 else "standard"
    tt = turnaround(rng, p.payer, program, a.urgency, a.request_date)
    a.decision_date = a.request_date + timedelta(days=tt)
    if r < 0.30:
        a.decision = "denied"
        a.reason = (
            rng.choice(_DENIAL_REASONS)
            if program == "payer_pa"
            else ("Non-affirmed: documentation does not support medical necessity")
        )
        if rng.random() < 0.35 and program == "payer_pa":
            a.appealed = "true"
            a.appeal_decision = rng.choice(("denied", "denied", "pending"))
        else:
            a.appealed = "false"
    elif r < 0.45:
        a.decision = "withdrawn"
        a.reason = "Patient chose to continue physical therapy"
        a.decision_date = a.request_date + timedelta(days=rng.randint(0, 2))
    else:
        a.decision = "pending"
        a.decision_date = None
        a.request_date = as_of - timedelta(days=rng.randint(0, 4))
        if a.request_date < first:
            return []
    if a.decision_date is not None and a.decision_date > as_of:
        a.decision = "pending"
        a.decision_date = None
        a.reason = ""
        a.appealed = a.appeal_decision = ""
    return [a]
