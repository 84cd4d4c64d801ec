"""Planted findings: a registry of modules, each writing its own deliberate problems.

Every plant gets a fresh patient-id namespace (`P9<nn><nnn>`: plant n of the registry) and a
random stream of its own, so its rows never touch the clean background, and returns the
files or rows it adds plus the ground truth a test compares the warehouse with
(generate/planting.py runs them). A new plant is a module here with a `plant(ctx)` function,
listed in `registry()`; the manifest's `plants` section keeps one list per section of
PLANT_SECTIONS, so a section no plant fills is an empty list, not a missing key. Plants
that build whole visits share plants/visits.py (VisitBuilder), the payment plants
plants/encounters.py (Builder).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from painrcm.generate.adjudicate import FeeBook
from painrcm.generate.reference import Payer, Provider

# One list per ground-truth section: ingest-level and one per mart of OUTPUTS.md.
PLANT_SECTIONS = (
    "ingest",
    "pa_coverage_gaps",
    "guidance_recapture",
    "mppr_underpayments",
    "denials",
    "ar_worklist",
    "payer_pa_benchmark",
    "practice_kpis",
    "procedure_readiness",
    "chronic_pain_capture",
    "documentation_risk",
)


@dataclass
class PlantContext:
    rng: random.Random
    as_of: date
    start: date
    payers: tuple[Payer, ...]
    providers: list[Provider]
    book: FeeBook
    namespace: int  # the plant's index: patients P9<namespace:02d><nnn>

    def patient_id(self, n: int) -> str:
        return f"P9{self.namespace:02d}{n:03d}"


@dataclass
class PlantFile:
    """A whole CSV delivery of its own (header may differ from the contract on purpose)."""

    kind: str
    file_name: str
    columns: list[str]
    rows: list[list[str]]


@dataclass
class PlantOutput:
    csv_files: list[PlantFile] = field(default_factory=list)
    raw_files: list[tuple[str, str, bytes]] = field(default_factory=list)  # folder, name, data
    # Rows merged into the regular deliveries: kind -> rows in contract column order
    extra_rows: dict[str, list[list[str]]] = field(default_factory=dict)
    # kind, file_name, row_number ("" for a rejected file), reason_contains
    quarantine_expected: list[dict[str, str]] = field(default_factory=list)
    rejected_files: list[tuple[str, str]] = field(default_factory=list)  # (kind, file_name)
    findings: dict[str, list[dict]] = field(default_factory=dict)  # section -> rows


Plant = Callable[[PlantContext], PlantOutput]


def registry() -> list[tuple[str, Plant]]:
    from painrcm.generate.plants import (
        benchmark,
        chronic_pain,
        denials,
        documentation,
        guidance,
        ingest_errors,
        mppr,
        pa_gaps,
        readiness,
        rejections,
    )

    return [
        ("ingest_errors", ingest_errors.plant),
        ("guidance", guidance.plant),
        ("mppr", mppr.plant),
        ("pa_gaps", pa_gaps.plant),
        ("benchmark", benchmark.plant),
        ("denials", denials.plant),
        ("readiness", readiness.plant),
        ("chronic_pain", chronic_pain.plant),
        ("documentation", documentation.plant),
        ("rejections", rejections.plant),
    ]
