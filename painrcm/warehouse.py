"""The published warehouse file, its lock, and the copy -> work -> atomic swap cycle.

A DuckDB reader (the dashboards) blocks a writer on the same file, and a writer that fails
half-way must not leave a half-built warehouse behind. So writers never open the published
file for writing: they copy it, work on the copy, checkpoint it and os.replace() it over the
published path. rename(2) is atomic on POSIX: a reader that has the old file open keeps its
inode until it closes; the next connection opens the new file.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb


class WarehouseLocked(RuntimeError):
    """Another painrcm process is writing this warehouse."""


def _sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


@contextlib.contextmanager
def locked(path: Path, wait: bool = True) -> Iterator[None]:
    """Exclusive lock on `path` for the whole of a write cycle (or of a scheduled run)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = _sidecar(path, ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        flags = fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB
        try:
            fcntl.flock(fd, flags)
        except BlockingIOError as exc:
            raise WarehouseLocked(
                f"{path} is being written by another painrcm process (lock {lock_path}); "
                "try again when it finishes"
            ) from exc
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the flock


@contextlib.contextmanager
def staged(path: Path, lock: bool = True) -> Iterator[Path]:
    """Yield a private working copy of the warehouse; publish it atomically on success."""
    path = Path(path).resolve()
    with locked(path) if lock else contextlib.nullcontext():
        work = _sidecar(path, f".work-{os.getpid()}")
        _remove(work)
        if path.exists():
            shutil.copyfile(path, work)
        try:
            yield work
            checkpoint(work)
            os.replace(work, path)
        finally:
            _remove(work)


def checkpoint(db_path: Path) -> None:
    """Fold the write-ahead log into the file so the copy is complete on its own."""
    con = duckdb.connect(str(db_path))
    try:
        con.execute("checkpoint")
    finally:
        con.close()


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"warehouse {path} does not exist: run `painrcm run` first")
    return duckdb.connect(str(path), read_only=True)


def _remove(p: Path) -> None:
    for candidate in (p, _sidecar(p, ".wal")):
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()
