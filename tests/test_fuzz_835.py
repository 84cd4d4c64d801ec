"""Hypothesis fuzzing of 835 deliveries through the whole run (issue #16): a randomly
corrupted copy of a generated remit, delivered beside the original, never fails
`painrcm run`, never changes the raw segments of the files it did not touch, and when no
transaction of the copy is read as a remittance of its own (it is quarantined, or it is a
re-delivery of the original, read once), the marts do not move.

Three examples on the small test practice (two pinned, one drawn): each is a full ingest +
dbt build (~1 min)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, note
from hypothesis import strategies as st

from painrcm.runner import scheduled_run

from .conftest import AS_OF
from .dbt_warehouse import query
from .fuzz_delivery import ONE_DRAWN_EXAMPLE, corrupted_copy, mutation
from .test_run import _runs, _snapshot

pytestmark = pytest.mark.slow


def _remit_files(inbox: Path) -> list[str]:
    return sorted(p.name for p in (inbox / "remits").iterdir() if p.is_file())


def _segments(path: Path, skip_file: str) -> list[tuple]:
    return query(
        path,
        "select file_name, segment_position, segment_text from raw.x12_segments "
        "where file_name <> ? order by all",
        [skip_file],
    )


def _read_as_new(path: Path, file_name: str) -> int:
    """Transactions of `file_name` that staging reads as remittances of their own."""
    ((count,),) = query(
        path,
        "select count(*) from raw.x12_transactions where file_name = ? and redelivery_of is null",
        [file_name],
    )
    return count


@pytest.fixture(scope="module")
def baseline(built_warehouse, practice_inbox):
    return _snapshot(built_warehouse, "marts"), _remit_files(practice_inbox)


@ONE_DRAWN_EXAMPLE
@given(pick=st.integers(0, 10**6), mutations=st.lists(mutation, min_size=1, max_size=4))
# an amount made unreadable in a re-sent copy: the same remittance (payer, trace, BPR amount
# and date, ST02), so it is a re-delivery, kept in raw and read once: the marts must not move
@example(pick=1, mutations=[(0.6, "replace", b"x")])
# the interchange header broken: the copy is set aside whole, the run succeeds
@example(pick=2, mutations=[(0.0, "insert", b"\x00"), (0.01, "delete", b"")])
def test_a_corrupted_remit_never_fails_the_run(
    pick, mutations, built_warehouse, practice_inbox, baseline, tmp_path_factory
):
    marts_before, files = baseline
    original = files[pick % len(files)]
    new_name = f"zz_fuzz_{original}"

    inbox, warehouse = corrupted_copy(
        practice_inbox,
        built_warehouse,
        tmp_path_factory.mktemp("fuzz835"),
        f"remits/{original}",
        new_name,
        mutations,
    )
    before = _segments(warehouse, new_name)

    outcome = scheduled_run(inbox, warehouse, AS_OF)  # must not raise

    assert _runs(warehouse)[-1][0] == "success"
    (result,) = [f for f in outcome.report.files if f.file_name == new_name]
    assert _segments(warehouse, new_name) == before
    read_as_new = _read_as_new(warehouse, new_name)
    note(f"{original} {mutations}: {result.status}, {read_as_new} new remittance(s)")
    if read_as_new == 0:
        assert _snapshot(warehouse, "marts") == marts_before
