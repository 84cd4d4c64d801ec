"""Pinned bytes of a small generated practice: a refactor of the generator keeps every file.

tests/fixtures/generator_digest.json holds the sha256 of every file that `painrcm generate`
writes for one small seed: the canonical inbox (`generate_practice`), its 837 claims
(`write_claims_837`) and its PM-style rewrite (`write_pm_style`). A change meant to alter the
output regenerates the pin with `PAINRCM_UPDATE_GENERATOR_DIGEST=1 pytest
tests/test_generate_digest.py`, and the fixture's diff shows which files moved.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from datetime import date
from pathlib import Path

from painrcm.generate import generate_practice
from painrcm.generate.claims_837_writer import write_claims_837
from painrcm.generate.pm_style import write_pm_style

PINNED = Path(__file__).parent / "fixtures" / "generator_digest.json"
# Twelve months at 150 claims a month: reversals, secondary claims, PLBs and split 835s occur.
ARGS = dict(seed=7, months=12, providers=4, claims_per_month=150, as_of=date(2026, 11, 30))


def tree_hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def generated(tmp_path: Path) -> dict[str, dict[str, str]]:
    canonical = tmp_path / "canonical"
    generate_practice(canonical, **ARGS)
    x837, pm = tmp_path / "x837", tmp_path / "pm_style"
    shutil.copytree(canonical, x837)
    shutil.copytree(canonical, pm)
    write_claims_837(x837)
    write_pm_style(pm)
    return {
        name: tree_hashes(root)
        for name, root in (("canonical", canonical), ("claims_837", x837), ("pm_style", pm))
    }


def test_generated_files_match_the_pinned_digest(tmp_path):
    got = generated(tmp_path)
    if os.environ.get("PAINRCM_UPDATE_GENERATOR_DIGEST"):
        PINNED.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    want = json.loads(PINNED.read_text(encoding="utf-8"))
    for name in want:
        changed = sorted(
            f for f in want[name].keys() | got[name].keys() if want[name].get(f) != got[name].get(f)
        )
        assert not changed, f"{name}: files differ from the pinned digest: {changed[:20]}"
    assert len(got["canonical"]) > 30  # every kind of the inbox, ground truth and remits
