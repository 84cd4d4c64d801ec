"""Documentation risk (marts.documentation_risk, rules.md §15) on patients of its own: cloned
notes (a repeat procedure whose note copies the previous one with a few numbers changed) and
missing notes (none signed, or signed after the 3-day window). Near-misses: a note sharing
the previous note's template header but differing in its findings, a note signed exactly 3
days after the visit, and a visit only 2 days old with no note yet. Visits use the visit
builder of plants/visits.py (covering approved auths, claims paid per contract).
"""

from __future__ import annotations

import re
from datetime import timedelta

from painrcm.generate.notes import note_text
from painrcm.generate.plants import PlantContext, PlantOutput
from painrcm.generate.plants.readiness import Scenarios
from painrcm.generate.plants.visits import VisitBuilder, ground_truth_csv
from painrcm.generate.practice import Line
from painrcm.generate.seeds import seed_rows
from painrcm.similarity import similarity

SECTION = "documentation_risk"
NEAR_MISS_SECTION = "documentation_risk_near_misses"
CLONE_THRESHOLD = next(
    float(r["numeric_value"])
    for r in seed_rows("documentation_rules")
    if r["rule"] == "clone_similarity_threshold"
)


def _tf() -> Line:
    return Line("64483", "LT", 1, "left")


def _renumber(text: str, rng, count: int = 2) -> str:
    """The copied note with its visit numbers (vitals, scores, times) changed."""
    return re.sub(
        r"\b\d{2,3}\b", lambda m: str(int(m.group()) + rng.randint(1, 3)), text, count=count
    )


def _clone(text: str, rng) -> tuple[str, float]:
    """A copy of `text` with a few numbers changed, at or above the clone threshold by
    construction: two numbers changed when that stays above it (each change can move up to
    three shingles, so a short note can fall below), else one, else the note verbatim (1.0).
    Returns the copy and its similarity, the exact figure the mart computes."""
    for count in (2, 1):
        copy = _renumber(text, rng, count)
        sim = similarity(copy, text)
        if sim >= CLONE_THRESHOLD:
            return copy, sim
    return text, similarity(text, text)


def plant(ctx: PlantContext) -> PlantOutput:
    s = Scenarios(ctx)
    b: VisitBuilder = s.b
    rng = ctx.rng
    texts: dict[str, str] = {}  # appointment_id -> note text to sign
    signed: dict[str, str] = {}  # appointment_id -> signed_at override ("" = no note)
    expected: list[dict] = []
    near: list[str] = []
    billed: dict[str, str] = {}

    def base_text() -> str:
        return note_text(
            rng, "esi_transforaminal", "lumbar", "L4-L5", "left", "fluoroscopy", "26", "8", "6"
        )

    # cloned notes: three patients, second ESI note copied from the first
    for k in range(3):
        p = b.patient(("COPEC", "COGCB", "MCDBB")[k])
        e1 = s.covered_visit(p, b.past(120 - 7 * k), [_tf()])
        e2 = s.covered_visit(p, b.past(60 - 7 * k), [_tf()])
        t1 = base_text()
        t2, sim = _clone(t1, rng)
        texts[e1.appt_id], texts[e2.appt_id] = t1, t2
        expected.append(
            {
                "appointment_id": e2.appt_id,
                "patient_id": p.pid,
                "risk": "cloned_note",
                "similarity": f"{sim:.4f}",
                "previous_appointment_id": e1.appt_id,
                "procedure_family": "esi_transforaminal",
            }
        )
    # near-miss: same template header (procedure + indication), different findings
    p = b.patient("COPEC", near_miss=True)
    e1 = s.covered_visit(p, b.past(110), [_tf()])
    e2 = s.covered_visit(p, b.past(50), [_tf()])
    t1 = base_text()
    header = " ".join(t1.split(". ")[:2])
    t2 = header + ". " + " ".join(base_text().split(". ")[2:])
    while similarity(t2, t1) >= CLONE_THRESHOLD:
        t2 = header + ". " + " ".join(base_text().split(". ")[2:])
    texts[e1.appt_id], texts[e2.appt_id] = t1, t2
    near.append(p.pid)

    # missing notes: never signed; signed 5 days late
    for k, late in enumerate((None, 5)):
        p = b.patient("COPEC")
        e = s.covered_visit(p, b.past(40 + 10 * k), [_tf()])
        signed[e.appt_id] = "" if late is None else (e.date + timedelta(days=late)).isoformat()
        expected.append(
            {
                "appointment_id": e.appt_id,
                "patient_id": p.pid,
                "risk": "note_missing",
                "similarity": "",
                "previous_appointment_id": "",
                "procedure_family": "esi_transforaminal",
            }
        )
    p = b.patient("COGCB")
    e = s.covered_visit(p, b.past(10), [_tf()])
    signed[e.appt_id] = ""
    expected.append(
        {
            "appointment_id": e.appt_id,
            "patient_id": p.pid,
            "risk": "note_missing",
            "similarity": "",
            "previous_appointment_id": "",
            "procedure_family": "esi_transforaminal",
        }
    )
    # near-misses: signed exactly 3 days after; a visit 2 days ago, no note yet
    p = b.patient("COPEC", near_miss=True)
    e = s.covered_visit(p, b.past(30), [_tf()])
    signed[e.appt_id] = (e.date + timedelta(days=3)).isoformat()
    near.append(p.pid)
    p = b.patient("COPEC", near_miss=True)
    e = s.covered_visit(p, ctx.as_of - timedelta(days=2), [_tf()])
    signed[e.appt_id] = ""
    near.append(p.pid)

    for c in b.claims:
        billed[c.enc.appt_id] = str(sum(c.charges))

    out = b.finish("documentation")
    notes = []
    for row in out.extra_rows.get("procedure_notes", []):
        appt = row[1]
        if appt in signed and signed[appt] == "":
            continue
        if appt in signed:
            row[4] = signed[appt]
        if appt in texts:
            row[5] = texts[appt]
        notes.append(row)
    out.extra_rows["procedure_notes"] = notes
    note_of = {row[1]: row[0] for row in notes}
    for x in expected:
        x["note_id"] = note_of.get(x["appointment_id"], "") if x["risk"] == "cloned_note" else ""
        x["previous_note_id"] = note_of.get(x.pop("previous_appointment_id"), "")
        x["billed_amount"] = billed.get(x["appointment_id"], "0.00")
    out.findings[SECTION] = expected
    ground_truth_csv(out, SECTION, expected)
    out.findings[NEAR_MISS_SECTION] = [{"patient_id": pid} for pid in near]
    return out
