"""What bench/ingest_835.py and bench/ingest_837.py share: timing one X12 load into a fresh
DuckDB file against pyx12 and a bare Python split of the same bytes, and the report.

Ours is timed end to end: bytes -> split -> Arrow -> DuckDB file, committed and
checkpointed. pyx12 is timed with its loop-aware reader (X12ContextReader, what an
application uses to know which loop a segment is in) and, for reference, its plain segment
reader (X12Reader). Above --pyx12-sample claims, pyx12 is run on the first file of that size
and extrapolated linearly (its cost is linear in the segments); the output says so.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.raw_tables import ensure_raw_tables  # noqa: E402

# load(con, path, data, sha256, loaded_at) -> FileResult, e.g. ingest.remits.load_remit_file
Load = Callable[..., object]
Generate = Callable[[int], bytes]


def time_ours(load: Load, data: bytes, tmp: Path, name: str) -> tuple[float, float, int, str]:
    """(wall s, CPU s of the process incl. DuckDB threads, segments loaded, status)."""
    db = tmp / f"bench-{len(data)}.duckdb"
    db.unlink(missing_ok=True)
    con = duckdb.connect(str(db))
    ensure_raw_tables(con)
    sha = hashlib.sha256(data).hexdigest()
    t0, c0 = time.perf_counter(), time.process_time()
    result = load(con, Path(name), data, sha, datetime(2026, 3, 30))
    con.execute("checkpoint")
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    con.close()
    db.unlink(missing_ok=True)
    return wall, cpu, result.rows_loaded, result.status


def time_pyx12(data: bytes, context: bool) -> tuple[float, float]:
    import pyx12.error_handler
    import pyx12.params
    import pyx12.x12context
    import pyx12.x12file

    text = io.StringIO(data.decode("ascii"))
    t0, c0 = time.perf_counter(), time.process_time()
    if context:
        reader = pyx12.x12context.X12ContextReader(
            pyx12.params.params(), pyx12.error_handler.errh_null(), text
        )
        for _ in reader.iter_segments():
            pass
    else:
        for _ in pyx12.x12file.X12Reader(text):
            pass
    return time.perf_counter() - t0, time.process_time() - c0


def time_bare_split(data: bytes) -> tuple[float, float]:
    """(seconds, seconds) of the least a Python tokenizer does with the same bytes: split
    them into segments at the terminator, then each segment into its elements."""
    t0 = time.perf_counter()
    segments = data.split(b"~")
    t1 = time.perf_counter()
    for segment in segments:
        segment.split(b"*")
    return t1 - t0, time.perf_counter() - t0


def best(runs: list[tuple[float, ...]]) -> tuple[float, ...]:
    # The median of the repeats: on a 2-core machine shared with other jobs the minimum
    # flatters and the mean follows the worst disturbance.
    return tuple(statistics.median(r[i] for r in runs) for i in range(len(runs[0])))


def measure(
    generate: Generate, load: Load, name: str, sizes: list[int], repeat: int, pyx12_sample: int
) -> list[tuple]:
    """One row per size: (claims, MB, segments, (wall, cpu), pyx12 {ctx: (wall, cpu)},
    pyx12 measured (not extrapolated), (split s, split+el s))."""
    rows = []
    rate: dict[bool, tuple[float, float]] = {}  # pyx12 seconds per claim (wall, cpu)
    with tempfile.TemporaryDirectory() as tmp:
        # Warm-up: pyarrow and DuckDB set themselves up lazily on first use.
        time_ours(load, generate(50), Path(tmp), name)
        for claims in sizes:
            data = generate(claims)
            ours: list[tuple[float, ...]] = []
            bare = [time_bare_split(data) for _ in range(repeat)]
            theirs: dict[bool, list[tuple[float, ...]]] = {True: [], False: []}
            measured = claims <= pyx12_sample
            # Interleaved, so both sides see the same background load.
            for k in range(repeat if claims < 100_000 else max(2, repeat - 1)):
                wall, cpu, segments, status = time_ours(load, data, Path(tmp), name)
                assert status == "loaded", status
                ours.append((wall, cpu))
                if measured and (k == 0 or claims <= 1000):
                    for context in (True, False):
                        theirs[context].append(time_pyx12(data, context))
            if measured:
                for context in (True, False):
                    w, c = best(theirs[context])
                    rate[context] = (w / claims, c / claims)
            elif not rate:
                sample = generate(pyx12_sample)
                for context in (True, False):
                    w, c = time_pyx12(sample, context)
                    rate[context] = (w / pyx12_sample, c / pyx12_sample)
            pyx = {ctx: (rate[ctx][0] * claims, rate[ctx][1] * claims) for ctx in (True, False)}
            rows.append((claims, len(data) / 1e6, segments, best(ours), pyx, measured, best(bare)))
    return rows


def report(rows: list[tuple], pyx12_sample: int, ours: str) -> None:
    """Print the table of `measure`'s rows; `ours` names what was timed."""
    print(
        f"{'claims':>7} {'MB':>5} {'segments':>9} | {'ours s':>6} {'cpu s':>5} {'MB/s':>5} "
        f"{'claims/s':>8} | {'pyx12 ctx s':>11} {'claims/s':>8} {'wall x':>6} {'cpu x':>5} |"
        f" {'pyx12 raw s':>11} {'claims/s':>8} {'wall x':>6} |"
        f" {'split s':>7} {'% of split':>10} {'split+el s':>10} {'% of split+el':>13}"
    )
    for claims, mb, segments, (wall, cpu), pyx, measured, (split, split_el) in rows:
        mark = " " if measured else "*"
        (cw, cc), (rw, _) = pyx[True], pyx[False]
        print(
            f"{claims:>7} {mb:>5.1f} {segments:>9} | {wall:>6.2f} {cpu:>5.2f} {mb / wall:>5.1f} "
            f"{claims / wall:>8.0f} | {cw:>10.1f}{mark} {claims / cw:>8.0f} {cw / wall:>5.0f}x "
            f"{cc / cpu:>4.0f}x | {rw:>10.1f}{mark} {claims / rw:>8.0f} {rw / wall:>5.1f}x |"
            f" {split:>7.3f} {100 * split / wall:>9.1f}% {split_el:>10.3f}"
            f" {100 * split_el / wall:>12.1f}%"
        )
    if not all(r[5] for r in rows):
        print(
            f"* pyx12 not run at this size: extrapolated linearly from its measured run on "
            f"{pyx12_sample} claims (same generator; its cost is linear in segments)."
        )
    print(
        f"ours = {ours} into a fresh DuckDB file incl. commit and checkpoint; "
        "pyx12 ctx = X12ContextReader.iter_segments (loop-aware parse), pyx12 raw = X12Reader "
        "(segment tokenizer only, no loops, no DuckDB); split = data.split(b'~') alone, "
        "split+el = that and each segment's .split(b'*') (the least a tokenizer does): "
        "'% of split' = our throughput as a share of that bare pass's. "
        "Times: median of the repeats; cpu = process CPU seconds (DuckDB threads included)."
    )


def main(description: str, generate: Generate, load: Load, name: str) -> None:
    """The command line of an X12 bench: --sizes, --pyx12-sample, --repeat."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--pyx12-sample", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    rows = measure(generate, load, name, sizes, args.repeat, args.pyx12_sample)
    report(rows, args.pyx12_sample, f"{load.__module__}.{load.__name__}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
