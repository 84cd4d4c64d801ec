"""Files and folders painrcm creates hold PHI (the warehouse, its work copies, exports): they
are created readable by their owner only (files 0600, folders 0700), whatever the umask."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
# The CLI sets this umask for the whole process, so what dbt, DuckDB and Spark create on
# their own (artifacts, spill folders, Parquet) is private too.
UMASK = 0o077


def private_dir(path: Path) -> Path:
    """Create `path` and any missing parents 0700 (existing folders are left as they are)."""
    path = Path(path)
    missing = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=DIR_MODE)
        os.chmod(folder, DIR_MODE)  # mkdir's mode is filtered by the umask
    return path


def write_private(out: Path, write: Callable[[Path], object]) -> None:
    """Write `out` through `write(tmp)` into a 0600 file beside it, then rename it into
    place: the file is never readable by others, and never half-written under its name."""
    out = Path(out)
    private_dir(out.parent)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    os.close(fd)  # mkstemp creates the file 0600
    try:
        write(Path(tmp))
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, out)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
