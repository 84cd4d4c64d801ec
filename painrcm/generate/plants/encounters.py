"""Complete planted encounters for the payment plants: appointment rows, claim rows, a
procedure note and the primary payer's 835, built with the background's own helpers
(practice.Enc, adjudicate.Adjudicator, x12_writer.render_835) so only the planted deviation
differs from a clean encounter.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from ingest.schemas import EXTRACTS, REMITS_FOLDER
from painrcm.generate import practice
from painrcm.generate.adjudicate import Adjudicator, RemitClaim
from painrcm.generate.notes import note_text
from painrcm.generate.plants import PlantContext, PlantOutput
from painrcm.generate.reference import GROUP_NPI, ZERO, Payer, chargemaster, q
from painrcm.generate.x12_writer import Transaction, render_835


def weekday_before(d: date) -> date:
    while d.weekday() >= 5:
        d -= timedelta(days=1)
    return d


def contract_row(kind: str, values: dict[str, str]) -> list[str]:
    """The values of an extract row in contract column order (a missing column empty)."""
    return [values.get(c, "") for c in EXTRACTS[kind].column_names]


class _Claim:
    """The shape Adjudicator.adjudicate reads (generator Claim)."""

    def __init__(self, claim_id, enc, charges):
        self.claim_id = claim_id
        self.enc = enc
        self.charges = charges


@dataclass
class Builder:
    ctx: PlantContext
    out: PlantOutput
    prefix: str  # id prefix, e.g. "9" + namespace
    n: int = 0
    remits: dict[tuple[str, date], list[RemitClaim]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def __post_init__(self) -> None:
        self.adj = Adjudicator(self.ctx.rng, self.ctx.book)

    def payer(self, payer_id: str) -> Payer:
        return next(p for p in self.ctx.payers if p.payer_id == payer_id)

    def encounter(
        self,
        payer_id: str,
        dos: date,
        pos: str,
        lines: list[tuple[str, str, int]],
        modality: str = "none",
        saved: bool = False,
        family: str = "joint_injection",
        billed: bool = True,
        with_appointment: bool = True,
    ) -> dict:
        """Appointment (+ claim) rows for one encounter; returns its ids and generator objects."""
        self.n += 1
        k = self.n
        payer = self.payer(payer_id)
        prov = self.ctx.providers[0]
        pid = self.ctx.patient_id(k)
        p = practice.Patient(
            pid,
            payer,
            prov,
            f"M9{self.prefix}{k:05d}",
            "Plant",
            f"Pat{k}",
            None,
            "plant",
            900000 + k,
        )
        self.adj.deductible_left[(pid, dos.year)] = ZERO  # deductible met: paid stays > 0
        plines = [practice.Line(c, m, u) for c, m, u in lines]
        e = practice.Enc(
            p,
            dos,
            pos,
            plines,
            "procedure",
            "M79.18 M25.561",
            "",
            "",
            modality,
            "true" if saved else "false",
        )
        appt_id = f"A{self.prefix}{k:05d}" if with_appointment else ""
        claim_id = f"C{self.prefix}{k:05d}" if billed else ""
        e.appt_id = appt_id
        if with_appointment:
            for i, (c, m, u) in enumerate(lines, start=1):
                self.out.extra_rows.setdefault("appointments", []).append(
                    contract_row(
                        "appointments",
                        {
                            "appointment_id": appt_id,
                            "line_number": str(i),
                            "patient_id": pid,
                            "payer_id": payer_id,
                            "member_id": p.member_id,
                            "rendering_npi": prov.npi,
                            "service_state": prov.state,
                            "place_of_service": pos,
                            "scheduled_on": (dos - timedelta(days=10)).isoformat(),
                            "service_date": dos.isoformat(),
                            "status": "completed",
                            "procedure_code": c,
                            "modifiers": m,
                            "units": str(u),
                            "guidance_modality": modality,
                            "guidance_image_saved": "true" if saved else "false",
                            "conservative_therapy_weeks": "8",
                            "pain_duration_weeks": "20",
                            "pain_score": "7",
                        },
                    )
                )
            self.out.extra_rows.setdefault("procedure_notes", []).append(
                contract_row(
                    "procedure_notes",
                    {
                        "note_id": f"N{self.prefix}{k:05d}",
                        "appointment_id": appt_id,
                        "patient_id": pid,
                        "author_npi": prov.npi,
                        "signed_at": dos.isoformat(),
                        "note_text": note_text(
                            self.ctx.rng, family, "", "", "", modality, "20", "8", "7"
                        ),
                    },
                )
            )
        charges = [chargemaster(c) * u * (2 if "50" in m.split() else 1) for c, m, u in lines]
        if billed:
            for i, (c, m, u) in enumerate(lines, start=1):
                self.out.extra_rows.setdefault("claims", []).append(
                    contract_row(
                        "claims",
                        {
                            "claim_id": claim_id,
                            "line_number": str(i),
                            "patient_id": pid,
                            "payer_id": payer_id,
                            "rendering_npi": prov.npi,
                            "appointment_id": appt_id,
                            "service_date": dos.isoformat(),
                            "submitted_date": (dos + timedelta(days=1)).isoformat(),
                            "procedure_code": c,
                            "modifiers": m,
                            "units": str(u),
                            "charge_amount": str(charges[i - 1]),
                            "diagnosis_codes": "M79.18 M25.561",
                            "place_of_service": pos,
                        },
                    )
                )
        return {
            "pid": pid,
            "appt_id": appt_id,
            "claim_id": claim_id,
            "payer": payer,
            "claim": _Claim(claim_id, e, charges),
            "dos": dos,
            "pos": pos,
        }

    def fee(self, enc: dict, code: str, mods: str = "") -> Decimal:
        return self.ctx.book.fee(enc["payer"].payer_id, code, mods, enc["pos"], enc["dos"])

    def expected(self, enc: dict) -> list[Decimal]:
        e = enc["claim"].enc
        allowed, _full = self.adj.price(enc["payer"], e.pos, e.date, e.lines)
        return list(allowed)

    def pay(
        self,
        enc: dict,
        check: date,
        allowed: dict[int, Decimal] | None = None,
        shift_pct: Decimal = ZERO,
        send_b6: bool | None = None,
    ) -> RemitClaim:
        """Adjudicate per contract, then pay line i (1-based) at allowed[i] instead: the
        difference moves from paid to a CO-45 write-off, so the line still balances."""
        payer = enc["payer"]
        rc = self.adj.adjudicate(
            payer,
            enc["claim"],
            f"9{self.prefix}{self.n:06d}{len(self.remits)}",
            allowed_shift_pct=shift_pct,
        )
        for i, new in (allowed or {}).items():
            ln = rc.lines[i - 1]
            old = ln.allowed if ln.allowed is not None else self.expected(enc)[i - 1]
            delta = old - new
            ln.paid -= delta
            ln.cas = list(ln.cas) + [("CO", "45", delta)]
            if ln.allowed is not None:
                ln.allowed = new
        if send_b6 is False:
            for ln in rc.lines:
                ln.allowed = None
        rc.paid = sum((x.paid for x in rc.lines), ZERO) - sum(
            (a for _g, _c, a in rc.claim_cas), ZERO
        )
        self.remits[(payer.payer_id, check)].append(rc)
        return rc

    def add_remit(self, payer_id: str, check: date, rc: RemitClaim) -> None:
        self.remits[(payer_id, check)].append(rc)

    def finish(self) -> None:
        for j, ((payer_id, check), rcs) in enumerate(
            sorted(self.remits.items(), key=lambda kv: (kv[0][1], kv[0][0]))
        ):
            payer = self.payer(payer_id)
            icn = 800000000 + int(self.prefix) * 1000 + j
            data, _st = render_835(
                payer,
                check,
                [
                    Transaction(
                        rcs, [], f"{payer.x12_payer_id}{payer.payer_id}{check:%Y%m%d}P{self.prefix}"
                    )
                ],
                icn,
                GROUP_NPI,
            )
            name = f"{payer_id.lower()}_era_{check.isoformat()}_plant{self.prefix}.{payer.file_ext}"
            self.out.raw_files.append((REMITS_FOLDER, name, data))


def money(x: Decimal | None) -> str:
    return "" if x is None else str(q(x))
