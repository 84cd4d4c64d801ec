"""Skip reading a file the load log already knows: same path, size and mtime as a logged load.

A nightly run over an inbox where nothing is new should not read and hash every extract
again. raw.load_log keeps, per file processed, its path as given, its size in bytes and
(`file_mtime_ns`) the modification time seen just before it was read. A file is taken as
unchanged, and its content hash taken from the log without opening it, when all hold:

- the same path (as given: the same inbox named another way is read again),
- the same size in bytes and the same st_mtime_ns as a logged load of that path,
- that mtime was at least SETTLED_NS older than the load itself (its loaded_at is taken
  before the file is looked at): a file still being written, or rewritten within the same
  tick of a coarse clock (FAT: 2 s, some shares: 1 s), could otherwise change after it was
  read and keep the size and mtime it had. Such a file is simply hashed again next time.

What the skip then does with the logged hash is what a hash would have done: the same
duplicate check, column maps included (ingest.inbox._processed), so a file rejected or
quarantined under another map is still read again when its kind's map changes.

Limits: a tool that rewrites a file in place to the same size and then sets its mtime back
(`touch -r`, a restore keeping times) is not noticed; nor is a share whose clock runs more
than SETTLED_NS behind this machine's when a file is rewritten within one of its ticks.
Moving the file or changing its size or mtime (any ordinary edit or re-export) means a
full read. A byte-identical copy under another name has no load_log row of its own (a
duplicate is never logged), so it is hashed on each run.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import duckdb

# Two seconds: the coarsest mtime tick in common use (FAT/exFAT); NTFS, ext4 and SMB shares
# are finer.
SETTLED_NS = 2_000_000_000


def known_sha256(con: duckdb.DuckDBPyConnection, path: Path, stat: os.stat_result) -> str | None:
    """The content hash of the logged load of this very file, or None to read it."""
    row = con.execute(
        "select file_sha256 from raw.load_log where file_path = ? and file_bytes = ?"
        " and file_mtime_ns = ? and file_mtime_ns < epoch_ns(loaded_at) - ?"
        " order by loaded_at desc limit 1",
        [str(path), stat.st_size, stat.st_mtime_ns, SETTLED_NS],
    ).fetchone()
    return row[0] if row else None


def remember(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    stat: os.stat_result,
    size_read: int,
    sha256: str,
    loaded_at: datetime,
) -> None:
    """Note the mtime seen before reading on the load_log row just written for the file.

    Not when the bytes read differ in number from the size seen (the file changed while it
    was read): then the next run reads it again."""
    if size_read != stat.st_size:
        return
    con.execute(
        "update raw.load_log set file_mtime_ns = ? where file_path = ? and file_sha256 = ?"
        " and loaded_at = ?",
        [stat.st_mtime_ns, str(path), sha256, loaded_at],
    )
