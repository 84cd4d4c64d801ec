"""Hypothesis fuzzing of CSV deliveries through the whole run (issue #16): a randomly
corrupted copy of a generated extract, delivered as the newest file of its kind, never fails
`painrcm run`, never changes the raw rows of the files it did not touch, and when every row
that survived the corruption is a row the practice had already sent, the marts do not move.

Three examples on the small test practice (two pinned, one drawn): each is a full ingest +
dbt build (~1 min)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, example, given, note, settings
from hypothesis import strategies as st

from ingest.schemas import EXTRACTS
from painrcm.runner import scheduled_run

from .conftest import AS_OF
from .test_run import _snapshot

pytestmark = pytest.mark.slow

NOISE = [b",", b'"', b"\n", b"\r", b"x", b"-", b"9", b"\xff", b"=", b" ", b"\x00"]
mutation = st.tuples(
    st.floats(0, 1, allow_nan=False), st.sampled_from(["delete", "insert", "replace"]),
    st.sampled_from(NOISE),
)  # fmt: skip


def _corrupt(data: bytes, mutations: list[tuple[float, str, bytes]]) -> bytes:
    out = bytearray(data)
    for where, op, byte in mutations:
        i = min(int(where * len(out)), max(len(out) - 1, 0))
        if op == "delete" and out:
            del out[i]
        elif op == "insert":
            out[i:i] = byte
        elif out:
            out[i : i + 1] = byte
    return bytes(out)


def _csv_files(inbox: Path) -> list[str]:
    return sorted(
        p.relative_to(inbox).as_posix()
        for kind in EXTRACTS
        for p in (inbox / kind).glob("*.csv")
        if (inbox / kind).is_dir()
    )


def _raw_rows(path: Path, skip_file: str) -> dict[str, list]:
    """Every raw extract row not from `skip_file`, without load timestamps."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {}
        for kind in EXTRACTS:
            cols = [c for c in EXTRACTS[kind].column_names] + ["_file_name", "_row_number"]
            select = ", ".join(f'"{c}"' for c in dict.fromkeys(cols))
            out[kind] = sorted(
                con.execute(
                    f"select {select} from raw.{kind} where _file_name <> ?", [skip_file]
                ).fetchall(),
                key=repr,
            )
        return out
    finally:
        con.close()


def _new_rows(path: Path, kind: str, new_file: str, original: str) -> int:
    """Rows of the corrupted delivery whose values the original file did not have."""
    cols = ", ".join(f'"{c}"' for c in dict.fromkeys(EXTRACTS[kind].column_names))
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(
            f"select count(*) from (select {cols} from raw.{kind} where _file_name = ? "
            f"except select {cols} from raw.{kind} where _file_name = ?)",
            [new_file, original],
        ).fetchone()[0]
    finally:
        con.close()


@pytest.fixture(scope="module")
def baseline(built_warehouse, practice_inbox):
    return _snapshot(built_warehouse, "marts"), _csv_files(practice_inbox)


@settings(
    max_examples=1,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
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

    work = tmp_path_factory.mktemp("fuzz")
    inbox = work / "inbox"
    shutil.copytree(practice_inbox, inbox)
    (inbox / kind / new_name).write_bytes(_corrupt((inbox / original).read_bytes(), mutations))
    warehouse = work / "warehouse.duckdb"
    shutil.copyfile(built_warehouse, warehouse)
    raw_before = _raw_rows(warehouse, new_name)

    outcome = scheduled_run(inbox, warehouse, AS_OF)  # must not raise

    (result,) = [f for f in outcome.report.files if f.file_name == new_name]
    assert result.status in ("loaded", "loaded_with_quarantine", "rejected")
    assert _raw_rows(warehouse, new_name) == raw_before
    changed = _new_rows(warehouse, kind, new_name, name)
    note(f"{original} {mutations}: {result.status}, {changed} changed row(s)")
    if changed == 0:
        assert _snapshot(warehouse, "marts") == marts_before
