"""The generator follows the rule seeds: a practice that edits a seed (the documented way to
change its policy) gets a demo background that is clean by the edited rule, not by a copy
the generator kept of the old one."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from painrcm.paths import project_root

# Run in a fresh interpreter: the generator reads the seeds once, at import.
PROBE = """
import json, pathlib, sys
from datetime import date
import painrcm.paths
painrcm.paths.project_root = lambda: pathlib.Path(sys.argv[1])
from painrcm.generate import billing, reference as r
print(json.dumps({
    "tx_esi_office": r.auth_program("medicare_ffs", "64483", "11", date(2026, 3, 2), "TX"),
    "ok_esi_office": r.auth_program("medicare_ffs", "64483", "11", date(2026, 3, 2), "OK"),
    "commercial_joint": r.auth_program("commercial", "20610", "11", date(2026, 3, 2), "TX"),
    "office_setting": r.setting_of("11"),
    "asc_setting": r.setting_of("24"),
    "g3002_minutes": billing.G3002_MINUTES,
}))
"""


def probe(tmp_path: Path, edit=None) -> dict:
    root = tmp_path / "project"
    shutil.copytree(project_root() / "seeds", root / "seeds")
    if edit:
        edit(root / "seeds")
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(root)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def replace_line(path: Path, old: str, new: str | None) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    hits = [i for i, line in enumerate(lines) if line.startswith(old)]
    assert len(hits) == 1, (path.name, old)
    if new is None:
        del lines[hits[0]]
    else:
        lines[hits[0]] = new + lines[hits[0]][len(old) :]
    path.write_text("".join(lines), encoding="utf-8")


def test_generator_rules_follow_edited_seeds(tmp_path):
    assert probe(tmp_path / "as_shipped") == {
        "tx_esi_office": "wiser",
        "ok_esi_office": "wiser",
        "commercial_joint": None,
        "office_setting": "non_facility",
        "asc_setting": "facility",
        "g3002_minutes": 30,
    }

    def edit(seeds: Path) -> None:
        replace_line(seeds / "wiser_states.csv", "TX,", None)  # Texas leaves WISeR
        replace_line(
            seeds / "place_of_service_settings.csv", "11,Office,non_facility", "11,Office,facility"
        )
        replace_line(
            seeds / "chronic_pain_rules.csv",
            "threshold,g3002_min_minutes,30,",
            "threshold,g3002_min_minutes,40,",
        )
        with open(seeds / "pa_requirements.csv", "a", encoding="utf-8") as fh:
            fh.write("pa999,commercial,,joint_injection,,,true,payer_pa,,,test: a payer rule\n")

    assert probe(tmp_path / "edited", edit) == {
        "tx_esi_office": None,
        "ok_esi_office": "wiser",
        "commercial_joint": "payer_pa",
        "office_setting": "facility",
        "asc_setting": "facility",
        "g3002_minutes": 40,
    }


GENERATE = """
import pathlib, sys
from datetime import date
import painrcm.paths
painrcm.paths.project_root = lambda: pathlib.Path(sys.argv[1])
from painrcm.generate import generate_practice
generate_practice(pathlib.Path(sys.argv[2]), seed=5, months=6, providers=3, claims_per_month=80,
                  as_of=date(2026, 11, 30))
"""


def test_background_is_billed_by_the_edited_chronic_pain_threshold(tmp_path):
    """With G3002 at 40 minutes a month, every background G3002 month holds 40 minutes of
    care time and its G3003 units count the 15 minutes beyond 40 (rules.md §14)."""
    import csv
    from collections import Counter

    root = tmp_path / "project"
    shutil.copytree(project_root() / "seeds", root / "seeds")
    replace_line(
        root / "seeds" / "chronic_pain_rules.csv",
        "threshold,g3002_min_minutes,30,",
        "threshold,g3002_min_minutes,40,",
    )
    inbox = tmp_path / "inbox"
    subprocess.run([sys.executable, "-c", GENERATE, str(root), str(inbox)], check=True)

    def rows(kind: str):
        for f in sorted((inbox / kind).glob("*.csv")):
            with open(f, newline="", encoding="utf-8") as fh:
                yield from (r for r in csv.DictReader(fh) if not r["patient_id"].startswith("P9"))

    minutes = Counter()
    for r in rows("care_time"):
        minutes[(r["patient_id"], r["activity_date"][:7])] += int(r["minutes"])
    units: dict[tuple[str, str], dict[str, int]] = {}
    for r in rows("claims"):
        if r["procedure_code"] in ("G3002", "G3003"):
            month = units.setdefault((r["patient_id"], r["service_date"][:7]), {})
            month[r["procedure_code"]] = int(r["units"])
    assert len(units) >= 5
    for key, billed in units.items():
        assert minutes[key] >= 40, (key, minutes[key])
        assert billed == {"G3002": 1, **({"G3003": u} if (u := (minutes[key] - 40) // 15) else {})}
