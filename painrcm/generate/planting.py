"""Step 6: the plants. Each module of the registry (plants/) runs with a random stream of
its own (seeded by the practice seed and its name, so adding a plant moves no other plant's
data) and a patient-id namespace of its own; its files and rows join the deliveries and its
ground truth the manifest.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from ingest.schemas import REMITS_FOLDER
from painrcm.generate.adjudicate import FeeBook
from painrcm.generate.calendar import Window
from painrcm.generate.plants import PLANT_SECTIONS, PlantContext, registry
from painrcm.generate.reference import PAYERS, Provider
from painrcm.generate.writers import CsvSink


@dataclass
class Planted:
    findings: dict[str, list[dict]] = field(default_factory=lambda: {s: [] for s in PLANT_SECTIONS})
    # kind, file_name, row_number ("" for a rejected file), reason_contains
    quarantine_expected: list[dict[str, str]] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (kind, file_name)


def apply_plants(
    out: Path,
    sink: CsvSink,
    seed: int,
    window: Window,
    providers: list[Provider],
    book: FeeBook,
    remit_stats: dict,
) -> Planted:
    """Run every registered plant into `out`; a planted 835 counts in `remit_stats`."""
    planted = Planted()
    for ns, (plant_name, plant) in enumerate(registry()):
        ctx = PlantContext(
            random.Random(f"{seed}-{plant_name}"),
            window.as_of,
            window.start,
            PAYERS,
            providers,
            book,
            ns,
        )
        po = plant(ctx)
        for f in po.csv_files:
            sink.write_file(f.kind, f.file_name, f.columns, f.rows)
        for folder, name, data in po.raw_files:
            (out / folder).mkdir(parents=True, exist_ok=True)
            (out / folder / name).write_bytes(data)
            if folder == REMITS_FOLDER:
                _count_835(data, remit_stats)
        for kind, rows in po.extra_rows.items():
            for row in rows:
                sink.write(kind, window.as_of, row)
        planted.quarantine_expected += po.quarantine_expected
        planted.rejected += po.rejected_files
        for section, rows in po.findings.items():
            planted.findings.setdefault(section, []).extend(rows)
    return planted


def _count_835(data: bytes, remit_stats: dict) -> None:
    """A planted 835 counts like the background's (a planted 999 does not)."""
    segs = [seg.strip().split("*") for seg in data.decode("ascii").split("~")]
    if ["ST", "835"] not in [s[:2] for s in segs]:
        return
    ids = [s[0] for s in segs]
    remit_stats["files"] += 1
    remit_stats["transactions"] += ids.count("ST")
    remit_stats["claims"] += ids.count("CLP")
    remit_stats["service_lines"] += ids.count("SVC")
