"""The published warehouse file, its lock, and the copy -> work -> atomic swap cycle.

A DuckDB reader (the dashboards) blocks a writer on the same file, and a writer that fails
half-way must not leave a half-built warehouse behind. So writers never open the published
file for writing: they copy it, work on the copy, checkpoint it and os.replace() it over the
published path. rename(2) is atomic on POSIX: a reader that has the old file open keeps its
inode until it closes; the next connection opens the new file.

The warehouse is PHI: the work copy is created 0600 (and so is the file it becomes) in a
folder created 0700. A writer killed before it could clean up (`kill -9`, power loss) leaves
its `<warehouse>.work-<pid>` copy behind; the next writer removes it, since under the lock
no other writer can be at work.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb

from painrcm.private import FILE_MODE, private_dir


class WarehouseLocked(RuntimeError):
    """Another painrcm process is writing this warehouse."""


def _sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


@contextlib.contextmanager
def locked(path: Path, wait: bool = True) -> Iterator[None]:
    """Exclusive lock on `path` for the whole of a write cycle (or of a scheduled run)."""
    path = Path(path)
    private_dir(path.parent)
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
    """Yield a private working copy of the warehouse; publish it atomically on success.
    lock=False: the caller already holds `locked(path)`."""
    path = Path(path).resolve()
    with locked(path) if lock else contextlib.nullcontext():
        remove_stale_work_files(path)
        work = _sidecar(path, f".work-{os.getpid()}")
        _remove(work)
        if path.exists():
            # Created 0600 before a byte is copied; copyfile keeps the mode of the file
            # it truncates.
            os.close(os.open(work, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE))
            shutil.copyfile(path, work)
        try:
            yield work
            checkpoint(work)
            os.chmod(work, FILE_MODE)  # a new warehouse was created by DuckDB
            os.replace(work, path)
        finally:
            _remove(work)


def work_files(path: Path) -> list[Path]:
    """Every `<warehouse>.work-<pid>` copy (and its .wal, .tmp spill folder) beside path."""
    pattern = re.compile(re.escape(Path(path).name) + r"\.work-[0-9]+(\.wal|\.tmp)?")
    return sorted(p for p in Path(path).parent.iterdir() if pattern.fullmatch(p.name))


def remove_stale_work_files(path: Path) -> list[Path]:
    """Remove the work copies left by writers that died. Call it holding the lock: then no
    other writer is at work, so every work copy but this process's own is stale (even when
    its pid has since been reused by an unrelated process)."""
    prefix = Path(path).name + ".work-"
    stale = [p for p in work_files(path) if p.name[len(prefix) :].split(".")[0] != str(os.getpid())]
    for p in stale:
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                p.unlink()
    return stale


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
    shutil.rmtree(_sidecar(p, ".tmp"), ignore_errors=True)  # DuckDB's spill folder
