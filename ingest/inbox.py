"""Walk an inbox (shared/contract/INPUTS.md), load every new file, report what happened.

A file is known by its content hash: one already in raw.load_log (whatever its status) is
skipped as a duplicate, so ingesting the same inbox twice leaves the tables unchanged and a
re-sent copy of an old extract is not a new version of its rows. A file whose path, size
and mtime match its logged load is not even read: its hash comes from the log
(ingest/known_files.py has the rule and its limits).

Symbolic links are followed only while they stay inside the inbox: a kind folder or a file
linked elsewhere (`ledger/` -> another practice's exports, a file -> /etc/passwd) is not
read, and the load report says so.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable, Collection
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ingest.column_maps import MAPS_FOLDER, ColumnMap, load_maps
from ingest.csv_extracts import load_csv_file
from ingest.known_files import known_sha256, remember
from ingest.raw_tables import ensure_raw_tables
from ingest.report import FileResult, LoadReport
from ingest.schemas import ACKNOWLEDGMENTS_FOLDER, INBOX_FOLDERS, X12_FOLDERS

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


def _earlier_load(con: duckdb.DuckDBPyConnection, sha256: str) -> tuple[str, str] | None:
    return con.execute(
        "select file_name, status from raw.load_log where file_sha256 = ? "
        "order by loaded_at limit 1",
        [sha256],
    ).fetchone()


def _ensure_load_log(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    data: bytes,
    result: FileResult,
    loaded_at: datetime,
) -> None:
    """Write the load_log row of a remit unless ingest.remits already did.

    Deduplication reads raw.load_log, so every loaded file must leave a row there.
    """
    if _earlier_load(con, result.file_sha256) is not None:
        return
    con.execute(
        "insert into raw.load_log (load_id, kind, file_name, file_path, file_sha256, file_bytes,"
        " rows_loaded, rows_quarantined, status, message, extra_columns, loaded_at)"
        " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            str(uuid.uuid4()),
            result.kind,
            path.name,
            str(path),
            result.file_sha256,
            len(data),
            result.rows_loaded,
            result.rows_quarantined,
            result.status,
            result.message,
            " ".join(result.extra_columns) or None,
            loaded_at,
        ],
    )


def _processed(
    con: duckdb.DuckDBPyConnection, sha256: str, cmap: ColumnMap | None
) -> tuple[str, str] | None:
    """The earlier load that makes this content a duplicate, or None to (re)process it.

    Content already processed through the same map (or without one, as before) is skipped.
    Content whose every earlier try was rejected, or quarantined rows under another map,
    is read again under the current map: fixing the map is how a practice fixes those.
    """
    return con.execute(
        "select file_name, status from raw.load_log where file_sha256 = ? and ("
        " map_sha256 is not distinct from ?"
        " or status not in ('rejected', 'loaded_with_quarantine')"
        " or (status = 'loaded_with_quarantine' and map_sha256 is null)"
        ") order by loaded_at limit 1",
        [sha256, cmap.sha256 if cmap else None],
    ).fetchone()


def _read(path: Path) -> bytes:
    return path.read_bytes()


def _duplicate(kind: str, path: Path, sha256: str, earlier: tuple[str, str]) -> FileResult:
    name, status = earlier
    return FileResult(
        kind=kind,
        file_name=path.name,
        file_sha256=sha256,
        status="duplicate",
        message=f"same content as {name} (already processed: {status})",
    )


def _load_one(
    con: duckdb.DuckDBPyConnection, kind: str, path: Path, cmap: ColumnMap | None = None
) -> FileResult:
    # One timestamp per file: the tie-breaker between versions of a key is file name, then
    # load time, so each file must carry its own. Taken before the file is looked at, so a
    # logged mtime well before it is one the file had before it was read (known_files).
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    stat = path.stat()
    # Unchanged since a logged load (same path, size, mtime): its hash without reading it.
    known = known_sha256(con, path, stat)
    if known is not None:
        earlier = _processed(con, known, cmap)
        if earlier is not None:
            return _duplicate(kind, path, known, earlier)
    data = _read(path)
    sha256 = hashlib.sha256(data).hexdigest()
    earlier = _processed(con, sha256, cmap)
    if earlier is not None:
        return _duplicate(kind, path, sha256, earlier)
    # One transaction per file: a crash part-way leaves none of the file's rows behind.
    con.begin()
    try:
        if kind in X12_FOLDERS:
            # Imported here so the CSV path works while the X12 loaders are absent or broken.
            # An X12 file is read for what it is (INPUTS.md), whichever folder it is in.
            from ingest.acknowledgments import (
                holds_835,
                holds_acknowledgment,
                load_acknowledgment_file,
            )
            from ingest.claims_837 import holds_837, load_claims_837_file
            from ingest.remits import load_remit_file

            if holds_837(data):
                result = load_claims_837_file(con, path, data, sha256, loaded_at)
            elif holds_acknowledgment(data) or (
                kind == ACKNOWLEDGMENTS_FOLDER and not holds_835(data)
            ):
                result = load_acknowledgment_file(con, path, data, sha256, loaded_at)
            else:
                result = load_remit_file(con, path, data, sha256, loaded_at)
            if result.kind != kind:
                where = f"read as {result.kind}, found in {kind}/"
                result.message = "; ".join(m for m in (where, result.message) if m)
            _ensure_load_log(con, path, data, result, loaded_at)
        else:
            result = load_csv_file(con, kind, path, data, sha256, loaded_at, cmap)
        remember(con, path, stat, len(data), sha256, loaded_at)
        con.commit()
    except BaseException as exc:
        con.rollback()
        exc.add_note(f"while loading {path}; none of its rows were kept")
        raise
    return result


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

    for kind in INBOX_FOLDERS:
        folder = inbox / kind
        if not folder.is_dir() or (kinds is not None and kind not in kinds):
            continue
        if _leaves(folder, root):
            report.files.append(_ignored(kind, f"{kind}/", LEAVES_INBOX))
            log.warning("%s/ leads outside the inbox: not followed", kind)
            continue
        # File-name order: extracts are named by export date, so newer files load later.
        for path in sorted(folder.iterdir(), key=lambda p: p.name):
            if _hidden(path):
                continue
            skipped = _why_skipped(path, kind, root)
            if skipped is not None:
                report.files.append(_ignored(kind, path.name, skipped))
                continue
            result = _load_one(con, kind, path, maps.get(kind))
            log.info("%s %s/%s", result.status, kind, path.name)
            report.files.append(result)
            if progress is not None:
                progress(path)
    return report
