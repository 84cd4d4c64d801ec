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

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def q(x: Decimal) -> Decimal:
    """Quantize to cents, half up (how payers and RULES 7 round)."""
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


FACILITY_POS = frozenset({"19", "21", "22", "23", "24", "26", "31", "34"})


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

# code -> (family, Medicare 2026 non-facility, facility, professional component (26) or "")
CODES: dict[str, tuple[str, str, str, str]] = {
    "62321": ("esi_interlaminar", "245.10", "118.40", ""),
    "62323": ("esi_interlaminar", "230.55", "110.20", ""),
    "64479": ("esi_transforaminal", "262.30", "130.75", ""),
    "64480": ("esi_transforaminal", "118.20", "62.40", ""),
    "64483": ("esi_transforaminal", "231.80", "113.60", ""),
    "64484": ("esi_transforaminal", "96.70", "49.80", ""),
    "64490": ("facet_mbb", "214.35", "96.10", ""),
    "64491": ("facet_mbb", "108.30", "48.60", ""),
    "64492": ("facet_mbb", "110.10", "49.20", ""),
    "64493": ("facet_mbb", "190.25", "83.45", ""),
    "64494": ("facet_mbb", "99.90", "43.15", ""),
    "64495": ("facet_mbb", "101.20", "43.90", ""),
    "64633": ("facet_rfa", "505.80", "212.30", ""),
    "64634": ("facet_rfa", "201.40", "72.90", ""),
    "64635": ("facet_rfa", "498.60", "208.70", ""),
    "64636": ("facet_rfa", "189.70", "68.10", ""),
    "63650": ("scs_trial", "1480.25", "372.60", ""),
    "63685": ("scs_permanent", "340.90", "340.90", ""),
    "63688": ("scs_permanent", "352.15", "352.15", ""),
    "20552": ("trigger_point", "62.10", "41.85", ""),
    "20553": ("trigger_point", "70.35", "46.20", ""),
    "20605": ("joint_injection", "58.20", "43.10", ""),
    "20606": ("joint_injection", "89.70", "56.05", ""),
    "20610": ("joint_injection", "64.40", "50.55", ""),
    "20611": ("joint_injection", "96.85", "63.90", ""),
    "64405": ("peripheral_nerve_block", "96.25", "61.40", ""),
    "64418": ("peripheral_nerve_block", "100.05", "58.75", ""),
    "64450": ("peripheral_nerve_block", "88.70", "54.35", ""),
    "27096": ("si_joint", "184.25", "76.20", ""),
    "64624": ("genicular_rfa", "391.45", "173.80", ""),
    "77002": ("imaging_guidance", "96.10", "96.10", "33.55"),
    "77003": ("imaging_guidance", "91.85", "91.85", "34.10"),
    "77012": ("imaging_guidance", "132.40", "132.40", "58.20"),
    "76942": ("imaging_guidance", "61.20", "61.20", "31.15"),
    "99203": ("evaluation_management", "110.15", "84.60", ""),
    "99204": ("evaluation_management", "166.30", "138.40", ""),
    "99205": ("evaluation_management", "218.90", "185.70", ""),
    "99213": ("evaluation_management", "91.45", "65.80", ""),
    "99214": ("evaluation_management", "129.20", "96.10", ""),
    "99215": ("evaluation_management", "181.40", "145.25", ""),
    "G3002": ("chronic_pain_management", "75.60", "60.10", ""),
    "G3003": ("chronic_pain_management", "31.80", "28.20", ""),
}
FAMILY = {c: v[0] for c, v in CODES.items()}
IMAGING = frozenset(c for c, v in CODES.items() if v[0] == "imaging_guidance")
# RULES 1: add-ons (MULT PROC 0) plus imaging, E/M and chronic pain codes: never ranked.
ADD_ON = frozenset(
    {
        "22512",
        "22515",
        "64480",
        "64484",
        "64491",
        "64492",
        "64494",
        "64495",
        "64634",
        "64636",
        "G3003",
    }
)
MPPR_EXEMPT = (
    ADD_ON
    | IMAGING
    | frozenset(
        c for c, v in CODES.items() if v[0] in ("evaluation_management", "chronic_pain_management")
    )
)
BILAT_1 = frozenset(
    {
        "64479",
        "64480",
        "64483",
        "64484",
        "64490",
        "64491",
        "64492",
        "64493",
        "64494",
        "64495",
        "64633",
        "64634",
        "64635",
        "64636",
        "27096",
    }
)
PROCEDURE_FAMILIES = frozenset(
    v[0]
    for v in CODES.values()
    if v[0] not in ("imaging_guidance", "evaluation_management", "chronic_pain_management")
)

# RULES 2-3
PA_FAMILIES = frozenset(
    {
        "esi_interlaminar",
        "esi_catheter",
        "esi_transforaminal",
        "facet_mbb",
        "facet_rfa",
        "si_joint",
        "scs_trial",
        "scs_permanent",
        "vertebral_augmentation",
        "genicular_rfa",
        "si_rfa",
    }
)
OPD_CODES = frozenset(
    {"64490", "64491", "64493", "64494", "64633", "64634", "64635", "64636", "63650"}
)
WISER_PRIMARY = frozenset(
    {
        "62321",
        "62323",
        "64479",
        "64483",
        "64624",
        "64625",
        "63650",
        "63685",
        "22510",
        "22511",
        "22513",
        "22514",
    }
)
WISER_ADD_ON = frozenset({"64480", "64484", "22512", "22515"})
WISER_STATES = frozenset({"AZ", "NJ", "OH", "OK", "TX", "WA"})
WISER_START = date(2026, 1, 15)
WISER_REQUESTS_FROM = date(2026, 1, 5)
WISER_POS = frozenset({"11", "12", "19", "22", "24"})


def auth_program(payer_type: str, code: str, pos: str, dos: date, state: str) -> str | None:
    """Which authorization program a line needs (RULES 2 and 3), or None."""
    if payer_type in ("commercial", "medicare_advantage", "medicaid", "workers_comp"):
        return "payer_pa" if FAMILY.get(code) in PA_FAMILIES else None
    if payer_type != "medicare_ffs":
        return None
    if pos in ("19", "22") and code in OPD_CODES:
        return "payer_pa"
    if (
        (code in WISER_PRIMARY or code in WISER_ADD_ON)
        and state in WISER_STATES
        and dos >= WISER_START
        and pos in WISER_POS
    ):
        return "wiser"
    return None


def auth_number_on_claim(program: str, pos: str, payer_type: str) -> bool:
    """RULES 4 step 7: where the practice's own claim carries the auth number / UTN."""
    if program == "wiser":
        return pos in ("11", "12")
    return payer_type != "medicare_ffs"  # the OPD list: the hospital's UTN, not ours


# ---------------------------------------------------------------------------------------
# Fees
# ---------------------------------------------------------------------------------------

MEDICARE_2025_FACTOR = Decimal("0.968")  # 2026 conversion factor rose about 3.3%


def medicare_fee(code: str, year: int, setting: str, modifier: str) -> Decimal:
    _fam, nf, f, pc = CODES[code]
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
    nf = Decimal(CODES[code][1])
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


def npi_is_valid(npi: str) -> bool:
    return len(npi) == 10 and npi.isdigit() and luhn_check_digit("80840" + npi[:9]) == npi[9]


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
