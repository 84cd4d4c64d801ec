"""Procedure note text: templates with per-visit variation (synthetic, no names).

Each note is built from independent slots, each with several phrasings, plus visit-specific
numbers (vitals, doses, fluoroscopy time, pain scores), so consecutive notes of a patient
differ well beyond the 0.90 shingle-similarity line of rules.md §15.
"""

from __future__ import annotations

import random

_PROCEDURE_NAME = {
    "esi_interlaminar": "interlaminar epidural steroid injection",
    "esi_transforaminal": "transforaminal epidural steroid injection",
    "facet_mbb": "medial branch block",
    "facet_rfa": "radiofrequency ablation of the medial branch nerves",
    "scs_trial": "spinal cord stimulator trial lead placement",
    "scs_permanent": "permanent spinal cord stimulator implantation",
    "trigger_point": "trigger point injections",
    "joint_injection": "joint injection",
    "peripheral_nerve_block": "peripheral nerve block",
    "si_joint": "sacroiliac joint injection",
    "genicular_rfa": "genicular nerve radiofrequency ablation",
}

_INDICATION = (
    "Indication: {pain} pain for {weeks} weeks despite {cons} weeks of conservative care.",
    "The patient reports {pain} pain of {weeks} weeks duration; {cons} weeks of therapy and "
    "medications have not given lasting relief.",
    "Presenting with persistent {pain} pain ({weeks} weeks). Failed {cons} weeks of physical "
    "therapy, NSAIDs and home exercise.",
    "History: {weeks} weeks of {pain} pain, worse with standing and walking. Conservative "
    "management for {cons} weeks was unsuccessful.",
)
_CONSENT = (
    "Risks including bleeding, infection, nerve injury and headache were reviewed and written "
    "consent was obtained.",
    "Informed consent signed after discussion of benefits, alternatives and risks.",
    "The procedure, its alternatives and possible complications were explained; the patient "
    "agreed and signed the consent form.",
    "Consent obtained. Questions answered. Time-out performed with the full team.",
)
_PREP = (
    "Positioned {position}. Skin prepped with chlorhexidine and draped sterilely.",
    "The patient was placed {position}; the area was cleaned with chlorhexidine in the usual "
    "sterile fashion.",
    "After positioning {position}, standard sterile prep and drape were completed.",
)
_TECH = (
    "Under {modality} guidance a {gauge}-gauge needle was advanced to the target {where}.",
    "Using {modality}, a {gauge} G spinal needle was directed to {where} without difficulty.",
    "With {modality} visualization the {gauge}-gauge needle reached {where}; negative "
    "aspiration confirmed.",
    "Needle ({gauge} gauge) placed at {where} with {modality} confirmation of position.",
)
_INJECT = (
    "Injected {med} with {vol} mL total volume.",
    "A mixture of {med} ({vol} mL) was delivered slowly.",
    "{med} was injected, {vol} mL in total, without paresthesia.",
    "Medication: {med}; volume {vol} mL; no intravascular uptake seen.",
)
_IMAGE = (
    "Fluoroscopy time {fluoro} seconds; images saved to the chart.",
    "Permanent images stored. Fluoro time {fluoro} s.",
    "Representative images archived (fluoroscopy {fluoro} seconds).",
)
_IMAGE_US = (
    "Ultrasound images of needle placement saved to the record.",
    "A permanent ultrasound image documenting needle position was stored.",
)
_TOLERANCE = (
    "Tolerated well. Vitals stable: BP {bp}, HR {hr}, SpO2 {spo2}%.",
    "No complications. Post-procedure BP {bp}, pulse {hr}, saturation {spo2}%.",
    "The patient tolerated the procedure without adverse events (BP {bp}, HR {hr}).",
    "Stable throughout; observed {obs} minutes; vitals BP {bp} HR {hr} SpO2 {spo2}%.",
)
_PAIN = (
    "Pain score {pre}/10 before and {post}/10 after the procedure.",
    "Pre-procedure pain {pre} of 10, post-procedure {post} of 10.",
    "Reported pain went from {pre}/10 to {post}/10 in recovery.",
)
_PLAN = (
    "Plan: follow up in {fu} weeks with a pain diary.",
    "Will reassess relief at the {fu}-week visit; continue home exercise.",
    "Return in {fu} weeks. Call for fever, new weakness or severe headache.",
    "Discharged home with a driver; follow-up in {fu} weeks to document response.",
    "Continue current medications; recheck in {fu} weeks.",
)
_MEDS = (
    "dexamethasone 10 mg with 1 mL preservative-free saline",
    "triamcinolone 40 mg and 1% lidocaine",
    "methylprednisolone 80 mg with saline",
    "0.5% bupivacaine 0.5 mL per level",
    "2% lidocaine 1 mL per lesion site",
    "0.25% bupivacaine with triamcinolone 20 mg",
)
_POSITION = (
    "prone",
    "prone with a pillow under the abdomen",
    "supine",
    "seated",
    "lateral decubitus",
)
_PAIN_SITE = {
    "cervical": "neck and arm",
    "thoracic": "mid back",
    "lumbar": "low back and leg",
    "sacroiliac": "buttock",
    "": "regional",
}


def note_text(
    rng: random.Random,
    family: str,
    region: str,
    levels: str,
    laterality: str,
    modality: str,
    pain_weeks: str,
    conservative: str,
    pain_score: str,
) -> str:
    where = " ".join(x for x in (laterality, levels or region) if x) or "the target site"
    pre = int(pain_score or 6)
    mod = modality if modality and modality != "none" else "landmark"
    parts = [
        f"Procedure: {_PROCEDURE_NAME.get(family, family)}"
        + (f" at {levels}" if levels else "")
        + (f", {laterality}" if laterality else "")
        + ".",
        rng.choice(_INDICATION).format(
            pain=_PAIN_SITE.get(region, "regional"),
            weeks=pain_weeks or "several",
            cons=conservative or "4",
        ),
        rng.choice(_CONSENT),
        rng.choice(_PREP).format(position=rng.choice(_POSITION)),
        rng.choice(_TECH).format(modality=mod, gauge=rng.choice((18, 20, 22, 25, 27)), where=where),
        rng.choice(_INJECT).format(
            med=rng.choice(_MEDS), vol=rng.choice(("1.5", "2", "2.5", "3", "4", "5"))
        ),
    ]
    if modality in ("fluoroscopy", "ct"):
        parts.append(rng.choice(_IMAGE).format(fluoro=rng.randint(6, 95)))
    elif modality == "ultrasound":
        parts.append(rng.choice(_IMAGE_US))
    parts.append(
        rng.choice(_TOLERANCE).format(
            bp=f"{rng.randint(108, 148)}/{rng.randint(62, 92)}",
            hr=rng.randint(56, 98),
            spo2=rng.randint(94, 100),
            obs=rng.choice((15, 20, 30)),
        )
    )
    parts.append(rng.choice(_PAIN).format(pre=pre, post=max(0, pre - rng.randint(1, 5))))
    parts.append(rng.choice(_PLAN).format(fu=rng.choice((2, 3, 4, 6))))
    return " ".join(parts)
