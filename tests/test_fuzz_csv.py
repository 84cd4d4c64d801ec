"""Hypothesis fuzzing of CSV deliveries through the whole run (issue #16): a randomly
corrupted copy of a generated extract, delivered as the newest file of its kind, never fails
`painrcm run`, never changes the raw rows of the files it did not touch, and when every row
that survived the corruption is a row the practice had already sent, the marts do not move.

Three examples on the small test practice (two pinned, one drawn): each is a full ingest +
dbt build (~1 min)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, note
from hypothesis import strategies as st

from ingest.schemas import EXTRACTS
from painrcm.runner import scheduled_run

from .conftest import AS_OF
from .dbt_warehouse import query
from .fuzz_delivery import ONE_DRAWN_EXAMPLE, corrupted_copy, mutation
from .test_run import _snapshot

pytestmark = pytest.mark.slow


def _csv_files(inbox: Path) -> list[str]:
    return sorted(
        p.relative_to(inbox).as_posix()
        for kind in EXTRACTS
        for p in (inbox / kind).glob("*.csv")
        if (inbox / kind).is_dir()
    )


def _raw_rows(path: Path, skip_file: str) -> dict[str, list]:
    """Every raw extract row not from `skip_file`, without load timestamps."""
    out = {}
    for kind in EXTRACTS:
        cols = [c for c in EXTRACTS[kind].column_names] + ["_file_name", "_row_number"]
        select = ", ".join(f'"{c}"' for c in dict.fromkeys(cols))
        out[kind] = sorted(
            query(path, f"select {select} from raw.{kind} where _file_name <> ?", [skip_file]),
            key=repr,
        )
    return out


def _new_rows(path: Path, kind: str, new_file: str, original: str) -> int:
    """Rows of the corrupted delivery whose values the original file did not have."""
    cols = ", ".join(f'"{c}"' for c in dict.fromkeys(EXTRACTS[kind].column_names))
    ((count,),) = query(
        path,
        f"select count(*) from (select {cols} from raw.{kind} where _file_name = ? "
        f"except select {cols} from raw.{kind} where _file_name = ?)",
        [new_file, original],
    )
    return count


@pytest.fixture(scope="module")
def baseline(built_warehouse, practice_inbox):
    return _snapshot(built_warehouse, "marts"), _csv_files(practice_inbox)


@ONE_DRAWN_EXAMPLE
@given(pick=st.integers(0, 10**6), mutations=st.lists(mutation, min_size=1, max_size=4))
# a byte that is not UTF-8: the whole delivery is rejected and the marts must not move
@example(pick=0, mutations=[(0.5, "insert", b"\xff")])
# a row made negative or ragged: quarantined, the rest of the file loads, the run succeeds
@example(pick=3, mutations=[(0.5, "replace", b"-"), (0.7, "insert", b",")])
def test_a_corrupted_delivery_never_fails_the_run(
    pick, mutations, built_warehouse, practice_inbox, baseline, tmp_path_factory
):
    marts_before, files = baseline
    original = files[pick % len(files)]
    kind, name = original.split("/")
    new_name = f"zz_fuzz_{name}"

    inbox, warehouse = corrupted_copy(
        practice_inbox,
        built_warehouse,
        tmp_path_factory.mktemp("fuzz"),
        original,
        new_name,
        mutations,
    )
    raw_before = _raw_rows(warehouse, new_name)

    outcome = scheduled_run(inbox, warehouse, AS_OF)  # must not raise

    (result,) = [f for f in outcome.report.files if f.file_name == new_name]
    assert result.status in ("loaded", "loaded_with_quarantine", "rejected")
    assert _raw_rows(warehouse, new_name) == raw_before
    changed = _new_rows(warehouse, kind, new_name, name)
    note(f"{original} {mutations}: {result.status}, {changed} changed row(s)")
    if changed == 0:
        assert _snapshot(warehouse, "marts") == marts_before
