"""bench/ingest_837.py at its smallest: the files it times are 837Ps that pyx12 accepts and
our loader reads whole (every claim a claim, nothing set aside), and a run yields its row."""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

from ingest.claims_837 import plan_claims_837_file

BENCH = Path(__file__).resolve().parents[1] / "bench" / "ingest_837.py"


def _bench():
    spec = importlib.util.spec_from_file_location("ingest_837_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_837_is_valid_read_whole_and_timed(tmp_path):
    import pyx12.params
    import pyx12.x12n_document

    bench = _bench()
    claims = bench.CLAIMS_PER_TRANSACTION + 7  # two transactions
    data = bench.generate_837(claims)
    assert data.count(b"ST*837*") == 2
    assert data.count(b"\nCLM*") == claims and data.count(b"\nLX*") == 2 * claims

    plan = plan_claims_837_file(data, "bench.837", hashlib.sha256(data).hexdigest())
    assert plan.quarantine == [] and len(plan.transactions) == 2
    assert plan.rows_loaded == data.count(b"~")  # every segment kept

    sample = tmp_path / "bench.837"
    sample.write_bytes(bench.generate_837(20))
    valid = pyx12.x12n_document.x12n_document(
        param=pyx12.params.params(), src_file=str(sample), fd_997=None, fd_html=None
    )
    assert valid, "pyx12 reports errors in the bench's 837"

    ((n, mb, segments, (wall, cpu), pyx, measured, _),) = bench.measure([20], 1, 20)
    assert n == 20 and measured and segments == bench.generate_837(20).count(b"~")
    assert wall > 0 and pyx[True][0] > 0
