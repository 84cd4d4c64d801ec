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
from painrcm.generate import reference as r
print(json.dumps({
    "tx_esi_office": r.auth_program("medicare_ffs", "64483", "11", date(2026, 3, 2), "TX"),
    "ok_esi_office": r.auth_program("medicare_ffs", "64483", "11", date(2026, 3, 2), "OK"),
    "commercial_joint": r.auth_program("commercial", "20610", "11", date(2026, 3, 2), "TX"),
    "office_setting": r.setting_of("11"),
    "asc_setting": r.setting_of("24"),
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
    }

    def edit(seeds: Path) -> None:
        replace_line(seeds / "wiser_states.csv", "TX,", None)  # Texas leaves WISeR
        replace_line(
            seeds / "place_of_service_settings.csv", "11,Office,non_facility", "11,Office,facility"
        )
        with open(seeds / "pa_requirements.csv", "a", encoding="utf-8") as fh:
            fh.write("pa999,commercial,,joint_injection,,,true,payer_pa,,,test: a payer rule\n")

    assert probe(tmp_path / "edited", edit) == {
        "tx_esi_office": None,
        "ok_esi_office": "wiser",
        "commercial_joint": "payer_pa",
        "office_setting": "facility",
        "asc_setting": "facility",
    }
