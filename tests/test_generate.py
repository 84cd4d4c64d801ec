"""The demo practice generator: contract shape, determinism and a clean background.

The checks re-derive docs/rules.md facts independently of the generator's own bookkeeping (fee
lookup, MPPR/bilateral pricing, authorization coverage, 835 balancing) from the files alone.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.schemas import EXTRACTS
from painrcm.generate import generate_practice

AS_OF = date(2026, 11, 30)
SMALL = dict(months=3, claims_per_month=40)
MEDIUM = dict(seed=11, months=6, claims_per_month=150)


def luhn_ok(npi: str) -> bool:
    if not (len(npi) == 10 and npi.isdigit()):
        return False
    total = 0
    for i, ch in enumerate(reversed("80840" + npi)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return total % 10 == 0


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("small")
    generate_practice(out, **SMALL)
    return out


@pytest.fixture(scope="module")
def medium(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("medium")
    generate_practice(out, **MEDIUM)
    return out


def read_kind(out: Path, kind: str, skip_rejected: bool = True) -> list[dict[str, str]]:
    rejected = {r["file_name"] for r in quarantine_expected(out) if not r["row_number"]}
    rows = []
    for f in sorted((out / kind).glob("*.csv")):
        if skip_rejected and f.name in rejected:
            continue
        with open(f, newline="", encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                r["_file"] = f.name
                rows.append(r)
    return rows


def background(rows: list[dict[str, str]], col: str = "patient_id") -> list[dict[str, str]]:
    return [r for r in rows if not r.get(col, "").startswith("P9")]


def quarantine_expected(out: Path) -> list[dict[str, str]]:
    with open(out / "ground_truth" / "quarantine_expected.csv", newline="") as fh:
        return list(csv.DictReader(fh))


def d(s: str) -> date:
    return date.fromisoformat(s)


# ---------------------------------------------------------------------------------------
# 835 parsing with plain str.split
# ---------------------------------------------------------------------------------------


def split_x12(data: str) -> tuple[list[list[str]], str]:
    elem, comp, term = data[3], data[104], data[105]
    segs = [s.strip("\r\n") for s in data.split(term)]
    return [s.split(elem) for s in segs if s], comp


def remit_files(out: Path) -> list[Path]:
    """The 835s among the remits (a planted 999 dropped there is an acknowledgment)."""
    planted = {r["file_name"] for r in quarantine_expected(out) if r["kind"] == "remits"}
    return [
        f
        for f in sorted((out / "remits").iterdir())
        if f.name not in planted and "ST*835*" in f.read_text()
    ]


def transactions(out: Path):
    """Yield (file, segments of one ST..SE, component separator)."""
    for f in remit_files(out):
        segs, comp = split_x12(f.read_text())
        cur = None
        for s in segs:
            if s[0] == "ST":
                cur = [s]
            elif cur is not None:
                cur.append(s)
                if s[0] == "SE":
                    yield f, cur, comp
                    cur = None


def remit_claims(out: Path):
    """Yield dicts: claim_id, status, paid, lines [{code, mods, units, paid, b6, cas}]."""
    for _f, tx, comp in transactions(out):
        claim = line = None
        for s in tx:
            if s[0] == "CLP":
                if claim:
                    yield claim
                claim = {
                    "claim_id": s[1],
                    "status": s[2],
                    "charge": Decimal(s[3]),
                    "paid": Decimal(s[4]),
                    "cas": [],
                    "lines": [],
                }
                line = None
            elif s[0] == "SVC" and claim is not None:
                proc = s[1].split(comp)
                line = {
                    "code": proc[1],
                    "mods": proc[2:],
                    "charge": Decimal(s[2]),
                    "paid": Decimal(s[3]),
                    "units": int(s[5] or 1),
                    "b6": None,
                    "cas": [],
                    "ref6r": None,
                }
                claim["lines"].append(line)
            elif s[0] == "CAS" and claim is not None:
                trip = [
                    (s[1], s[i], Decimal(s[i + 1]))
                    for i in range(2, len(s), 3)
                    if i + 1 < len(s) and s[i]
                ]
                (line["cas"] if line else claim["cas"]).extend(trip)
            elif s[0] == "AMT" and s[1] == "B6" and line is not None:
                line["b6"] = Decimal(s[2])
            elif s[0] == "REF" and s[1] == "6R" and line is not None:
                line["ref6r"] = s[2]
            elif s[0] in ("PLB", "SE") and claim:
                yield claim
                claim = None
        if claim:
            yield claim


# ---------------------------------------------------------------------------------------


def tree_hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_bytes_other_seed_differs(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate_practice(a, **SMALL)
    generate_practice(b, **SMALL)
    generate_practice(c, seed=8, **SMALL)
    ha, hb = tree_hashes(a), tree_hashes(b)
    assert ha == hb and len(ha) > 30
    assert ha != tree_hashes(c)


def test_every_kind_delivered_with_contract_headers(small):
    rejected = {r["file_name"] for r in quarantine_expected(small) if not r["row_number"]}
    for kind, ex in EXTRACTS.items():
        files = sorted((small / kind).glob("*.csv"))
        assert files, kind
        assert any(re.fullmatch(rf"{kind}_\d{{4}}-\d\d-\d\d\.csv", f.name) for f in files)
        for f in files:
            with open(f, newline="", encoding="utf-8") as fh:
                header = next(csv.reader(fh))
            if f.name in rejected:
                assert set(header) < set(ex.column_names)
            else:
                assert header == ex.column_names, f.name
    exts = {f.suffix for f in remit_files(small)}
    assert {".835", ".txt", ".edi"} <= exts
    assert (small / "ground_truth" / "manifest.json").is_file()


def test_manifest_counts_match_files(small):
    m = json.loads((small / "ground_truth" / "manifest.json").read_text())
    assert m["seed"] == 7 and m["as_of_date"] == AS_OF.isoformat() and m["months"] == 3
    for kind in EXTRACTS:
        assert m["counts"]["rows_written"][kind] == len(read_kind(small, kind, False)), kind
        assert m["counts"]["expected_good_rows"][kind] <= m["counts"]["rows_written"][kind]
    assert m["counts"]["remits"]["files"] == len(remit_files(small))
    assert m["counts"]["remits"]["transactions"] == sum(1 for _ in transactions(small))
    assert set(m["plants"]) >= {"ingest", "pa_coverage_gaps", "denials", "mppr_underpayments"}
    assert len(m["plants"]["pa_coverage_gaps"]) >= 32  # issue #6: pa_gaps plant


def test_npis_are_luhn_valid(small):
    q = {(r["file_name"], r["row_number"]) for r in quarantine_expected(small)}
    for kind, col in (
        ("providers", "npi"),
        ("claims", "rendering_npi"),
        ("appointments", "rendering_npi"),
        ("care_time", "rendering_npi"),
        ("procedure_notes", "author_npi"),
    ):
        for i, r in enumerate(read_kind(small, kind)):
            if (r["_file"], str(i + 1)) in q or r["_file"].count("_") > 1:
                continue
            assert luhn_ok(r[col]), (kind, r[col])


def test_provider_names_look_like_people(small):
    """Issue #18: a page shows provider names beside NPIs, so the roster reads like one
    (first and last name, credential), never like a test label ("Dea Expired DO")."""
    person = re.compile(r"^[A-Z][a-z]+ [A-Z][A-Za-z'-]+ (MD|DO|NP|PA-C)$")
    names = [r["provider_name"] for r in read_kind(small, "providers", skip_rejected=False)]
    assert len(names) >= 5
    odd = [n for n in names if not person.match(n)]
    odd += [n for n in names if re.search(r"\b(Days?|Expired|Due|Provider|Licence|Caqh)\b", n)]
    assert not odd, odd


def test_every_835_transaction_balances(medium):
    n = 0
    for f, tx, _comp in transactions(medium):
        n += 1
        assert tx[-1][0] == "SE" and int(tx[-1][1]) == len(tx), f.name
        assert tx[-1][2] == tx[0][2]
        bpr = next(s for s in tx if s[0] == "BPR")
        assert re.fullmatch(r"\d{8}", bpr[16])
        clp = sum((Decimal(s[4]) for s in tx if s[0] == "CLP"), Decimal(0))
        plb = sum(
            (Decimal(s[i]) for s in tx if s[0] == "PLB" for i in range(4, len(s), 2)), Decimal(0)
        )
        assert Decimal(bpr[2]) == clp - plb, f.name
        assert next(s for s in tx if s[0] == "N1" and s[1] == "PR")[4]
    assert n > 50
    for f in remit_files(medium):
        segs, _ = split_x12(f.read_text())
        assert segs[0][0] == "ISA" and segs[-1][0] == "IEA"
        assert int(segs[-2][1]) == sum(1 for s in segs if s[0] == "ST")  # GE01
    # claim and line balancing
    for c in remit_claims(medium):
        line_cas = sum((a for ln in c["lines"] for _g, _r, a in ln["cas"]), Decimal(0))
        claim_cas = sum((a for _g, _r, a in c["cas"]), Decimal(0))
        assert c["charge"] - c["paid"] == line_cas + claim_cas, c["claim_id"]
        for ln in c["lines"]:
            assert ln["charge"] - ln["paid"] == sum((a for *_x, a in ln["cas"]), Decimal(0))


def test_remit_formats_vary(medium):
    raw = {f.name: f.read_bytes() for f in remit_files(medium)}
    assert any(b"~\n" not in data for data in raw.values())
    assert any(data[104:105] == b">" for data in raw.values())
    statuses = {c["status"] for c in remit_claims(medium)}
    assert {"1", "2", "22"} <= statuses
    text = "".join(f.read_text() for f in remit_files(medium))
    assert "*253*" in text and "PLB*" in text and "AMT*B6" in text and "LQ*HE" in text


def _fee_book(out: Path):
    book = {}
    for r in read_kind(out, "fee_schedules"):
        book.setdefault(
            (r["payer_id"], r["procedure_code"], r["modifier"], r["setting"]), []
        ).append(
            (
                d(r["effective_from"]),
                d(r["effective_to"]) if r["effective_to"] else date.max,
                Decimal(r["allowed_amount"]),
            )
        )
    return book


FACILITY = {"19", "21", "22", "23", "24", "26", "31", "34"}
BILAT_1 = {str(c) for c in range(64479, 64496)} | {"64633", "64634", "64635", "64636", "27096"}
EXEMPT = {
    "64480",
    "64484",
    "64491",
    "64492",
    "64494",
    "64495",
    "64634",
    "64636",
    "G3003",
    "77002",
    "77003",
    "77012",
    "76942",
    "G3002",
} | {f"992{x:02d}" for x in range(2, 16)}


def test_primary_remits_pay_the_contract_exactly(medium):
    payers = {r["payer_id"]: r for r in read_kind(medium, "payers")}
    book = _fee_book(medium)
    claims = defaultdict(list)
    for r in background(read_kind(medium, "claims")):
        claims[r["claim_id"]].append(r)
    paid_allowed = defaultdict(Decimal)
    for c in remit_claims(medium):
        if c["status"] not in ("1", "22") or len(claims.get(c["claim_id"], ())) != 1:
            continue
        ln = c["lines"][0]
        if ln["b6"] is not None:
            paid_allowed[c["claim_id"]] += ln["b6"]
        else:
            paid_allowed[c["claim_id"]] += ln["paid"] + sum(
                (
                    a
                    for g, r, a in ln["cas"] + c["cas"]
                    if (g == "PR" and r in ("1", "2", "3", "66")) or (g, r) == ("CO", "253")
                ),
                Decimal(0),
            )
    assert len(paid_allowed) > 100
    for claim_id, got in paid_allowed.items():
        (line,) = claims[claim_id]
        payer = payers[line["payer_id"]]
        mods = line["modifiers"].split()
        setting = "facility" if line["place_of_service"] in FACILITY else "non_facility"
        key = (line["payer_id"], line["procedure_code"], "26" if "26" in mods else "", setting)
        sd = d(line["service_date"])
        (fee,) = [a for f, t, a in book[key] if f <= sd <= t]
        bil = (
            Decimal(payer["bilateral_pct"]) / 100
            if payer["bilateral_billing"] == "modifier_50"
            and "50" in mods
            and line["procedure_code"] in BILAT_1
            else Decimal(1)
        )
        units = Decimal(line["units"])
        sec = Decimal(payer["mppr_secondary_pct"]) / 100
        factor = units if line["procedure_code"] in EXEMPT else 1 + (units - 1) * sec
        expected = (fee * bil * factor).quantize(Decimal("0.01"))
        assert got == expected, (claim_id, got, expected)


def test_claims_filed_promptly_and_remitted(medium):
    claims = background(read_kind(medium, "claims"))
    remitted = {c["claim_id"] for c in remit_claims(medium) if c["status"] == "1"}
    payers = {r["payer_id"]: r for r in read_kind(medium, "payers")}
    for r in claims:
        sub = d(r["submitted_date"])
        assert (sub - d(r["service_date"])).days < int(payers[r["payer_id"]]["timely_filing_days"])
        if r["claim_id"] not in remitted:
            assert (AS_OF - sub).days < 16, r["claim_id"]
    assert len({r["claim_id"] for r in claims} - remitted) > 0


PA_FAMILY_CODES = {
    "62321",
    "62323",
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
    "63650",
    "63685",
    "63688",
    "64624",
}
OPD = {"64490", "64491", "64493", "64494", "64633", "64634", "64635", "64636", "63650"}
WISER = {"62321", "62323", "64479", "64483", "64624", "64625", "63650", "63685", "64480", "64484"}


def _program(payer_type, code, pos, sd, state):
    if payer_type in ("commercial", "medicare_advantage", "medicaid", "workers_comp"):
        return "payer_pa" if code in PA_FAMILY_CODES else None
    if payer_type == "medicare_ffs":
        if pos in ("19", "22") and code in OPD:
            return "payer_pa"
        in_scope = code in WISER and state in ("TX", "OK") and sd >= date(2026, 1, 15)
        if in_scope and pos in ("11", "12", "19", "22", "24"):
            return "wiser"
    return None


def test_every_auth_requiring_line_is_covered(medium):
    ptype = {r["payer_id"]: r["payer_type"] for r in read_kind(medium, "payers")}
    auths = defaultdict(list)
    for a in background(read_kind(medium, "authorizations")):
        if a["decision"] in ("approved", "partial") or a["appeal_decision"] == "approved":
            auths[(a["patient_id"], a["payer_id"], a["program"])].append(a)
    appts = {
        (r["appointment_id"], r["line_number"]): r
        for r in background(read_kind(medium, "appointments"))
    }
    units_used = defaultdict(int)
    checked = 0
    lines = [(r, None) for r in appts.values() if r["status"] in ("scheduled", "completed")]
    claim_by_appt = {
        (c["appointment_id"], c["line_number"]): c
        for c in background(read_kind(medium, "claims"))
        if c["appointment_id"]
    }
    for r, _ in lines:
        sd = d(r["service_date"])
        prog = _program(
            ptype[r["payer_id"]], r["procedure_code"], r["place_of_service"], sd, r["service_state"]
        )
        if prog is None:
            continue
        checked += 1
        cands = [
            a
            for a in auths[(r["patient_id"], r["payer_id"], prog)]
            if r["procedure_code"] in a["procedure_codes"].split()
            and d(a["valid_from"]) <= sd <= d(a["valid_to"])
        ]
        assert len(cands) == 1, (r["appointment_id"], r["procedure_code"], prog)
        a = cands[0]
        assert (
            not (a["spinal_region"] and r["spinal_region"])
            or a["spinal_region"] == r["spinal_region"]
        )
        assert set(r["levels"].split()) <= set(a["levels"].split())
        if a["laterality"] != "bilateral" and r["laterality"]:
            assert r["laterality"] == a["laterality"]
        units_used[a["auth_id"]] += int(r["units"])
        assert units_used[a["auth_id"]] <= int(a["units_approved"])
        assert d(a["decision_date"]) < sd
        claim = claim_by_appt.get((r["appointment_id"], r["line_number"]))
        needs_number = (prog == "wiser" and r["place_of_service"] in ("11", "12")) or (
            prog == "payer_pa" and ptype[r["payer_id"]] != "medicare_ffs"
        )
        if claim and needs_number:
            assert claim["prior_auth_number"] == a["auth_number"], claim["claim_id"]
    assert checked > 50
    # every claim line links to its appointment line (nothing billed without a schedule row)
    for c in background(read_kind(medium, "claims")):
        if c["procedure_code"] not in ("G3002", "G3003"):
            assert (c["appointment_id"], c["line_number"]) in appts


def test_auth_log_has_decisions_and_turnaround(medium):
    ptype = {r["payer_id"]: r["payer_type"] for r in read_kind(medium, "payers")}
    auths = background(read_kind(medium, "authorizations"))
    decisions = {a["decision"] for a in auths}
    assert {"approved", "denied", "withdrawn"} <= decisions
    for a in auths:
        if not a["decision_date"]:
            assert a["decision"] == "pending"
            continue
        days = (d(a["decision_date"]) - d(a["request_date"])).days
        if a["urgency"] == "expedited":
            assert days <= 3
        elif ptype[a["payer_id"]] in ("medicare_advantage", "medicaid") and d(
            a["request_date"]
        ) >= date(2026, 1, 1):
            assert days <= 7
        else:
            assert days <= 15
        if a["decision"] == "denied":
            assert a["decision_reason"]


def test_frequency_limits_never_exceeded(medium):
    ptype = {r["payer_id"]: r["payer_type"] for r in read_kind(medium, "payers")}
    pools = {
        "esi": ({"62321", "62323", "64479", "64480", "64483", "64484"}, 3, 4),
        "mbb": ({str(c) for c in range(64490, 64496)}, 99, 4),
        "rfa": ({"64633", "64634", "64635", "64636"}, 2, 2),
    }
    sessions = defaultdict(set)
    for r in background(read_kind(medium, "appointments")):
        if r["status"] not in ("scheduled", "completed") or r["spinal_region"] == "sacroiliac":
            continue
        region = "ct" if r["spinal_region"] in ("cervical", "thoracic") else "ls"
        for pool, (codes, _c, _m) in pools.items():
            if r["procedure_code"] in codes:
                sessions[(r["patient_id"], r["payer_id"], pool, region)].add(d(r["service_date"]))
    for (_pid, payer_id, pool, _region), dates in sessions.items():
        medicare = ptype[payer_id] in ("medicare_ffs", "medicare_advantage")
        limit = pools[pool][2] if medicare else pools[pool][1]
        for x in dates:
            assert sum(1 for y in dates if x - timedelta(days=364) <= y <= x) <= limit


def test_imaging_coded_as_documented(medium):
    included = {
        "62321",
        "62323",
        "64479",
        "64480",
        "64483",
        "64484",
        "64490",
        "64491",
        "64493",
        "64494",
        "64633",
        "64634",
        "64635",
        "64636",
        "27096",
        "20606",
        "20611",
        "64624",
    }
    guidance = {"77002", "77003", "77012", "76942"}
    by_appt = defaultdict(list)
    for r in background(read_kind(medium, "appointments")):
        by_appt[r["appointment_id"]].append(r)
    for rows in by_appt.values():
        codes = {r["procedure_code"] for r in rows}
        first = rows[0]
        documented = (
            first["guidance_modality"] not in ("", "none")
            and first["guidance_image_saved"] == "true"
        )
        if codes & included:
            assert not codes & guidance
        if codes & guidance:
            assert documented
        if codes & {"20610", "20605"}:
            assert first["guidance_modality"] in ("none", "fluoroscopy")
        if codes & {"20552", "20553", "64405", "64418", "64450", "20610"} and documented:
            assert codes & guidance


def test_readiness_documented_for_upcoming_procedures(medium):
    rows = [
        r
        for r in background(read_kind(medium, "appointments"))
        if r["status"] == "scheduled" and r["procedure_code"] in PA_FAMILY_CODES
    ]
    assert rows
    for r in rows:
        assert r["pain_duration_weeks"] and r["conservative_therapy_weeks"]
        assert int(r["conservative_therapy_weeks"]) >= 4
        if r["procedure_code"] in ("63650", "63685"):
            assert r["psych_eval_documented"] == "true"


def test_chronic_pain_billed_exactly_as_earned(medium):
    minutes = defaultdict(int)
    for r in background(read_kind(medium, "care_time")):
        month = r["activity_date"][:7]
        minutes[(r["patient_id"], r["rendering_npi"], month)] += int(r["minutes"])
    billed = defaultdict(lambda: [0, 0])
    for c in background(read_kind(medium, "claims")):
        if c["procedure_code"] in ("G3002", "G3003"):
            k = (c["patient_id"], c["rendering_npi"], c["service_date"][:7])
            billed[k][c["procedure_code"] == "G3003"] += int(c["units"])
    assert billed
    for k, m in minutes.items():
        exp = [1, (m - 30) // 15] if m >= 30 else [0, 0]
        assert billed.get(k, [0, 0]) == exp, (k, m)
    assert set(billed) <= set(minutes)


def _shingles(text):
    t = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(t[i : i + 3]) for i in range(len(t) - 2)}


def test_notes_signed_promptly_and_not_cloned(medium):
    from painrcm.generate.reference import FAMILY

    appts = defaultdict(list)
    for r in read_kind(medium, "appointments"):
        appts[r["appointment_id"]].append(r)
    notes = background(read_kind(medium, "procedure_notes"))
    assert notes
    last = {}
    for n in sorted(notes, key=lambda n: (n["signed_at"], n["note_id"])):
        rows = sorted(appts[n["appointment_id"]], key=lambda r: int(r["line_number"]))
        assert 0 <= (d(n["signed_at"]) - d(rows[0]["service_date"])).days <= 1
        fam = next(
            FAMILY[r["procedure_code"]]
            for r in rows
            if FAMILY[r["procedure_code"]] not in ("imaging_guidance", "evaluation_management")
        )
        key = (n["patient_id"], fam)
        sh = _shingles(n["note_text"])
        if key in last:
            prev = last[key]
            assert len(sh & prev) / len(sh | prev) < 0.9
        last[key] = sh


def test_quarantine_expected_lists_the_plants(small):
    q = quarantine_expected(small)
    reasons = {r["reason_contains"] for r in q}
    assert {"service_date", "status", "amount", "npi", "urgency"} <= reasons
    for r in q:
        path = small / r["kind"] / r["file_name"]
        assert path.is_file(), path
        if r["kind"] == "remits":
            assert "ST*999*" in path.read_text()
            continue
        with open(path, newline="") as fh:
            rows = list(csv.DictReader(fh))
        if not r["row_number"]:
            assert r["reason_contains"] not in rows[0]
            continue
        bad = rows[int(r["row_number"]) - 1][r["reason_contains"]]
        if r["reason_contains"] == "npi":
            assert not luhn_ok(bad)
        elif r["reason_contains"] == "amount":
            with pytest.raises(ArithmeticError):
                Decimal(bad)
        elif r["reason_contains"] == "status":
            assert bad not in ("scheduled", "completed", "cancelled", "no_show")
        else:
            with pytest.raises(ValueError):
                date.fromisoformat(bad)
    m = json.loads((small / "ground_truth" / "manifest.json").read_text())
    assert m["plants"]["ingest"] == q or len(m["plants"]["ingest"]) == len(q)
    assert (
        m["counts"]["expected_good_rows"]["authorizations"]
        == m["counts"]["rows_written"]["authorizations"] - 1
    )


def test_prior_sessions_support_upcoming_procedures(medium):
    """rules.md §13: repeat ESI after >= 50% relief, first RFA after two >= 80% blocks 14+ days
    apart, permanent SCS after a successful trial: all documented before the visit."""
    esi = {"62321", "62323", "64479", "64480", "64483", "64484"}
    mbb = {str(c) for c in range(64490, 64496)}
    rfa = {"64633", "64634", "64635", "64636"}
    sessions = defaultdict(dict)  # (patient, group) -> {date: relief}
    rows = background(read_kind(medium, "appointments"))
    for r in rows:
        if r["status"] != "completed":
            continue
        for name, codes in (("esi", esi), ("mbb", mbb), ("rfa", rfa), ("scs", {"63650"})):
            if r["procedure_code"] in codes:
                sessions[(r["patient_id"], name)][d(r["service_date"])] = r["relief_pct"]
    n = 0
    for r in rows:
        if r["status"] != "scheduled":
            continue
        sd, pid = d(r["service_date"]), r["patient_id"]
        if r["procedure_code"] in esi:
            prior = {
                k: v
                for k, v in sessions[(pid, "esi")].items()
                if sd - timedelta(days=365) <= k < sd
            }
            if prior:
                n += 1
                assert int(prior[max(prior)] or 0) >= 50, r["appointment_id"]
        if r["procedure_code"] in rfa and not sessions[(pid, "rfa")]:
            blocks = sorted(
                k for k, v in sessions[(pid, "mbb")].items() if k < sd and v and int(v) >= 80
            )
            n += 1
            assert len(blocks) >= 2 and (blocks[-1] - blocks[0]).days >= 14, r["appointment_id"]
        if r["procedure_code"] == "63685":
            trials = [
                v for k, v in sessions[(pid, "scs")].items() if sd - timedelta(days=365) <= k < sd
            ]
            n += 1
            assert trials and int(trials[0] or 0) >= 50
    assert n > 0


# Seeds whose documentation plant used to copy a note below the clone threshold (the copy
# changed two numbers of a short note: AssertionError 0.8983 and the like). The plant's rng
# depends on the seed alone, so one as-of each is enough; the small practice keeps it quick.
# Seed 19 as of 2026-06-30 also booked a missed visit after the as-of date (a no_show the
# warehouse reads as still scheduled: a background units_exceeded in pa_coverage_gaps).
@pytest.mark.parametrize(
    "seed,as_of",
    [
        (12, date(2026, 9, 15)),
        (4, date(2026, 11, 30)),
        (6, date(2026, 6, 30)),
        (19, date(2026, 6, 30)),
    ],
)
def test_other_seeds_generate_with_exact_truth(tmp_path, seed, as_of):
    out = tmp_path / "inbox"
    generate_practice(out, seed=seed, months=6, providers=3, claims_per_month=60, as_of=as_of)
    for r in read_kind(out, "appointments", False):
        if r["status"] in ("completed", "no_show"):
            assert d(r["service_date"]) <= as_of, r["appointment_id"]
    text = {n["note_id"]: n["note_text"] for n in read_kind(out, "procedure_notes", False)}
    with open(out / "ground_truth" / "documentation_risk.csv", newline="") as fh:
        clones = [r for r in csv.DictReader(fh) if r["risk"] == "cloned_note"]
    assert len(clones) == 3
    for r in clones:
        a, b = _shingles(text[r["note_id"]]), _shingles(text[r["previous_note_id"]])
        sim = round(len(a & b) / len(a | b), 4)
        assert sim >= 0.9 and f"{sim:.4f}" == r["similarity"]
