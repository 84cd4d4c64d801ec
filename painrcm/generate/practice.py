"""The demo practice's records: patients, encounters (appointment lines, later the claim's),
authorizations, and the making of a patient (payer, provider, member id, name).

The flow that fills them: pathways.py (the care a patient follows), schedule.py (what is
booked, done, cancelled in the window), authorizations.py (the auth log).
"""

from __future__ import annotations

import random
from datetime import date

from painrcm.generate.reference import Payer, Provider


class Patient:
    __slots__ = (
        "pid",
        "payer",
        "provider",
        "member_id",
        "last",
        "first",
        "secondary",
        "pathway",
        "n",
    )

    def __init__(self, pid, payer, provider, member_id, last, first, secondary, pathway, n):
        self.pid = pid
        self.payer: Payer = payer
        self.provider: Provider = provider
        self.member_id = member_id
        self.last = last
        self.first = first
        self.secondary = secondary
        self.pathway = pathway
        self.n = n  # ordinal, for stable sorting


class Line:
    __slots__ = ("code", "mods", "units", "laterality", "program", "auth")

    def __init__(self, code, mods="", units=1, laterality=""):
        self.code = code
        self.mods = mods
        self.units = units
        self.laterality = laterality
        self.program = None
        self.auth = None


class Enc:
    """One encounter: an appointment (and, once billed, a claim with the same lines)."""

    __slots__ = (
        "patient",
        "date",
        "pos",
        "lines",
        "status",
        "scheduled_on",
        "region",
        "levels",
        "modality",
        "image_saved",
        "conservative",
        "pain_weeks",
        "pain_score",
        "psych",
        "relief_pct",
        "relief_weeks",
        "dx",
        "group",
        "kind",
        "appt_id",
        "claim_id",
        "submitted",
        "prior_auth",
        "note_family",
    )

    def __init__(
        self, patient, d, pos, lines, kind, dx, region="", levels="", modality="", image_saved=""
    ):
        self.patient: Patient = patient
        self.date: date = d
        self.pos = pos
        self.lines: list[Line] = lines
        self.kind = kind  # em | procedure
        self.dx = dx
        self.region = region
        self.levels = levels
        self.modality = modality
        self.image_saved = image_saved
        self.status = "completed"
        self.scheduled_on = d
        self.conservative = ""
        self.pain_weeks = ""
        self.pain_score = ""
        self.psych = ""
        self.relief_pct = None
        self.relief_weeks = None
        self.group = None
        self.appt_id = ""
        self.claim_id = ""
        self.submitted = None
        self.prior_auth = ""
        self.note_family = ""


class Auth:
    __slots__ = (
        "auth_id",
        "patient",
        "payer",
        "program",
        "auth_number",
        "request_date",
        "urgency",
        "decision_date",
        "decision",
        "reason",
        "appealed",
        "appeal_decision",
        "codes",
        "region",
        "levels",
        "laterality",
        "units",
        "valid_from",
        "valid_to",
        "first_dos",
        "last_dos",
    )

    def __init__(self, patient, program, codes, region, levels, laterality, units):
        self.auth_id = ""
        self.patient = patient
        self.payer = patient.payer
        self.program = program
        self.auth_number = ""
        self.request_date = None
        self.urgency = "standard"
        self.decision_date = None
        self.decision = "approved"
        self.reason = ""
        self.appealed = ""
        self.appeal_decision = ""
        self.codes = codes
        self.region = region
        self.levels = levels
        self.laterality = laterality
        self.units = units
        self.valid_from = None
        self.valid_to = None
        self.first_dos = None
        self.last_dos = None


_LAST = (
    "Ashgrove",
    "Bellwether",
    "Coldwater",
    "Dunmore",
    "Eastlake",
    "Fenwick",
    "Glenrose",
    "Hollis",
    "Ironwood",
    "Juniper",
    "Kestrel",
    "Larkspur",
    "Millbrook",
    "Northcott",
    "Oakley",
    "Pembrook",
    "Quarry",
    "Redfern",
    "Stonebridge",
    "Thistle",
    "Underhill",
    "Vale",
    "Westbrook",
    "Yarrow",
)
_FIRST = (
    "ALEX",
    "BLAIR",
    "CASEY",
    "DANA",
    "EMERY",
    "FINLEY",
    "GRAY",
    "HAYDEN",
    "INDIGO",
    "JESSIE",
    "KAI",
    "LANE",
    "MARLEY",
    "NOEL",
    "OAKLEY",
    "PARKER",
    "RILEY",
    "SAGE",
    "TATUM",
    "VAL",
)
_MBI_LETTERS = "ACDEFGHJKMNPQRTUVWXY"


def mbi(rng: random.Random) -> str:
    """A Medicare Beneficiary Identifier of the CMS format (synthetic)."""
    a = _MBI_LETTERS
    an = a + "0123456789"
    return (
        str(rng.randrange(1, 10))
        + rng.choice(a)
        + rng.choice(an)
        + str(rng.randrange(10))
        + rng.choice(a)
        + rng.choice(an)
        + str(rng.randrange(10))
        + rng.choice(a)
        + rng.choice(a)
        + str(rng.randrange(10))
        + str(rng.randrange(10))
    )


def make_patient(
    rng: random.Random, n: int, pid: str, payers, weights, providers, pathway: str
) -> Patient:
    payer = rng.choices(payers, weights)[0]
    provider = providers[rng.randrange(len(providers))]
    if payer.payer_type == "medicare_ffs":
        member = mbi(rng)
    else:
        member = payer.payer_id[:3] + str(rng.randrange(100000000, 999999999))
    secondary = payer.payer_type == "medicare_ffs" and rng.random() < 0.35
    return Patient(
        pid,
        payer,
        provider,
        member,
        rng.choice(_LAST).upper(),
        rng.choice(_FIRST),
        secondary,
        pathway,
        n,
    )
