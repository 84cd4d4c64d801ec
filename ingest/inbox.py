"""Walk an inbox (shared/contract/INPUTS.md), load every new file, report what happened.

A file is known by its content hash: content already processed (raw.load_log) is skipped as
a duplicate, so ingesting the same inbox twice leaves the tables unchanged and a re-sent
copy of an old extract is not a new version of its rows; only content that was rejected, or
quarantined under another column map, is read again (`LoadLedger.processed`). A file whose
path, size and mtime match its logged load is not even read: its hash comes from the log
(ingest/known_files.py has the rule and its limits).

Symbolic links are followed only while they stay inside the inbox: a kind folder or a file
linked elsewhere (`ledger/` -> another practice's exports, a file -> /etc/passwd) is not
read, and the load report says so.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections import deque
from collections.abc import Callable, Collection
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ingest.column_maps import MAPS_FOLDER, ColumnMap, load_maps
from ingest.csv_extracts import CsvPlan, plan_csv_file, write_csv_plans
from ingest.load_log import LoadLedger
from ingest.raw_tables import ensure_raw_tables
from ingest.report import FileResult, LoadReport
from ingest.schemas import INBOX_FOLDERS, X12_FOLDERS

log = logging.getLogger(__name__)


def _hidden(path: Path) -> bool:
    # Finder, Explorer and editors leave files like .DS_Store and ._x.csv next to extracts.
    return path.name.startswith(".")


def _ignored(kind: str, name: str, message: str) -> FileResult:
    return FileResult(kind=kind, file_name=name, file_sha256="", status="ignored", message=message)


def _leaves(path: Path, root: Path) -> bool:
    """True when `path` is (or passes through) a link whose target is outside `root`."""
    return not path.resolve().is_relative_to(root)


LEAVES_INBOX = "a symbolic link leading outside the inbox: not followed"


def _why_skipped(path: Path, kind: str, root: Path) -> str | None:
    """Why an entry of a kind's folder is not loaded, or None to load it."""
    if _leaves(path, root):
        return LEAVES_INBOX
    if not path.is_file():
        return "a folder inside an inbox folder"
    if kind not in X12_FOLDERS and path.suffix.lower() != ".csv":
        return f"not a .csv file; {kind}/ takes CSV"
    return None


def _read(path: Path) -> bytes:
    return path.read_bytes()


def _duplicate(kind: str, path: Path, sha256: str, earlier) -> FileResult:
    return FileResult(
        kind=kind,
        file_name=path.name,
        file_sha256=sha256,
        status="duplicate",
        message=f"same content as {earlier.file_name} (already processed: {earlier.status})",
    )


@dataclass
class _Seen:
    """A file looked at: its hash (read, or known from the log) and what it duplicates."""

    path: Path
    loaded_at: datetime
    stat: os.stat_result
    sha256: str
    data: bytes | None = None  # None: not read (known unchanged, or a duplicate)
    earlier: object | None = None  # the load_log entry it duplicates

    @property
    def mtime_ns(self) -> int | None:
        # Not when the bytes read differ in number from the size seen (the file changed
        # while it was read): then the next run reads it again (ingest/known_files.py).
        return self.stat.st_mtime_ns if len(self.data) == self.stat.st_size else None


def _look(ledger: LoadLedger, path: Path, map_sha256: str | None) -> _Seen:
    """Read and hash one file unless the ledger says it is known; find what it duplicates."""
    # One timestamp per file: the tie-breaker between versions of a key is file name, then
    # load time, so each file must carry its own. Taken before the file is looked at, so a
    # logged mtime well before it is one the file had before it was read (known_files).
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    stat = path.stat()
    # Unchanged since a logged load (same path, size, mtime): its hash without reading it.
    known = ledger.known_sha256(path, stat)
    if known is not None:
        earlier = ledger.processed(known, map_sha256)
        if earlier is not None:
            return _Seen(path, loaded_at, stat, known, earlier=earlier)
    data = _read(path)
    sha256 = hashlib.sha256(data).hexdigest()
    return _Seen(path, loaded_at, stat, sha256, data, ledger.processed(sha256, map_sha256))


@contextmanager
def _batch(con: duckdb.DuckDBPyConnection, kind: str, paths: list[Path]):
    """One transaction for a kind's files: a crash part-way leaves none of their rows."""
    con.begin()
    try:
        yield
        con.commit()
    except BaseException as exc:
        con.rollback()
        names = ", ".join(p.name for p in paths[:20]) + (" ..." if len(paths) > 20 else "")
        exc.add_note(f"while loading {kind}/ ({names}); none of their rows were kept")
        raise


def _load_csv_kind(
    con: duckdb.DuckDBPyConnection,
    ledger: LoadLedger,
    kind: str,
    paths: list[Path],
    cmap: ColumnMap | None,
) -> list[FileResult]:
    results: list[FileResult] = []
    plans: list[CsvPlan] = []
    map_sha = cmap.sha256 if cmap else None
    with _batch(con, kind, paths):
        for path in paths:
            seen = _look(ledger, path, map_sha)
            if seen.earlier is not None:
                results.append(_duplicate(kind, path, seen.sha256, seen.earlier))
                continue
            plan = plan_csv_file(con, kind, path, seen.data, seen.sha256, seen.loaded_at, cmap)
            plan.log_row["file_mtime_ns"] = seen.mtime_ns
            ledger.record(seen.sha256, path, plan.result.status, map_sha, seen.loaded_at)
            plans.append(plan)
            results.append(plan.result)
        write_csv_plans(con, plans)
    return results


def _load_x12_kind(
    con: duckdb.DuckDBPyConnection, ledger: LoadLedger, kind: str, paths: list[Path]
) -> list[FileResult]:
    # Imported here so the CSV path works while the X12 loaders are absent or broken.
    from ingest.remits import KIND as REMITS
    from ingest.remits import X12Load, mark_redeliveries, write_x12_loads
    from ingest.x12_route import plan_all, workers_for

    # In file order: an X12Load once planned, or (path, hash, earlier load) for a duplicate.
    slots: list[X12Load | tuple[Path, str, object] | None] = []
    waiting: deque[tuple[int, _Seen, object]] = deque()

    def jobs():
        for path in paths:
            seen = _look(ledger, path, None)
            if seen.earlier is not None:
                # status of an earlier file of this batch is known once it is planned
                slots.append((path, seen.sha256, seen.earlier))
                continue
            entry = ledger.record(seen.sha256, path, "", None, seen.loaded_at)
            waiting.append((len(slots), seen, entry))
            slots.append(None)
            yield seen.data, path.name, seen.sha256, kind

    workers = workers_for(len(paths), sum(p.stat().st_size for p in paths))
    with _batch(con, kind, paths):
        for read_as, plan in plan_all(jobs(), workers):
            slot, seen, entry = waiting.popleft()
            entry.status = plan.status
            slots[slot] = X12Load(
                seen.path, seen.sha256, seen.loaded_at, len(seen.data), read_as, plan, seen.mtime_ns
            )
        loads = [s for s in slots if isinstance(s, X12Load)]
        mark_redeliveries(con, [(x.name, x.plan) for x in loads if x.kind == REMITS])
        write_x12_loads(con, loads)
    results = []
    for slot in slots:
        if isinstance(slot, X12Load):
            result = slot.result()
            if result.kind != kind:
                where = f"read as {result.kind}, found in {kind}/"
                result.message = "; ".join(m for m in (where, result.message) if m)
        else:
            path, sha256, earlier = slot
            result = _duplicate(kind, path, sha256, earlier)
        results.append(result)
    return results


def load_inbox(
    inbox: Path,
    con: duckdb.DuckDBPyConnection,
    progress: Callable[[Path], object] | None = None,
    kinds: Collection[str] | None = None,
) -> LoadReport:
    """Load every new file of `inbox` into the raw tables of `con`.

    Sub-folders are taken in the order of schemas.INBOX_FOLDERS and files within one in
    file-name order. Unknown sub-folders, files at the top level and files of the wrong
    type are reported with status `ignored`; `progress(path)` is called after each file.
    The column maps of `inbox/_maps` are read first: a wrong one raises MapError before any
    file is loaded. `kinds` limits the load to those inbox folders (`painrcm map check`).
    """
    inbox = Path(inbox)
    if not inbox.is_dir():
        raise FileNotFoundError(f"inbox folder not found: {inbox}")
    maps = load_maps(inbox)
    root = inbox.resolve()  # the inbox itself may be a link (/srv/pm-exports -> a share)
    ensure_raw_tables(con)
    report = LoadReport()

    for entry in sorted(inbox.iterdir(), key=lambda p: p.name):
        if _hidden(entry) or (entry.is_dir() and entry.name in (*INBOX_FOLDERS, MAPS_FOLDER)):
            continue
        if _leaves(entry, root):
            message = LEAVES_INBOX
        elif entry.is_dir():
            message = f"unknown inbox folder; known: {', '.join(INBOX_FOLDERS)}"
        else:
            message = "a file at the top of the inbox; move it into the folder of its kind"
        report.files.append(_ignored("", entry.name, message))

    ledger = LoadLedger(con)
    with _one_checkpoint(con):
        for kind in INBOX_FOLDERS:
            folder = inbox / kind
            if not folder.is_dir() or (kinds is not None and kind not in kinds):
                continue
            if _leaves(folder, root):
                report.files.append(_ignored(kind, f"{kind}/", LEAVES_INBOX))
                log.warning("%s/ leads outside the inbox: not followed", kind)
                continue
            # File-name order: extracts are named by export date, so newer files load later.
            entries: list[tuple[Path, FileResult | None]] = []
            for path in sorted(folder.iterdir(), key=lambda p: p.name):
                if _hidden(path):
                    continue
                skipped = _why_skipped(path, kind, root)
                entries.append(
                    (path, None if skipped is None else _ignored(kind, path.name, skipped))
                )
            paths = [path for path, ignored in entries if ignored is None]
            if not paths:
                loaded = iter(())
            elif kind in X12_FOLDERS:
                loaded = iter(_load_x12_kind(con, ledger, kind, paths))
            else:
                loaded = iter(_load_csv_kind(con, ledger, kind, paths, maps.get(kind)))
            for path, ignored in entries:
                if ignored is not None:
                    report.files.append(ignored)
                    continue
                result = next(loaded)
                log.info("%s %s/%s", result.status, kind, path.name)
                report.files.append(result)
                if progress is not None:
                    progress(path)
    return report


@contextmanager
def _one_checkpoint(con: duckdb.DuckDBPyConnection):
    """No automatic checkpoint while loading (DuckDB makes one whenever the WAL passes
    checkpoint_threshold, i.e. after nearly every large file); one at the end."""
    ((threshold,),) = con.execute("select current_setting('checkpoint_threshold')").fetchall()
    con.execute("set checkpoint_threshold = '1TB'")
    try:
        yield
    finally:
        con.execute(f"set checkpoint_threshold = '{threshold}'")
    con.execute("checkpoint")
