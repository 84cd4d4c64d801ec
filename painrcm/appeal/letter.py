"""The appeal letter worded once, as a list of blocks that both writers lay out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from painrcm.appeal.facts import AppealFacts


@dataclass
class Block:
    kind: str  # letterhead, para, heading, table, bullets, signature
    lines: list[str] | None = None
    text: str | None = None
    header: list[str] | None = None
    rows: list[list[str]] | None = None


def money(value: Decimal | None) -> str:
    return "" if value is None else f"${value:,.2f}"


def day(value: date | None) -> str:
    return "" if value is None else f"{value:%B} {value.day}, {value.year}"


def _text(value: object) -> str:
    return "" if value is None else str(value)


def blocks(f: AppealFacts) -> list[Block]:
    p = f.practice
    contact = " · ".join(
        x
        for x in (
            f"Phone {p.phone}" if p.phone else "",
            f"NPI {p.npi}" if p.npi else "",
            f"TIN {p.tin}" if p.tin else "",
        )
        if x
    )
    out = [
        Block("letterhead", lines=[p.name, *p.address, *([contact] if contact else [])]),
        Block("para", text=day(f.today)),
        Block(
            "para",
            lines=[f.payer.name, "Attn: Appeals and Reconsiderations", *f.payer.address_lines],
        ),
    ]
    dates = sorted({ln.service_date for ln in f.lines if ln.service_date})
    out.append(
        Block(
            "heading",
            text=f"Appeal of the denial of claim {f.claim_id}"
            + (f", date of service {day(dates[0])}" if dates else ""),
        )
    )
    facts = [
        ["Patient (account)", f.patient_id],
        ["Member ID", _text(f.member_id)],
        ["Claim number (patient control number)", f.claim_id],
        ["Payer claim number", _text(f.payer_claim_number)],
        ["Rendering provider NPI", _text(f.rendering_npi)],
        ["Date(s) of service", ", ".join(day(d) for d in dates)],
        ["Submitted", day(f.submitted_date)],
        ["Billed amount", money(f.total_billed)],
        ["Denied amount", money(f.total_denied)],
        ["Denied on (remittance date)", day(f.lines[0].denial_date)],
        ["Appeal deadline", day(f.appeal_deadline)],
    ]
    out.append(Block("table", header=["", ""], rows=[r for r in facts if r[1]]))
    out.append(
        Block(
            "para",
            text=(
                f"We ask {f.payer.name} to reconsider and pay the service(s) below, denied on "
                f"the remittance advice of {day(f.lines[0].denial_date)}. The service was "
                "authorized where required, medically necessary and documented as the "
                "coverage policy requires, as set out in this letter and its enclosures."
            ),
        )
    )
    out.append(Block("heading", text="Denied services"))
    out.append(
        Block(
            "table",
            header=["Line", "Date", "Procedure", "Units", "Billed", "Denied", "Reason given"],
            rows=[
                [
                    _text(ln.line_number) or "claim",
                    day(ln.service_date),
                    " ".join(
                        x
                        for x in (
                            _text(ln.procedure_code),
                            _text(ln.modifiers),
                            f"({ln.procedure_description})" if ln.procedure_description else "",
                        )
                        if x
                    ),
                    _text(ln.units),
                    money(ln.billed_amount),
                    money(ln.denied_amount),
                    f"{ln.group_code}-{ln.carc}: {ln.carc_text}"
                    + "".join(f"; {code}: {text}" for code, text in ln.rarcs),
                ]
                for ln in f.lines
            ],
        )
    )
    diagnoses = sorted({ln.diagnosis_codes for ln in f.lines if ln.diagnosis_codes})
    if diagnoses:
        out.append(Block("para", text="Diagnoses on the claim: " + "; ".join(diagnoses) + "."))
    out.append(Block("heading", text="Authorization"))
    if f.authorizations:
        out.append(
            Block(
                "bullets",
                lines=[
                    f"Authorization {a.auth_number or '(number pending)'}: {a.decision or ''}, "
                    f"valid {day(a.valid_from)} to {day(a.valid_to)}, "
                    f"codes {a.procedure_codes or 'not listed'}"
                    + (f", {a.units_approved} unit(s)" if a.units_approved else "")
                    + (f", levels {a.levels}" if a.levels else "")
                    for a in f.authorizations
                ],
            )
        )
    else:
        out.append(Block("para", text="No prior authorization is on file for this service."))
    out.append(Block("heading", text="Coverage policy"))
    if f.policies:
        for policy_id, title, criteria in f.policies:
            out.append(Block("para", text=f"{policy_id}, {title}, requires:"))
            out.append(Block("bullets", lines=criteria or ["(see the policy)"]))
    else:
        out.append(
            Block("para", text="The payer's published medical policy for this service applies.")
        )
    out.append(Block("heading", text="Medical necessity documented in the chart"))
    facts_lines: list[str] = []
    for n in f.necessity:
        where = " ".join(x for x in (n.laterality, n.spinal_region, n.levels) if x)
        said = [
            f"pain for {n.pain_duration_weeks} weeks" if n.pain_duration_weeks is not None else "",
            f"{n.conservative_therapy_weeks} weeks of failed conservative care"
            if n.conservative_therapy_weeks is not None
            else "",
            f"pain score {n.pain_score}/10 before the procedure"
            if n.pain_score is not None
            else "",
            f"treated: {where}" if where else "",
        ]
        text = "; ".join(s for s in said if s)
        facts_lines.append(f"Line {n.line_number}: {text or 'see the enclosed notes'}")
        facts_lines.extend(f"Prior procedure {r}" for r in n.prior_relief)
    out.append(
        Block("bullets", lines=facts_lines or ["See the enclosed procedure and office notes."])
    )
    out.append(
        Block(
            "para",
            text=(
                "Please reprocess the claim and pay the denied amount"
                + (
                    f" before the appeal deadline of {day(f.appeal_deadline)}"
                    if f.appeal_deadline
                    else ""
                )
                + ". For questions call "
                + (f.practice.phone or "our billing office")
                + "."
            ),
        )
    )
    out.append(Block("signature", lines=["Sincerely,", "", f.practice.contact, f.practice.name]))
    out.append(Block("heading", text="Enclosures"))
    out.append(Block("bullets", lines=f.enclosures()))
    return out
