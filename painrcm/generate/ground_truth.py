"""Step 7: ground_truth/ beside the inbox: the rows ingest must quarantine
(quarantine_expected.csv) and manifest.json (the run's arguments, counts of what was written
and of the rows ingest must keep, and each plant section's expected findings)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from ingest.schemas import EXTRACTS, REMITS_FOLDER
from painrcm.generate.planting import Planted
from painrcm.generate.writers import CsvSink

QUARANTINE_COLUMNS = ["kind", "file_name", "row_number", "reason_contains"]


def expected_good_rows(sink: CsvSink, planted: Planted) -> dict[str, int]:
    """Rows written per kind less the planted bad rows and the rows of rejected files."""
    good = dict(sink.rows_by_kind)
    for q_row in planted.quarantine_expected:
        if q_row["row_number"] and q_row["kind"] in good:
            good[q_row["kind"]] -= 1
    for kind, name in planted.rejected:
        if kind in good:
            good[kind] -= sink.rows_by_file.get(f"{kind}/{name}", 0)
    return good


def write_ground_truth(
    out: Path,
    run: dict,
    counts: dict,
    sink: CsvSink,
    planted: Planted,
    remit_stats: dict,
) -> dict:
    """Write ground_truth/ and return the manifest. `run`: the generator's arguments (and
    the window's start); `counts`: patients, claims and claim lines."""
    gt = out / "ground_truth"
    gt.mkdir(parents=True, exist_ok=True)
    with open(gt / "quarantine_expected.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, QUARANTINE_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(planted.quarantine_expected)

    files_by_kind = {k: len(list((out / k).glob("*.csv"))) for k in EXTRACTS}
    manifest = {
        "generator": "painrcm.generate",
        **run,
        "counts": {
            **counts,
            "rows_written": dict(sorted(sink.rows_by_kind.items())),
            "expected_good_rows": dict(sorted(expected_good_rows(sink, planted).items())),
            "files": files_by_kind,
            "remits": {
                **{k: v for k, v in remit_stats.items() if k != "payments_total"},
                "payments_total": str(remit_stats["payments_total"]),
                "files_rejected": sum(1 for k, _n in planted.rejected if k == REMITS_FOLDER),
            },
        },
        "plants": planted.findings,
    }
    (gt / "manifest.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return manifest
