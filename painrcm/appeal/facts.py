"""Everything an appeal letter states, read from the warehouse (and the practice config).

The denial comes from marts.denials; the payer's name and address from the denying remit's
N1*PR / N3 / N4 segments as received (raw.x12_segments); the claim and its lines, the
authorization and the documented medical necessity from staging/intermediate (PHI: the
packet is written to a local file, nothing is logged); the codes' meanings and the coverage
policy from seeds. Read-only: a packet never changes the warehouse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb

from painrcm.appeal.practice import Practice, load_practice
from painrcm.warehouse import connect_read_only


class AppealError(ValueError):
    pass


@dataclass
class Payer:
    payer_id: str
    name: str
    address_lines: list[str]
    phone: str | None = None


@dataclass
class DeniedLine:
    line_number: int | None
    procedure_code: str | None
    procedure_description: str | None
    procedure_family: str | None
    modifiers: str | None
    units: int | None
    service_date: date | None
    billed_amount: Decimal | None
    denied_amount: Decimal
    group_code: str
    carc: str
    carc_text: str
    rarcs: list[tuple[str, str]]
    denial_date: date
    appeal_deadline: date | None
    diagnosis_codes: str | None


@dataclass
class Authorization:
    auth_number: str | None
    decision: str | None
    valid_from: date | None
    valid_to: date | None
    procedure_codes: str | None
    units_approved: int | None
    levels: str | None


@dataclass
class Necessity:
    line_number: int | None
    pain_duration_weeks: int | None
    conservative_therapy_weeks: int | None
    pain_score: int | None
    spinal_region: str | None
    levels: str | None
    laterality: str | None
    prior_relief: list[str] = field(default_factory=list)


@dataclass
class AppealFacts:
    practice: Practice
    practice_source: str
    payer: Payer
    claim_id: str
    patient_id: str
    member_id: str | None
    rendering_npi: str | None
    submitted_date: date | None
    payer_claim_number: str | None
    lines: list[DeniedLine]
    authorizations: list[Authorization]
    necessity: list[Necessity]
    policies: list[tuple[str, str, list[str]]]  # (policy id, title, criteria)
    today: date

    @property
    def total_billed(self) -> Decimal:
        return sum((ln.billed_amount or Decimal("0.00") for ln in self.lines), Decimal("0.00"))

    @property
    def total_denied(self) -> Decimal:
        return sum((ln.denied_amount for ln in self.lines), Decimal("0.00"))

    @property
    def appeal_deadline(self) -> date | None:
        dates = [ln.appeal_deadline for ln in self.lines if ln.appeal_deadline]
        return min(dates) if dates else None

    def enclosures(self) -> list[str]:
        items = [
            f"Remittance advice of {self.lines[0].denial_date.isoformat()} showing the denial",
            "Copy of the claim as submitted (CMS-1500 / 837P)",
            "Procedure note and operative report for the date of service",
        ]
        if any(a.auth_number for a in self.authorizations):
            items.append("Prior authorization approval letter")
        if self.necessity:
            items.append(
                "Office notes documenting pain duration, conservative care and prior relief"
            )
        if self.policies:
            items.append("Excerpt of " + ", ".join(p[0] for p in self.policies))
        return items


def _one(con, sql: str, params: list) -> tuple | None:
    return con.execute(sql, params).fetchone()


def _all(con, sql: str, params: list) -> list[tuple]:
    return con.execute(sql, params).fetchall()


def _tables(con) -> set[str]:
    return {
        f"{s}.{t}"
        for s, t in con.execute(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
    }


def _payer(con, transaction_id: str, payer_id: str) -> Payer:
    """N1*PR of the denying remit and the N3/N4/PER that follow it (before the next N1)."""
    segs = _all(
        con,
        "select segment_position, segment_id, elements from raw.x12_segments "
        "where transaction_id = ? and segment_id in ('N1', 'N3', 'N4', 'PER') "
        "order by segment_position",
        [transaction_id],
    )
    name, lines, phone, inside = None, [], None, False
    for _pos, sid, el in segs:
        el = list(el or [])
        if sid == "N1":
            inside = bool(el) and el[0] == "PR"
            if inside:
                name = el[1] if len(el) > 1 else None
            continue
        if not inside:
            continue
        if sid == "N3":
            lines.extend(e for e in el if e)
        elif sid == "N4":
            city, state, zip_code = (el + [None, None, None])[:3]
            lines.append(f"{city or ''}, {state or ''} {_zip(zip_code)}".strip(" ,"))
        elif sid == "PER" and "TE" in el:
            phone = el[el.index("TE") + 1] if el.index("TE") + 1 < len(el) else None
    if name is None:
        row = _one(
            con,
            "select payer_name from staging.stg_pm__payers where payer_id = ? and version_rank = 1",
            [payer_id],
        )
        name = row[0] if row else payer_id
    return Payer(payer_id, name, lines, phone)


def _zip(value: str | None) -> str:
    if value and len(value) == 9 and value.isdigit():
        return f"{value[:5]}-{value[5:]}"
    return value or ""


def gather(warehouse: Path, claim_id: str, line: int | None = None, today: date | None = None):
    """The facts of the appeal of claim_id (one line, or every denied line of the claim)."""
    con = connect_read_only(Path(warehouse))
    try:
        return _gather(con, Path(warehouse), claim_id, line, today or date.today())
    finally:
        con.close()


def _gather(con: duckdb.DuckDBPyConnection, warehouse, claim_id, line, today) -> AppealFacts:
    tables = _tables(con)
    for needed in ("marts.denials", "seeds.rarc_descriptions", "seeds.appeal_policies"):
        if needed not in tables:
            raise AppealError(f"{needed} is missing from {warehouse}: run `painrcm build`")
    where, params = "claim_id = ?", [claim_id]
    if line is not None:
        where += " and line_number = ?"
        params.append(line)
    denials = _all(
        con,
        "select transaction_id, clp_position, line_number, payer_id, service_date, "
        "procedure_code, group_code, carc, rarcs, denied_amount, denial_date, appeal_deadline, "
        "status, denial_class from marts.denials "
        f"where {where} order by denial_date desc, line_number nulls first, carc",
        params,
    )
    if not denials:
        at = f" line {line}" if line is not None else ""
        raise AppealError(f"claim {claim_id}{at} has no denial in marts.denials")
    still_open = [d for d in denials if d[12] in ("open", "resubmitted")]
    # the newest remit's denials (a claim denied twice is appealed on the last decision)
    latest_tx = (still_open or denials)[0][0]
    chosen = [d for d in (still_open or denials) if d[0] == latest_tx]
    tx, clp, _, payer_id = chosen[0][:4]
    payer = _payer(con, tx, payer_id)
    claim_lines = {
        r[0]: r
        for r in _all(
            con,
            "select line_number, procedure_code, modifiers, units, charge_amount, "
            "diagnosis_codes, patient_id, rendering_npi, submitted_date, appointment_id, "
            "service_date from staging.stg_pm__claims where claim_id = ? and version_rank = 1 "
            "order by line_number",
            [claim_id],
        )
    }
    if not claim_lines:
        raise AppealError(f"claim {claim_id} is not in the claims extract (staging.stg_pm__claims)")
    first = next(iter(claim_lines.values()))
    families = dict(
        _all(
            con,
            "select procedure_code, procedure_family || '|' || coalesce(description, '') "
            "from seeds.procedure_families",
            [],
        )
    )
    carc_text = dict(_all(con, "select carc, description from seeds.carc_categories", []))
    rarc_text = dict(_all(con, "select rarc, description from seeds.rarc_descriptions", []))
    lines: list[DeniedLine] = []
    for d in chosen:
        ln = claim_lines.get(d[2])
        code = d[5] or (ln[1] if ln else None)
        fam, _, desc = (families.get(code) or "||").partition("|")
        lines.append(
            DeniedLine(
                line_number=d[2],
                procedure_code=code,
                procedure_description=desc or None,
                procedure_family=fam or None,
                modifiers=ln[2] if ln else None,
                units=ln[3] if ln else None,
                service_date=d[4] or (ln[10] if ln else None),
                billed_amount=ln[4] if ln else None,
                denied_amount=d[9],
                group_code=d[6],
                carc=d[7],
                carc_text=carc_text.get(d[7], "see the X12 CARC list"),
                rarcs=[
                    (r, rarc_text.get(r, "see the X12 RARC list")) for r in (d[8] or "").split()
                ],
                denial_date=d[10],
                appeal_deadline=d[11],
                diagnosis_codes=ln[5] if ln else None,
            )
        )
    icn = _one(
        con,
        "select payer_claim_control_number from staging.stg_x12__claim_payments "
        "where transaction_id = ? and clp_position = ?",
        [tx, clp],
    )
    line_numbers = [ln.line_number for ln in lines if ln.line_number is not None] or list(
        claim_lines
    )
    auths, necessity = _auth_and_necessity(con, tables, claim_id, line_numbers)
    member = _one(
        con,
        "select member_id from staging.stg_pm__appointments "
        "where appointment_id = ? and version_rank = 1 and member_id is not null limit 1",
        [first[9]],
    )
    fams = sorted({ln.procedure_family for ln in lines if ln.procedure_family})
    policies = _policies(con, fams)
    practice, source = load_practice(Path(warehouse), con, tx)
    return AppealFacts(
        practice=practice,
        practice_source=source,
        payer=payer,
        claim_id=claim_id,
        patient_id=first[6],
        member_id=member[0] if member else None,
        rendering_npi=first[7],
        submitted_date=first[8],
        payer_claim_number=icn[0] if icn else None,
        lines=lines,
        authorizations=auths,
        necessity=necessity,
        policies=policies,
        today=today,
    )


def _auth_and_necessity(con, tables, claim_id, line_numbers):
    if "intermediate.int_procedure_lines_linked" not in tables:
        return [], []
    marks = ", ".join("?" for _ in line_numbers)
    # every procedure line (appointment facts beside the claim line); the authorization the
    # PA rules matched, for the lines those rules scope
    matched = "intermediate.int_pa_lines_matched" in tables
    rows = _all(
        con,
        f"select l.claim_line_number, {'m.auth_id' if matched else 'null'}, "
        "l.pain_duration_weeks, l.conservative_therapy_weeks, l.pain_score, l.spinal_region, "
        "l.levels, l.laterality, l.patient_id, l.service_date, l.procedure_family "
        "from intermediate.int_procedure_lines_linked l "
        + (
            "left join intermediate.int_pa_lines_matched m using (procedure_line_id) "
            if matched
            else ""
        )
        + f"where l.claim_id = ? and l.claim_line_number in ({marks}) "
        "order by l.claim_line_number",
        [claim_id, *line_numbers],
    )
    auths: list[Authorization] = []
    seen: set[str] = set()
    necessity: list[Necessity] = []
    for r in rows:
        if r[1] and r[1] not in seen:
            seen.add(r[1])
            a = _one(
                con,
                "select auth_number, decision, valid_from, valid_to, procedure_codes, "
                "units_approved, levels from staging.stg_pm__authorizations "
                "where auth_id = ? and version_rank = 1",
                [r[1]],
            )
            if a:
                auths.append(Authorization(*a))
        prior = _all(
            con,
            "select a.service_date, a.procedure_code, f.procedure_family, a.relief_pct, "
            "a.relief_weeks from staging.stg_pm__appointments a "
            "join seeds.procedure_families f using (procedure_code) "
            "where a.patient_id = ? and a.version_rank = 1 and a.status = 'completed' "
            "and a.relief_pct is not null and a.service_date < ? "
            "and a.service_date >= ? - interval 365 day "
            "and coalesce(a.spinal_region, '') = coalesce(?, '') "
            "order by a.service_date desc limit 4",
            [r[8], r[9], r[9], r[5]],
        )
        necessity.append(
            Necessity(
                line_number=r[0],
                pain_duration_weeks=r[2],
                conservative_therapy_weeks=r[3],
                pain_score=r[4],
                spinal_region=r[5],
                levels=r[6],
                laterality=r[7],
                prior_relief=[
                    f"{p[0].isoformat()} {p[1]} ({p[2].replace('_', ' ')}): {p[3]}% relief"
                    + (f" for {p[4]} weeks" if p[4] is not None else "")
                    for p in prior
                ],
            )
        )
    return auths, necessity


def _policies(con, families: list[str]) -> list[tuple[str, str, list[str]]]:
    if not families:
        return []
    marks = ", ".join("?" for _ in families)
    out: list[tuple[str, str, list[str]]] = []
    rows = _all(
        con,
        "select distinct p.policy_id, p.policy_title, f.family_group from seeds.appeal_policies p "
        "join seeds.procedure_families f on f.procedure_family = p.procedure_family "
        f"where p.procedure_family in ({marks}) order by 1",
        families,
    )
    for policy_id, title, group in rows:
        criteria = [
            r[0]
            for r in _all(
                con,
                "select description from seeds.readiness_criteria "
                "where procedure_family_group = ? order by criterion",
                [group],
            )
        ]
        if not any(p[0] == policy_id for p in out):
            out.append((policy_id, title, criteria))
    return out
