"""The whole generated practice delivered as 837P batches instead of the claims CSV gives
every mart exactly as the CSV does (INPUTS.md claims_837: claims linked to appointments by
patient, date and provider), and every generated 837 validates in pyx12."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from painrcm.generate.claims_837_writer import write_claims_837
from tests.conftest import AS_OF

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def inbox_837(practice_inbox, tmp_path_factory) -> Path:
    inbox = tmp_path_factory.mktemp("practice_837") / "inbox"
    shutil.copytree(practice_inbox, inbox)
    written = write_claims_837(inbox)
    assert written and not list((inbox / "claims").glob("claims_*.837"))
    return inbox


@pytest.fixture(scope="module")
def warehouse_837(inbox_837, tmp_path_factory) -> Path:
    from painrcm.runner import scheduled_run

    warehouse = tmp_path_factory.mktemp("warehouse_837") / "warehouse.duckdb"
    scheduled_run(inbox_837, warehouse, AS_OF)
    return warehouse


# Where the two deliveries differ by nature, not by result: lineage and the source itself.
LINEAGE = {"_file_name", "_file_sha256", "_row_number", "_loaded_at", "_extra_columns"}
# claim_rejections names the submission it answers by its 837 transaction and CLM loop, or
# by the CSV claim and date: the same rejection, told by its source (the generator's 277CAs
# are the same files for both deliveries; 999s and 2200C rejections need the 837s).
LINEAGE |= {"submission_id", "claim_source"}


def _tables(con) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
            " order by 1"
        ).fetchall()
    ]


def _rows(con, table: str) -> list[tuple]:
    cols = [
        r[0]
        for r in con.execute(
            "select column_name from information_schema.columns"
            " where table_schema = 'marts' and table_name = ? order by ordinal_position",
            [table],
        ).fetchall()
        if r[0] not in LINEAGE
    ]
    select = ", ".join(f'"{c}"::varchar' for c in cols)
    return sorted(
        con.execute(f'select {select} from marts."{table}"').fetchall(),
        key=lambda r: tuple("" if v is None else v for v in r),
    )


def test_every_mart_the_same_from_837_as_from_csv(built_warehouse, warehouse_837):
    a = duckdb.connect(str(built_warehouse), read_only=True)
    b = duckdb.connect(str(warehouse_837), read_only=True)
    try:
        tables = _tables(a)
        assert tables == _tables(b) and len(tables) > 10
        assert (
            b.execute(
                "select count(*) from staging.stg_pm__claims where claim_source = '837'"
            ).fetchone()[0]
            > 100
        )
        differ = {}
        for t in tables:
            if t in ("build_info", "build_history"):  # when and by which run: not a figure
                continue
            ra, rb = _rows(a, t), _rows(b, t)
            if ra != rb:
                only_a = [r for r in ra if r not in rb][:3]
                only_b = [r for r in rb if r not in ra][:3]
                differ[t] = (len(ra), len(rb), only_a, only_b)
        assert not differ, differ
    finally:
        a.close()
        b.close()


def test_generated_837s_validate_in_pyx12(inbox_837):
    import pyx12.params
    import pyx12.x12n_document

    files = sorted((inbox_837 / "claims_837").iterdir())
    assert len(files) > 3
    for path in files:
        valid = pyx12.x12n_document.x12n_document(
            param=pyx12.params.params(), src_file=str(path), fd_997=None, fd_html=None
        )
        assert valid, f"{path.name}: pyx12 reports errors"
