"""What the two fuzz tests share (test_fuzz_csv, test_fuzz_835): the byte mutations
Hypothesis draws, the settings of their runs, and a corrupted copy of one delivery placed
beside the original in a copy of the built test practice."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

NOISE = [b",", b'"', b"\n", b"\r", b"x", b"-", b"9", b"\xff", b"=", b" ", b"\x00"]
mutation = st.tuples(
    st.floats(0, 1, allow_nan=False), st.sampled_from(["delete", "insert", "replace"]),
    st.sampled_from(NOISE),
)  # fmt: skip

# Each example is a full ingest + dbt build (~1 min): one drawn example beside the pinned ones.
ONE_DRAWN_EXAMPLE = settings(
    max_examples=1,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def corrupt(data: bytes, mutations: list[tuple[float, str, bytes]]) -> bytes:
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


def corrupted_copy(
    practice_inbox: Path,
    built_warehouse: Path,
    work: Path,
    original: str,
    new_name: str,
    mutations: list[tuple[float, str, bytes]],
) -> tuple[Path, Path]:
    """(inbox, warehouse) under `work`: a copy of the practice's inbox holding `original`
    (inbox-relative) again, corrupted by `mutations`, as `new_name` in the same folder, and
    a copy of the warehouse built from the practice."""
    inbox = work / "inbox"
    shutil.copytree(practice_inbox, inbox)
    delivered = inbox / original
    delivered.with_name(new_name).write_bytes(corrupt(delivered.read_bytes(), mutations))
    warehouse = work / "warehouse.duckdb"
    shutil.copyfile(built_warehouse, warehouse)
    return inbox, warehouse
