"""Reference data of the demo practice: payers and their contracts, codes, fees, providers.

Everything here is synthetic: payer names, x12 ids (except the Novitas JH Texas Part B
contractor number) and people are invented. Dollar amounts are in the range of the 2025/2026
Medicare Physician Fee Schedule for Texas, not copies of it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from painrcm.generate.seeds import seed_codes, seed_rows

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def q(x: Decimal) -> Decimal:
    """Quantize to cents, half up (how payers and rules.md §7 round)."""
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


# seed place_of_service_settings (rules.md §7): which places of service are paid the facility rate
FACILITY_POS = seed_codes("place_of_service_settings", "place_of_service", setting="facility")


def setting_of(pos: str) -> str:
    return "facility" if pos in FACILITY_POS else "non_facility"


# ---------------------------------------------------------------------------------------
# Payers
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Payer:
    payer_id: str
    payer_name: str
    payer_type: str
    x12_payer_id: str
    parent_organization: str
    timely_filing_days: int
    appeal_window_days: int
    mppr_secondary_pct: Decimal
    bilateral_pct: Decimal
    bilateral_billing: str
    underpayment_tolerance: str
    pa_report_id: str
    # Generator-only attributes (not written to payers.csv)
    fee_factor_by_year: tuple[tuple[int, Decimal], ...]  # multiple of Medicare
    claim_filing_code: str  # CLP06
    send_b6: bool
    check_weekday: int  # 0 = Monday
    file_ext: str
    line_breaks: bool
    component_sep: str
    weight: float  # share of the practice's patients
    em_copay: Decimal
    proc_coins_pct: Decimal  # patient coinsurance on procedures (0 = none)
    proc_copay: Decimal  # MA-style per-claim procedure copay
    claim_level_copay: bool
    interest_runs: bool  # pays prompt-pay interest (PLB L6) now and then


def _d(s: str) -> Decimal:
    return Decimal(s)


PAYERS: tuple[Payer, ...] = (
    Payer(
        "MCR",
        "Medicare Part B Texas",
        "medicare_ffs",
        "04412",
        "",
        365,
        120,
        _d("50"),
        _d("150"),
        "modifier_50",
        "1.00",
        "",
        ((2025, _d("1")), (2026, _d("1"))),
        "MB",
        True,
        1,
        "835",
        True,
        ":",
        0.32,
        ZERO,
        _d("20"),
        ZERO,
        False,
        False,
    ),
    Payer(
        "MAPEC",
        "Pecos Health Medicare Advantage HMO",
        "medicare_advantage",
        "PHG01",
        "Pecos Health Group, Inc.",
        120,
        65,
        _d("50"),
        _d("150"),
        "modifier_50",
        "1.00",
        "H4521",
        ((2025, _d("1.00")), (2026, _d("1.00"))),
        "16",
        True,
        3,
        "edi",
        True,
        ":",
        0.12,
        _d("20"),
        ZERO,
        _d("50"),
        False,
        True,
    ),
    Payer(
        "MABRZ",
        "Brazos Senior Advantage PPO",
        "medicare_advantage",
        "BSA77",
        "Brazos Health Holdings LLC",
        365,
        65,
        _d("50"),
        _d("150"),
        "modifier_50",
        "1.00",
        "H7362",
        ((2025, _d("1.02")), (2026, _d("1.03"))),
        "16",
        True,
        4,
        "txt",
        True,
        ":",
        0.08,
        _d("25"),
        ZERO,
        _d("40"),
        False,
        False,
    ),
    Payer(
        "MCDBB",
        "Bluebonnet Community Health Plan STAR+PLUS",
        "medicaid",
        "BCHP1",
        "Bluebonnet Health Partners",
        95,
        120,
        _d("50"),
        _d("150"),
        "modifier_50",
        "1.00",
        "TX-BCHP-SP",
        ((2025, _d("0.76")), (2026, _d("0.78"))),
        "MC",
        False,
        2,
        "835",
        False,
        ":",
        0.08,
        ZERO,
        ZERO,
        ZERO,
        False,
        True,
    ),
    Payer(
        "COPEC",
        "Pecos Health Insurance PPO",
        "commercial",
        "PHG01",
        "Pecos Health Group, Inc.",
        90,
        180,
        _d("50"),
        _d("150"),
        "modifier_50",
        "1.00",
        "48213",
        ((2025, _d("1.40")), (2026, _d("1.45"))),
        "12",
        True,
        3,
        "txt",
        True,
        ":",
        0.16,
        _d("40"),
        _d("20"),
        ZERO,
        False,
        True,
    ),
    Payer(
        "COGCB",
        "Gulf Coast Benefit Plans",
        "commercial",
        "GCBP2",
        "Gulf Coast Benefit Holdings",
        180,
        180,
        _d("60"),
        _d("150"),
        "modifier_50",
        "2.00",
        "77340",
        ((2025, _d("1.26")), (2026, _d("1.30"))),
        "CI",
        True,
        0,
        "835",
        True,
        ":",
        0.12,
        _d("30"),
        ZERO,
        ZERO,
        True,
        False,
    ),
    Payer(
        "COTRM",
        "Trinity Mutual Health",
        "commercial",
        "TMH03",
        "Trinity Mutual Insurance Co",
        120,
        180,
        _d("50"),
        _d("150"),
        "rt_lt",
        "1.00",
        "61904",
        ((2025, _d("1.60")), (2026, _d("1.65"))),
        "CI",
        True,
        4,
        "edi",
        True,
        ":",
        0.08,
        _d("50"),
        _d("10"),
        ZERO,
        False,
        False,
    ),
    Payer(
        "WCLSM",
        "Lone Star Workers Comp Mutual",
        "workers_comp",
        "LSWC4",
        "",
        95,
        120,
        _d("50"),
        _d("150"),
        "modifier_50",
        "1.00",
        "",
        ((2025, _d("1.50")), (2026, _d("1.55"))),
        "WC",
        True,
        2,
        "x12",
        True,
        ">",
        0.04,
        ZERO,
        ZERO,
        ZERO,
        False,
        False,
    ),
)
PAYER_BY_ID = {p.payer_id: p for p in PAYERS}
MEDIGAP_PAYER_ID = "COPEC"  # Pecos also sells Medicare supplement plans (crossover secondary)

# CMS-0057-F public reports for calendar 2025 (published by 2026-03-31): invented figures.
PA_METRICS_2025: tuple[dict[str, str], ...] = (
    dict(
        parent_organization="Pecos Health Group, Inc.",
        report_year="2025",
        report_id="H4521",
        appeal_denominator="all_requests",
        pct_standard_approved="88.40",
        pct_standard_denied="11.60",
        pct_approved_after_appeal="4.10",
        pct_extended_then_approved="1.20",
        pct_expedited_approved="91.30",
        pct_expedited_denied="8.70",
        avg_days_standard="5.6",
        median_days_standard="4",
        avg_hours_expedited="41.5",
        median_hours_expedited="36",
        report_level="contract",
        source_url="https://pecoshealth.example.org/cms-0057-f/2025/H4521.pdf",
    ),
    dict(
        parent_organization="Pecos Health Group, Inc.",
        report_year="2025",
        report_id="48213",
        appeal_denominator="all_requests",
        pct_standard_approved="85.90",
        pct_standard_denied="14.10",
        pct_approved_after_appeal="3.60",
        pct_extended_then_approved="",
        pct_expedited_approved="90.10",
        pct_expedited_denied="9.90",
        avg_days_standard="6.8",
        median_days_standard="5",
        avg_hours_expedited="46.0",
        median_hours_expedited="",
        report_level="issuer",
        source_url="https://pecoshealth.example.org/cms-0057-f/2025/issuer-48213.html",
    ),
    dict(
        parent_organization="Brazos Health Holdings LLC",
        report_year="2025",
        report_id="H7362",
        appeal_denominator="appealed_requests",
        pct_standard_approved="91.20",
        pct_standard_denied="8.80",
        pct_approved_after_appeal="57.30",
        pct_extended_then_approved="0.80",
        pct_expedited_approved="93.00",
        pct_expedited_denied="7.00",
        avg_days_standard="4.9",
        median_days_standard="4",
        avg_hours_expedited="30.2",
        median_hours_expedited="24",
        report_level="contract",
        source_url="https://brazoshealth.example.org/prior-auth-metrics-2025",
    ),
    dict(
        parent_organization="Bluebonnet Health Partners",
        report_year="2025",
        report_id="TX-BCHP-SP",
        appeal_denominator="all_requests",
        pct_standard_approved="82.75",
        pct_standard_denied="17.25",
        pct_approved_after_appeal="5.40",
        pct_extended_then_approved="2.10",
        pct_expedited_approved="87.60",
        pct_expedited_denied="12.40",
        avg_days_standard="8.3",
        median_days_standard="7",
        avg_hours_expedited="55.0",
        median_hours_expedited="48",
        report_level="plan",
        source_url="https://bluebonnet.example.org/cms-interoperability/pa-metrics-2025.pdf",
    ),
    dict(
        parent_organization="Gulf Coast Benefit Holdings",
        report_year="2025",
        report_id="77340",
        appeal_denominator="all_requests",
        pct_standard_approved="86.50",
        pct_standard_denied="13.50",
        pct_approved_after_appeal="2.90",
        pct_extended_then_approved="",
        pct_expedited_approved="89.40",
        pct_expedited_denied="10.60",
        avg_days_standard="7.4",
        median_days_standard="6",
        avg_hours_expedited="52.8",
        median_hours_expedited="",
        report_level="issuer",
        source_url="https://gulfcoastbenefits.example.org/transparency/pa-2025.html",
    ),
    dict(
        parent_organization="Trinity Mutual Insurance Co",
        report_year="2025",
        report_id="61904",
        appeal_denominator="all_requests",
        pct_standard_approved="84.00",
        pct_standard_denied="16.00",
        pct_approved_after_appeal="3.20",
        pct_extended_then_approved="1.00",
        pct_expedited_approved="88.00",
        pct_expedited_denied="12.00",
        avg_days_standard="6.1",
        median_days_standard="5",
        avg_hours_expedited="49.0",
        median_hours_expedited="44",
        report_level="issuer",
        source_url="https://trinitymutual.example.org/cms-0057-f-2025",
    ),
)

# ---------------------------------------------------------------------------------------
# Codes
# ---------------------------------------------------------------------------------------

# code -> (Medicare 2026 non-facility, facility, professional component (26) or ""): the codes
# the demo practice bills; their families come from seed procedure_families.
CODES: dict[str, tuple[str, str, str]] = {
    "62321": ("245.10", "118.40", ""),
    "62323": ("230.55", "110.20", ""),
    "64479": ("262.30", "130.75", ""),
    "64480": ("118.20", "62.40", ""),
    "64483": ("231.80", "113.60", ""),
    "64484": ("96.70", "49.80", ""),
    "64490": ("214.35", "96.10", ""),
    "64491": ("108.30", "48.60", ""),
    "64492": ("110.10", "49.20", ""),
    "64493": ("190.25", "83.45", ""),
    "64494": ("99.90", "43.15", ""),
    "64495": ("101.20", "43.90", ""),
    "64633": ("505.80", "212.30", ""),
    "64634": ("201.40", "72.90", ""),
    "64635": ("498.60", "208.70", ""),
    "64636": ("189.70", "68.10", ""),
    "63650": ("1480.25", "372.60", ""),
    "63685": ("340.90", "340.90", ""),
    "63688": ("352.15", "352.15", ""),
    "20552": ("62.10", "41.85", ""),
    "20553": ("70.35", "46.20", ""),
    "20605": ("58.20", "43.10", ""),
    "20606": ("89.70", "56.05", ""),
    "20610": ("64.40", "50.55", ""),
    "20611": ("96.85", "63.90", ""),
    "64405": ("96.25", "61.40", ""),
    "64418": ("100.05", "58.75", ""),
    "64450": ("88.70", "54.35", ""),
    "27096": ("184.25", "76.20", ""),
    "64624": ("391.45", "173.80", ""),
    "77002": ("96.10", "96.10", "33.55"),
    "77003": ("91.85", "91.85", "34.10"),
    "77012": ("132.40", "132.40", "58.20"),
    "76942": ("61.20", "61.20", "31.15"),
    "99203": ("110.15", "84.60", ""),
    "99204": ("166.30", "138.40", ""),
    "99205": ("218.90", "185.70", ""),
    "99213": ("91.45", "65.80", ""),
    "99214": ("129.20", "96.10", ""),
    "99215": ("181.40", "145.25", ""),
    "G3002": ("75.60", "60.10", ""),
    "G3003": ("31.80", "28.20", ""),
}
_SEED_FAMILY = {r["procedure_code"]: r["procedure_family"] for r in seed_rows("procedure_families")}
FAMILY = {c: _SEED_FAMILY[c] for c in CODES}
IMAGING = frozenset(c for c, f in FAMILY.items() if f == "imaging_guidance")
# rules.md §1/7 (seed procedure_pricing): add-ons, imaging, E/M and chronic pain codes never rank;
# BILAT 1: the 150% bilateral rule applies.
MPPR_EXEMPT = seed_codes("procedure_pricing", mppr_exempt="true")
BILAT_1 = seed_codes("procedure_pricing", bilat_indicator="1")


# rules.md §2 (seed pa_requirements): families needing the payer's PA, by payer type (the
# payer-wide rows: no payer, code or place of service), and Original Medicare's OPD list
# (code-level rows by place of service, with their effective dates).
def _pa_families() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for r in seed_rows("pa_requirements"):
        if r["requires_auth"] == "true" and not (
            r["payer_id"] or r["procedure_code"] or r["place_of_service"]
        ):
            out.setdefault(r["payer_type"], set()).add(r["procedure_family"])
    return {t: frozenset(f) for t, f in out.items()}


PA_FAMILIES_BY_TYPE = _pa_families()
OPD_LIST = tuple(
    (
        r["procedure_code"],
        r["place_of_service"],
        date.fromisoformat(r["effective_from"]),
        date.fromisoformat(r["effective_to"] or "9999-12-31"),
    )
    for r in seed_rows("pa_requirements")
    if r["payer_type"] == "medicare_ffs" and r["procedure_code"] and r["requires_auth"] == "true"
)


# rules.md §3 (seeds wiser_codes, wiser_states, wiser_places_of_service)
@dataclass(frozen=True)
class WiserState:
    model_start: date
    requests_from: date
    model_end: date


WISER_PRIMARY = seed_codes("wiser_codes", role="primary")
WISER_ADD_ON = seed_codes("wiser_codes", role="add_on")
WISER_STATES = {
    r["state"]: WiserState(
        date.fromisoformat(r["model_start_date"]),
        date.fromisoformat(r["requests_accepted_from"]),
        date.fromisoformat(r["model_end_date"]),
    )
    for r in seed_rows("wiser_states")
}
WISER_POS = seed_codes("wiser_places_of_service", "place_of_service")
# where the UTN goes on the practice's own claim (office, home); elsewhere on the facility's
WISER_UTN_ON_CLAIM_POS = seed_codes(
    "wiser_places_of_service", "place_of_service", utn_on_professional_claim="true"
)


def on_opd_list(code: str, pos: str, dos: date) -> bool:
    return any(c == code and p == pos and f <= dos <= t for c, p, f, t in OPD_LIST)


def auth_program(payer_type: str, code: str, pos: str, dos: date, state: str) -> str | None:
    """Which authorization program a line needs (rules.md §2 and 3), or None."""
    if payer_type != "medicare_ffs":
        return "payer_pa" if FAMILY.get(code) in PA_FAMILIES_BY_TYPE.get(payer_type, ()) else None
    if on_opd_list(code, pos, dos):
        return "payer_pa"
    wiser = WISER_STATES.get(state)
    if (
        (code in WISER_PRIMARY or code in WISER_ADD_ON)
        and wiser is not None
        and wiser.model_start <= dos <= wiser.model_end
        and pos in WISER_POS
    ):
        return "wiser"
    return None


def auth_number_on_claim(program: str, pos: str, payer_type: str) -> bool:
    """rules.md §4 step 7: where the practice's own claim carries the auth number / UTN."""
    if program == "wiser":
        return pos in WISER_UTN_ON_CLAIM_POS
    return payer_type != "medicare_ffs"  # the OPD list: the hospital's UTN, not ours


# ---------------------------------------------------------------------------------------
# Fees
# ---------------------------------------------------------------------------------------

MEDICARE_2025_FACTOR = Decimal("0.968")  # 2026 conversion factor rose about 3.3%


def medicare_fee(code: str, year: int, setting: str, modifier: str) -> Decimal:
    nf, f, pc = CODES[code]
    base = Decimal(pc if modifier == "26" else (f if setting == "facility" else nf))
    return base if year >= 2026 else q(base * MEDICARE_2025_FACTOR)


def payer_factor(payer: Payer, year: int) -> Decimal:
    factor = payer.fee_factor_by_year[0][1]
    for y, f in payer.fee_factor_by_year:
        if y <= year:
            factor = f
    return factor


def fee_rows(years: list[int]) -> list[tuple[str, str, str, str, Decimal, date, date | None]]:
    """(payer_id, code, modifier, setting, allowed, effective_from, effective_to) rows."""
    rows = []
    for payer in PAYERS:
        for code in sorted(CODES):
            variants = [("", "non_facility"), ("", "facility")]
            if code in IMAGING:
                variants = [("", "non_facility"), ("26", "facility")]
            for i, year in enumerate(years):
                eff_to = None if i == len(years) - 1 else date(year, 12, 31)
                for mod, setting in variants:
                    amount = q(medicare_fee(code, year, setting, mod) * payer_factor(payer, year))
                    rows.append(
                        (payer.payer_id, code, mod, setting, amount, date(year, 1, 1), eff_to)
                    )
    return rows


def chargemaster(code: str) -> Decimal:
    """The practice's list price: well above every contract (so charge >= allowed)."""
    nf = Decimal(CODES[code][0])
    return q((nf * Decimal("3.2") / 5).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * 5)


# ---------------------------------------------------------------------------------------
# Providers
# ---------------------------------------------------------------------------------------


def luhn_check_digit(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:  # rightmost of the payload is doubled (check digit appended after)
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def make_npi(rng: random.Random) -> str:
    body = "1" + "".join(str(rng.randrange(10)) for _ in range(8))
    return body + luhn_check_digit("80840" + body)


_FIRST = (
    "Avery",
    "Jordan",
    "Morgan",
    "Rowan",
    "Emerson",
    "Harper",
    "Quinn",
    "Reese",
    "Sawyer",
    "Teagan",
    "Marlow",
    "Ellis",
)
_LAST = (
    "Calder",
    "Vantreese",
    "Oakhurst",
    "Penhallow",
    "Ridgeway",
    "Fairbrook",
    "Lindqvist",
    "Marchetti",
    "Okonkwo-Hale",
    "Sandoval-Price",
    "Whitcombe",
    "Bramblett",
)
_CRED = ("MD", "MD", "DO", "MD", "NP", "PA-C")

PRACTICE_NAME = "Hill Country Spine and Pain Associates"
PRACTICE_TIN = "741234567"
GROUP_NPI = "1558291835"  # the practice's type-2 NPI (Luhn-valid with prefix 80840)


@dataclass(frozen=True)
class Provider:
    npi: str
    name: str
    state: str
    license_expires_on: date
    dea_expires_on: date
    caqh_attested_on: date


def make_providers(rng: random.Random, k: int, as_of: date) -> list[Provider]:
    out = []
    seen = set()
    for i in range(k):
        npi = make_npi(rng)
        while npi in seen:
            npi = make_npi(rng)
        seen.add(npi)
        name = f"{_FIRST[i % len(_FIRST)]} {_LAST[(i * 5) % len(_LAST)]} {_CRED[i % len(_CRED)]}"
        state = "OK" if i == k - 1 and k >= 4 else "TX"
        out.append(
            Provider(
                npi,
                name,
                state,
                # at least a year out, so background providers raise no credentialing alert
                date(as_of.year + 2 + rng.randrange(2), rng.choice((2, 5, 8, 11)), 28),
                date(as_of.year + 2 + rng.randrange(2), rng.randrange(1, 13), 28),
                date.fromordinal(as_of.toordinal() - rng.randrange(10, 80)),
            )
        )
    return out
