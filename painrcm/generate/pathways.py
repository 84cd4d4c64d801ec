"""Care pathways of an interventional pain practice: a patient arrives, is seen (E/M), and
follows one pathway (ESI, facet blocks then RFA, SCS trial then implant, trigger points,
joints, nerve blocks, SI joint, E/M only), each returning the patient's encounters in date
order. The background is clean by construction against docs/rules.md: frequency and readiness
criteria hold, imaging is coded as documented, laterality is billed as the payer wants it.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from painrcm.generate.calendar import clinic_day
from painrcm.generate.practice import Enc, Line, Patient
from painrcm.generate.reference import BILAT_1, FACILITY_POS, Payer

PATHWAYS = (
    ("esi_tf", 0.19),
    ("esi_il", 0.10),
    ("facet", 0.15),
    ("scs", 0.03),
    ("trigger", 0.12),
    ("joint", 0.14),
    ("nerve", 0.10),
    ("si", 0.05),
    ("em_only", 0.12),
)
SIMPLE_PATHWAYS = (("trigger", 0.3), ("joint", 0.4), ("em_only", 0.3))


def _days(rng: random.Random, lo: int, hi: int) -> timedelta:
    return timedelta(days=rng.randint(lo, hi))


def spinal_lines(
    payer: Payer, code: str, addon: str | None, addon_units: int, laterality: str
) -> list[Line]:
    """Primary (+ add-on) lines with laterality modifiers as the payer wants them billed."""
    codes = [(code, 1)] + ([(addon, addon_units)] if addon and addon_units else [])
    out = []
    if laterality == "bilateral" and code in BILAT_1:
        if payer.bilateral_billing == "rt_lt":
            for c, u in codes:
                out.append(Line(c, "RT", u, "right"))
                out.append(Line(c, "LT", u, "left"))
        else:
            out = [Line(c, "50", u, "bilateral") for c, u in codes]
        return out
    mod = {"left": "LT", "right": "RT"}.get(laterality, "")
    return [Line(c, mod, u, laterality) for c, u in codes]


def _em(p: Patient, d: date, code: str, dx: str, rng: random.Random, docs=None) -> Enc:
    e = Enc(p, clinic_day(d), "11", [Line(code)], "em", dx)
    if docs:
        e.pain_weeks, e.conservative = docs
    e.pain_score = str(rng.randint(3, 9))
    return e


def _proc(
    p: Patient,
    d: date,
    pos: str,
    lines: list[Line],
    dx: str,
    region: str,
    levels: str,
    modality: str,
    saved: bool,
    docs,
    family: str,
    rng: random.Random,
) -> Enc:
    e = Enc(
        p,
        clinic_day(d),
        pos,
        lines,
        "procedure",
        dx,
        region,
        levels,
        modality,
        "true" if saved else "false",
    )
    e.pain_weeks, e.conservative = docs
    e.pain_score = str(rng.randint(4, 9))
    e.note_family = family
    return e


def _pos_spine(rng: random.Random) -> str:
    r = rng.random()
    return "24" if r < 0.6 else ("11" if r < 0.85 else "22")


def _facility_mod(pos: str) -> str:
    return "26" if pos in FACILITY_POS else ""


# ---------------------------------------------------------------------------------------
# Pathways: each returns the patient's encounters in date order
# ---------------------------------------------------------------------------------------


def pathway_encounters(rng: random.Random, p: Patient, t0: date) -> list[Enc]:
    return _PATHWAY_FUNCS[p.pathway](rng, p, t0)


def _esi(rng, p, t0, interlaminar: bool):
    payer = p.payer
    docs = (str(rng.randint(6, 80)), str(rng.randint(4, 20)))
    cervical = rng.random() < (0.3 if interlaminar else 0.15)
    region = "cervical" if cervical else "lumbar"
    dx = (
        "M54.12 M50.120"
        if cervical
        else rng.choice(("M54.16 M51.16", "M54.17 M51.17", "M48.062 M54.16"))
    )
    encs = [_em(p, t0, rng.choice(("99203", "99204", "99204", "99205")), dx, rng, docs)]
    d = t0 + _days(rng, 14, 35)
    n_sessions = 1
    sessions = []
    while True:
        pos = _pos_spine(rng)
        if interlaminar:
            code = "62321" if cervical else "62323"
            levels = rng.choice(("C6-C7", "C7-T1")) if cervical else rng.choice(("L4-L5", "L5-S1"))
            lines = [Line(code)]
            fam = "esi_interlaminar"
        else:
            code, addon = ("64479", "64480") if cervical else ("64483", "64484")
            lat = "bilateral" if rng.random() < 0.25 else rng.choice(("left", "right"))
            two = lat != "bilateral" and rng.random() < 0.4
            if cervical:
                levels = "C5-C6 C6-C7" if two else rng.choice(("C5-C6", "C6-C7"))
            else:
                levels = "L4-L5 L5-S1" if two else rng.choice(("L4-L5", "L5-S1"))
            lines = spinal_lines(payer, code, addon, 1 if two else 0, lat)
            fam = "esi_transforaminal"
        e = _proc(p, d, pos, lines, dx, region, levels, "fluoroscopy", True, docs, fam, rng)
        relief = rng.choice((30, 40, 50, 60, 60, 70, 70, 80, 90))
        e.relief_pct, e.relief_weeks = relief, rng.randint(3, 16)
        sessions.append(e)
        encs.append(e)
        fu = _em(p, d + _days(rng, 14, 28), rng.choice(("99213", "99214")), dx, rng)
        encs.append(fu)
        # Repeat ESI only after >= 50% relief (LCD L39240); at most two sessions a year here
        if relief < 50 or n_sessions >= 2 or rng.random() < 0.4:
            break
        n_sessions += 1
        d = fu.date + _days(rng, 30, 90)
    return encs


def _facet(rng, p, t0):
    payer = p.payer
    cervical = rng.random() < 0.25
    region = "cervical" if cervical else "lumbar"
    levels = "C4-C5 C5-C6" if cervical else rng.choice(("L3-L4 L4-L5", "L4-L5 L5-S1"))
    dx = "M47.812 M54.2" if cervical else "M47.816 M54.59"
    docs = (str(rng.randint(16, 160)), str(rng.randint(6, 30)))
    lat = "bilateral" if rng.random() < 0.7 else rng.choice(("left", "right"))
    encs = [_em(p, t0, rng.choice(("99204", "99204", "99205")), dx, rng, docs)]
    mbb, mbb_add = ("64490", "64491") if cervical else ("64493", "64494")
    rfa, rfa_add = ("64633", "64634") if cervical else ("64635", "64636")
    pos = _pos_spine(rng)
    d1 = t0 + _days(rng, 14, 35)
    m1 = _proc(
        p,
        d1,
        pos,
        spinal_lines(payer, mbb, mbb_add, 1, lat),
        dx,
        region,
        levels,
        "fluoroscopy",
        True,
        docs,
        "facet_mbb",
        rng,
    )
    m1.relief_pct, m1.relief_weeks = rng.randint(80, 95), 0
    m1.group = "mbb"
    d2 = m1.date + _days(rng, 14, 28)
    m2 = _proc(
        p,
        d2,
        pos,
        spinal_lines(payer, mbb, mbb_add, 1, lat),
        dx,
        region,
        levels,
        "fluoroscopy",
        True,
        docs,
        "facet_mbb",
        rng,
    )
    m2.group = "mbb"
    ok = rng.random() < 0.75
    m2.relief_pct, m2.relief_weeks = (rng.randint(80, 95) if ok else rng.randint(30, 70)), 0
    encs += [m1, m2]
    fu = _em(p, m2.date + _days(rng, 7, 14), "99214", dx, rng)
    encs.append(fu)
    if not ok:
        return encs
    r = _proc(
        p,
        fu.date + _days(rng, 14, 35),
        pos,
        spinal_lines(payer, rfa, rfa_add, 1, lat),
        dx,
        region,
        levels,
        "fluoroscopy",
        True,
        docs,
        "facet_rfa",
        rng,
    )
    r.relief_pct, r.relief_weeks = rng.randint(60, 90), rng.randint(26, 52)
    encs.append(r)
    encs.append(_em(p, r.date + _days(rng, 30, 60), "99213", dx, rng))
    return encs


def _scs(rng, p, t0):
    dx = rng.choice(("M96.1 G89.29", "G90.522 G89.29", "M54.17 M96.1 G89.4"))
    docs = (str(rng.randint(52, 300)), str(rng.randint(26, 104)))
    e0 = _em(p, t0, "99205", dx, rng, docs)
    e0.psych = "true"
    encs = [e0]
    trial_pos = rng.choice(("22", "24"))
    t = _proc(
        p,
        t0 + _days(rng, 30, 60),
        trial_pos,
        [Line("63650", "", 2)],
        dx,
        "thoracic",
        "T8-T9",
        "fluoroscopy",
        True,
        docs,
        "scs_trial",
        rng,
    )
    t.psych = "true"
    t.relief_pct, t.relief_weeks = rng.randint(55, 85), 1
    encs.append(t)
    fu = _em(p, t.date + _days(rng, 7, 10), "99214", dx, rng)
    fu.psych = "true"
    encs.append(fu)
    perm = _proc(
        p,
        fu.date + _days(rng, 30, 60),
        "22",
        [Line("63650", "", 2), Line("63685")],
        dx,
        "thoracic",
        "T8-T9",
        "fluoroscopy",
        True,
        docs,
        "scs_permanent",
        rng,
    )
    perm.psych = "true"
    perm.relief_pct, perm.relief_weeks = rng.randint(50, 80), rng.randint(8, 30)
    encs.append(perm)
    fu2 = _em(p, perm.date + _days(rng, 10, 21), "99214", dx, rng)
    fu2.psych = "true"
    encs.append(fu2)
    return encs


def _trigger(rng, p, t0):
    dx = rng.choice(("M79.18 M54.2", "M79.18 M54.6", "M62.838 M79.18"))
    docs = (str(rng.randint(8, 100)), str(rng.randint(4, 20)))
    encs = [_em(p, t0, rng.choice(("99203", "99204")), dx, rng, docs)]
    d = t0 + _days(rng, 7, 21)
    for _ in range(rng.randint(1, 4)):
        code = rng.choice(("20552", "20553"))
        lines = [Line(code)]
        modality, saved = "none", False
        if rng.random() < 0.25:  # occipital nerve block in the same session (MPPR)
            lines = [Line("64405")] + lines
            if rng.random() < 0.5:
                modality, saved = "ultrasound", True
                lines.append(Line("76942"))
        e = _proc(p, d, "11", lines, dx, "", "", modality, saved, docs, "trigger_point", rng)
        e.relief_pct, e.relief_weeks = rng.randint(30, 80), rng.randint(2, 8)
        encs.append(e)
        d = d + _days(rng, 28, 42)
    return encs


_JOINTS = (
    # site, laterality-able, dx by side, plan options
    ("knee", ("M17.11", "M17.12")),
    ("hip", ("M16.11", "M16.12")),
    ("shoulder", ("M19.011", "M19.012")),
    ("elbow", ("M77.11", "M77.12")),
)


def _joint(rng, p, t0):
    site, dxs = _JOINTS[rng.choices(range(4), (0.5, 0.2, 0.2, 0.1))[0]]
    side = rng.choice(("right", "left"))
    dx = dxs[0 if side == "right" else 1]
    docs = (str(rng.randint(12, 200)), str(rng.randint(6, 40)))
    mod = "RT" if side == "right" else "LT"
    encs = [_em(p, t0, rng.choice(("99203", "99204")), dx, rng, docs)]
    d = t0 + _days(rng, 0, 14)
    for _ in range(rng.choice((1, 1, 2, 2, 3))):
        if site == "hip":
            lines = [Line("20610", mod, 1, side), Line("77002", "", 1, side)]
            modality, saved = "fluoroscopy", True
        elif site == "elbow":
            if rng.random() < 0.6:
                lines, modality, saved = [Line("20606", mod, 1, side)], "ultrasound", True
            else:
                lines, modality, saved = [Line("20605", mod, 1, side)], "none", False
        else:
            if rng.random() < 0.55:
                lines, modality, saved = [Line("20611", mod, 1, side)], "ultrasound", True
            else:
                lines, modality, saved = [Line("20610", mod, 1, side)], "none", False
        e = _proc(p, d, "11", lines, dx, "", "", modality, saved, docs, "joint_injection", rng)
        e.relief_pct, e.relief_weeks = rng.randint(40, 90), rng.randint(6, 16)
        encs.append(e)
        d = d + _days(rng, 90, 120)
    return encs


def _nerve(rng, p, t0):
    payer = p.payer
    kind = rng.choices(("occipital", "suprascapular", "genicular"), (0.4, 0.25, 0.35))[0]
    side = rng.choice(("right", "left"))
    mod = "RT" if side == "right" else "LT"
    if kind == "occipital":
        dx, docs = "M54.81 G44.229", (str(rng.randint(8, 100)), str(rng.randint(4, 20)))
    elif kind == "suprascapular":
        dx = "M25.511" if side == "right" else "M25.512"
        docs = (str(rng.randint(12, 100)), str(rng.randint(6, 20)))
    else:
        dx = "M17.11" if side == "right" else "M17.12"
        docs = (str(rng.randint(26, 200)), str(rng.randint(12, 52)))
    encs = [_em(p, t0, rng.choice(("99203", "99204")), dx, rng, docs)]
    d = t0 + _days(rng, 7, 21)
    if kind == "occipital":
        for _ in range(rng.randint(1, 3)):
            if rng.random() < 0.6:
                lines = [Line("64405", mod, 1, side), Line("76942", "", 1, side)]
                modality, saved = "ultrasound", True
            else:
                lines, modality, saved = [Line("64405", mod, 1, side)], "none", False
            e = _proc(
                p, d, "11", lines, dx, "", "", modality, saved, docs, "peripheral_nerve_block", rng
            )
            e.relief_pct, e.relief_weeks = rng.randint(40, 90), rng.randint(2, 10)
            encs.append(e)
            d = d + _days(rng, 56, 90)
        return encs
    if kind == "suprascapular":
        e = _proc(
            p,
            d,
            "11",
            [Line("64418", mod, 1, side), Line("76942", "", 1, side)],
            dx,
            "",
            "",
            "ultrasound",
            True,
            docs,
            "peripheral_nerve_block",
            rng,
        )
        e.relief_pct, e.relief_weeks = rng.randint(40, 90), rng.randint(4, 12)
        return encs + [e]
    pos = "24" if rng.random() < 0.5 else "11"
    gmod = _facility_mod(pos)
    blk = _proc(
        p,
        d,
        pos,
        [Line("64450", mod, 1, side), Line("77002", gmod, 1, side)],
        dx,
        "",
        "",
        "fluoroscopy",
        True,
        docs,
        "peripheral_nerve_block",
        rng,
    )
    blk.relief_pct, blk.relief_weeks = rng.randint(50, 90), 0
    encs.append(blk)
    fu = _em(p, blk.date + _days(rng, 7, 14), "99213", dx, rng)
    encs.append(fu)
    rfa = _proc(
        p,
        fu.date + _days(rng, 14, 35),
        pos,
        [Line("64624", mod, 1, side)],
        dx,
        "",
        "",
        "fluoroscopy",
        True,
        docs,
        "genicular_rfa",
        rng,
    )
    rfa.relief_pct, rfa.relief_weeks = rng.randint(50, 90), rng.randint(12, 40)
    del payer
    return encs + [rfa]


def _si(rng, p, t0):
    dx = "M53.3 M46.1"
    docs = (str(rng.randint(8, 120)), str(rng.randint(4, 24)))
    encs = [_em(p, t0, rng.choice(("99203", "99204")), dx, rng, docs)]
    side = rng.choice(("right", "left"))
    pos = rng.choice(("24", "11"))
    d = t0 + _days(rng, 14, 30)
    for _ in range(rng.choice((1, 1, 2))):
        e = _proc(
            p,
            d,
            pos,
            [Line("27096", "RT" if side == "right" else "LT", 1, side)],
            dx,
            "sacroiliac",
            "",
            "fluoroscopy",
            True,
            docs,
            "si_joint",
            rng,
        )
        e.relief_pct, e.relief_weeks = rng.randint(50, 90), rng.randint(6, 20)
        encs.append(e)
        d = d + _days(rng, 90, 150)
    return encs


def _em_only(rng, p, t0):
    dx = rng.choice(("M54.50 G89.29", "M54.2", "M79.7 G89.4", "M54.6", "M54.50"))
    docs = (str(rng.randint(6, 150)), str(rng.randint(0, 12)))
    encs = [_em(p, t0, rng.choice(("99203", "99204", "99205")), dx, rng, docs)]
    d = t0
    for _ in range(rng.randint(0, 3)):
        d = d + _days(rng, 28, 70)
        encs.append(_em(p, d, rng.choice(("99213", "99213", "99214", "99215")), dx, rng))
    return encs


_PATHWAY_FUNCS = {
    "esi_tf": lambda rng, p, t0: _esi(rng, p, t0, False),
    "esi_il": lambda rng, p, t0: _esi(rng, p, t0, True),
    "facet": _facet,
    "scs": _scs,
    "trigger": _trigger,
    "joint": _joint,
    "nerve": _nerve,
    "si": _si,
    "em_only": _em_only,
}
