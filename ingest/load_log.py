"""raw.load_log read once per ingest: which content is already processed, which file is known.

An ingest used to ask raw.load_log two or three questions per file (a millisecond each, a
thousand files a night); the log is small (a row per file ever processed), so it is read
once into this ledger, and the files of this ingest are added to it as they are planned,
so a second copy of a file in the same inbox is a duplicate just as it was when each file
was committed before the next one was looked at. The rules are those of
ingest.inbox (`processed`) and ingest.known_files (`known_sha256`), answered in memory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from ingest.known_files import SETTLED_NS

_EPOCH = datetime(1970, 1, 1)


@dataclass
class _Entry:
    file_name: str
    status: str  # may be filled in later for a file planned in a worker
    map_sha256: str | None
    loaded_at: datetime
    file_path: str | None = None
    file_bytes: int | None = None
    file_mtime_ns: int | None = None


class LoadLedger:
    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._by_sha: dict[str, list[_Entry]] = {}
        self._by_path: dict[str, list[tuple[str, _Entry]]] = {}
        rows = con.execute(
            "select file_sha256, file_name, status, map_sha256, loaded_at, file_path,"
            " file_bytes, file_mtime_ns from raw.load_log order by loaded_at"
        ).fetchall()
        for sha, name, status, map_sha, loaded_at, path, size, mtime in rows:
            self.add(sha, _Entry(name, status, map_sha, loaded_at, path, size, mtime))

    def add(self, sha256: str, entry: _Entry) -> _Entry:
        self._by_sha.setdefault(sha256, []).append(entry)
        if entry.file_path is not None:
            self._by_path.setdefault(entry.file_path, []).append((sha256, entry))
        return entry

    def record(
        self,
        sha256: str,
        path: Path,
        status: str,
        map_sha256: str | None,
        loaded_at: datetime,
    ) -> _Entry:
        """A file of this ingest, processed (or about to be: its status may come later)."""
        return self.add(sha256, _Entry(path.name, status, map_sha256, loaded_at))

    def processed(self, sha256: str, map_sha256: str | None) -> _Entry | None:
        """The earlier load that makes this content a duplicate, or None to (re)process it.

        Content already processed through the same map (or without one, as before) is
        skipped. Content whose every earlier try was rejected, or quarantined rows under
        another map, is read again under the current map: fixing the map is how a practice
        fixes those."""
        for entry in self._by_sha.get(sha256, ()):
            if (
                entry.map_sha256 == map_sha256
                or entry.status not in ("rejected", "loaded_with_quarantine")
                or (entry.status == "loaded_with_quarantine" and entry.map_sha256 is None)
            ):
                return entry
        return None

    def known_sha256(self, path: Path, stat: os.stat_result) -> str | None:
        """ingest.known_files.known_sha256, from the ledger: the content hash of the logged
        load of this very file (same path, size and settled mtime), or None to read it."""
        found = None
        for sha, entry in self._by_path.get(str(path), ()):
            if (
                entry.file_bytes == stat.st_size
                and entry.file_mtime_ns == stat.st_mtime_ns
                and entry.file_mtime_ns < _epoch_ns(entry.loaded_at) - SETTLED_NS
                and (found is None or entry.loaded_at >= found[1].loaded_at)
            ):
                found = (sha, entry)
        return found[0] if found else None


def _epoch_ns(moment: datetime) -> int:
    # loaded_at is a naive UTC TIMESTAMP, as DuckDB's epoch_ns reads it.
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1000
