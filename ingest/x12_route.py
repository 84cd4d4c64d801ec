"""Which loader reads an X12 file, and planning many X12 files on every core.

An X12 file is read for what it holds (INPUTS.md), whichever inbox folder it is in: the
per-kind dispatch is `plan_x12` below (an 837 -> ingest.claims_837, a 999/277CA/997/TA1
-> ingest.acknowledgments, else an 835 -> ingest.remits). Planning (splitting, checking,
building the Arrow columns) touches no warehouse, so the files of an inbox are planned in
worker processes while the main process reads and hashes the next ones; the plans come back
in file order and are written together (ingest.remits.write_x12_loads).

Why processes: the splitter is Python and holds the GIL. Workers are forked: a spawned
worker re-imports the caller's main module (a script without a `__main__` guard would run
again in each worker), and a forked one starts without importing anything. What it inherits
is safe to use: DuckDB's threads are idle while the pool starts (no query runs in this
process meanwhile) and workers never touch the connection; Arrow resets its thread pool
after a fork; workers leave through os._exit, so no DuckDB destructor runs in them.
Small deliveries (the daily case, and the test suite) are planned in the main process,
where a pool would cost more than it saves: see `workers_for`.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from ingest.acknowledgments import KIND as ACKNOWLEDGMENTS
from ingest.acknowledgments import holds_835, holds_acknowledgment, plan_acknowledgment_file
from ingest.claims_837 import KIND as CLAIMS_837
from ingest.claims_837 import holds_837, plan_claims_837_file
from ingest.remits import KIND as REMITS
from ingest.remits import RemitPlan, guarded_plan, plan_remit_file

# Below these, planning in-process is already quick (under a second or two: the 10k-line
# practice's 2.4 MB of X12) and the test suite's small inboxes need no pool; a judgment,
# not a measured break-even.
PARALLEL_MIN_FILES = 8
PARALLEL_MIN_BYTES = 16_000_000


def plan_x12(data: bytes, name: str, sha256: str, folder: str) -> tuple[str, RemitPlan]:
    """(kind read as, plan) of one X12 file found in inbox folder `folder`: the one place
    that says which loader reads an X12 file (a new kind adds its branch here)."""
    if holds_837(data):
        return CLAIMS_837, guarded_plan(plan_claims_837_file, data, name, sha256)
    if holds_acknowledgment(data) or (folder == ACKNOWLEDGMENTS and not holds_835(data)):
        return ACKNOWLEDGMENTS, guarded_plan(plan_acknowledgment_file, data, name, sha256)
    return REMITS, guarded_plan(plan_remit_file, data, name, sha256)


def workers_for(files: int, total_bytes: int) -> int:
    """How many worker processes plan this many files: 0 = in this process."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if (cores or 1) < 2 or files < PARALLEL_MIN_FILES or total_bytes < PARALLEL_MIN_BYTES:
        return 0
    return min(cores, files)


def plan_all(
    jobs: Iterator[tuple[bytes, str, str, str]],
    workers: int,
    plan: Callable[[bytes, str, str, str], tuple[str, RemitPlan]] = plan_x12,
) -> Iterator[tuple[str, RemitPlan]]:
    """plan(*job) for each job, in order; with workers > 0 in that many forked processes.

    Jobs are pulled lazily (reading and hashing the next file overlaps planning), at most
    a few per worker ahead so memory stays bounded on a large inbox."""
    if workers <= 0:
        for job in jobs:
            yield plan(*job)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: list[Future] = []
        try:
            for job in jobs:
                pending.append(pool.submit(plan, *job))
                while len(pending) > 4 * workers:
                    yield pending.pop(0).result()
            while pending:
                yield pending.pop(0).result()
        except BaseException:
            for future in pending:
                future.cancel()
            raise
