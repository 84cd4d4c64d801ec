"""One CSV delivery of an extract kind -> rows of `raw.<kind>` and rows of `raw.quarantine`.

The general rules of shared/contract/INPUTS.md: UTF-8 (BOM allowed), a header row, RFC 4180
quoting, every cell kept as the text received (empty -> NULL), unknown extra columns kept
as JSON and reported, a missing required column rejects the file, and a row that breaks a
rule is set aside with its row number and reason while the rest of the file loads.

Tokenising: polars reads the file with every column as a string (a reader that infers types
would turn place of service `02` into the number 2). Polars pads a short row and, asked to,
cuts a long one, but says neither, so a quote-aware scan of the bytes counts each record's
fields first; it also gives each record's byte range, so a quarantined row is stored as the
exact text that was sent. Files polars will not read (a stray quote inside a value, say)
go through Python's csv module instead: slower, but it pins the line of a real quoting
error, and such files are rare.

The caller owns the transaction (ingest/inbox.py runs one per file).
"""

from __future__ import annotations

import csv
import io
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa

from ingest.column_maps import REFERENCE_COLUMNS, ColumnMap, FileRejected, apply_map
from ingest.raw_tables import LOAD_LOG_COLUMNS, ensure_raw_tables, insert_arrow
from ingest.report import FileResult
from ingest.schemas import EXTRACTS, Extract
from ingest.validate import row_problems

log = logging.getLogger(__name__)

_BOM = b"\xef\xbb\xbf"
_QUOTE, _COMMA, _LF, _CR = 34, 44, 10, 13
# Internal column names that no header a practice sends can clash with.
_ROW = "__painrcm_row"
_REASON = "__painrcm_reason"
# A note may run past the csv module's default 128 KiB field limit.
_CSV_FIELD_LIMIT = 2**31 - 1


class _Rejected(Exception):
    """The whole file is set aside. The message names the reason, never a note's text."""

    def __init__(self, message: str, raw_record: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.raw_record = raw_record


@dataclass
class _Parsed:
    header: list[str]
    header_text: str
    # One String column per header position, named "0".."n-1", plus _ROW (1 = first data
    # row); only the records with exactly the header's field count.
    rows: pl.DataFrame
    # (row number, field count) of records with another field count.
    ragged: list[tuple[int, int]]
    # The records of some row numbers as CSV text.
    raw_text: Callable[[list[int]], dict[int, str]]


# --- tokenising ------------------------------------------------------------------------


def _empty_to_null(width: int) -> list[pl.Expr]:
    # The contract stores an empty cell as NULL whether it was sent as `,,` or as `,"",`.
    return [pl.when(pl.col(str(i)) != "").then(pl.col(str(i))).alias(str(i)) for i in range(width)]


def _quotes_well_formed(raw: pl.Series, quotes: pl.Series, sep: int = _COMMA) -> bool:
    """Every quote opens a field, closes it, or is half of an escaped `""` pair.

    Counting quotes is only a true picture of the quoting when this holds. A stray quote
    inside an unquoted value (`3.5" needle`, a common export habit) is literal text to
    polars and to the csv module, but would flip the scan's count.
    """
    if quotes.len() % 2:
        return False
    if quotes.len() == 0:
        return True
    size = raw.len()
    opening = pl.int_range(0, quotes.len(), eager=True) % 2 == 0
    before = raw.gather((quotes - 1).clip(lower_bound=0))
    after = raw.gather((quotes + 1).clip(upper_bound=size - 1))
    # An opening quote starts a field (or re-opens right after the first quote of `""`);
    # a closing quote ends the field (or is the first quote of `""`).
    opens_ok = (quotes == 0) | before.is_in([sep, _LF, _QUOTE])
    closes_ok = (quotes == size - 1) | after.is_in([sep, _LF, _CR, _QUOTE])
    return bool(pl.select(pl.when(opening).then(opens_ok).otherwise(closes_ok).all()).item())


def _scan_records(data: bytes, sep: int = _COMMA) -> pl.DataFrame | None:
    """start, end (exclusive, without the line break) and field count of every record.

    RFC 4180: a comma or line break between quotes is data, and an escaped quote `""`
    toggles the quoted state twice, so "inside quotes" is an odd count of quotes so far.
    None when a quote breaks RFC 4180 (the csv module then reads the file or names the
    line of the error).
    """
    size = len(data)
    raw = pl.from_arrow(pa.Array.from_buffers(pa.uint8(), size, [None, pa.py_buffer(data)]))
    positions = raw.is_in([_QUOTE, sep, _LF]).arg_true()
    marks = pl.DataFrame({"pos": positions.cast(pl.Int64), "byte": raw.gather(positions)})
    if not _quotes_well_formed(raw, marks.filter(pl.col("byte") == _QUOTE)["pos"], sep):
        return None
    outside = (pl.col("byte") == _QUOTE).cum_sum() % 2 == 0
    marks = marks.filter((pl.col("byte") != _QUOTE) & outside).select(
        "pos", commas=(pl.col("byte") == sep).cum_sum(), is_end=pl.col("byte") == _LF
    )
    # A record ends at each line break outside quotes, and at the end of the file when the
    # last line has no line break; commas-so-far at each end, differenced, is the count
    # of each record.
    ends = marks.filter("is_end").select("pos", "commas")
    total_commas = int(marks["commas"][-1]) if marks.height else 0
    if size and (ends.height == 0 or ends["pos"][-1] != size - 1):
        ends = pl.concat(
            [ends, pl.DataFrame({"pos": [size], "commas": [total_commas]}, schema=ends.schema)]
        )
    ends = ends.with_columns(pl.col("pos").cast(pl.Int64))
    end = ends["pos"]
    start = pl.concat([pl.Series([0], dtype=pl.Int64), end + 1]).head(end.len())
    before_end = raw.gather((end - 1).clip(lower_bound=0))
    # A CRLF line break leaves its CR before the LF: not part of the record.
    drop_cr = ((end > start) & (before_end == _CR)).cast(pl.Int64)
    record_end = end - drop_cr
    return pl.DataFrame(
        {
            "start": start,
            "end": record_end,
            "fields": ends["commas"].diff().fill_null(ends["commas"].head(1)).cast(pl.Int64) + 1,
            "blank": record_end == start,
        }
    )


def _tokenise_fast(data: bytes, delimiter: str = ",") -> _Parsed | None:
    """Polars tokenises; None when it cannot, or when it and the scan disagree."""
    sep = ord(delimiter)
    records = _scan_records(data, sep)
    if records is None or records.height == 0 or records["blank"][0]:
        return None
    width = int(records["fields"][0])
    # A first line wider than the header makes polars keep a column for a long row's extra
    # fields instead of failing; the scan has already counted them.
    try:
        frame = pl.read_csv(
            delimiter.encode() * width + b"\n" + data,
            has_header=False,
            separator=delimiter,
            infer_schema=False,
            truncate_ragged_lines=True,
            new_columns=[str(i) for i in range(width + 1)],
        )
    except pl.exceptions.PolarsError:
        return None
    if frame.height != records.height + 1:
        return None

    header = [v or "" for v in frame.row(1)[:width]]
    body = records.slice(1).with_columns(pl.int_range(1, records.height).alias(_ROW))
    usable = ~body["blank"]
    good = usable & (body["fields"] == width)
    rows = (
        frame.slice(2)
        .select([str(i) for i in range(width)])
        .with_columns(body[_ROW].cast(pl.Int32))
        .filter(good)
        .with_columns(_empty_to_null(width))
    )
    ragged_rows = body.filter(usable & ~good)
    ragged = list(zip(ragged_rows[_ROW].to_list(), ragged_rows["fields"].to_list(), strict=True))

    def raw_text(row_numbers: list[int]) -> dict[int, str]:
        wanted = body.filter(pl.col(_ROW).is_in(row_numbers))
        return {
            r: data[a:b].decode("utf-8")
            for r, a, b in zip(wanted[_ROW], wanted["start"], wanted["end"], strict=True)
        }

    start, end = records["start"][0], records["end"][0]
    return _Parsed(header, data[start:end].decode("utf-8"), rows, ragged, raw_text)


def _to_csv_text(record: list[str], delimiter: str = ",") -> str:
    out = io.StringIO()
    # The writer quotes a field with a line break only if the break is in its line
    # terminator, so write a CRLF line and cut the terminator off afterwards.
    csv.writer(out, lineterminator="\r\n", delimiter=delimiter).writerow(record)
    return out.getvalue()[:-2]


def _tokenise_python(text: str, delimiter: str = ",") -> _Parsed:
    old_limit = csv.field_size_limit(_CSV_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as exc:
        # csv.Error messages describe the syntax only, never the cell text.
        raise _Rejected(f"not valid CSV (RFC 4180) at line {reader.line_num}: {exc}") from None
    finally:
        csv.field_size_limit(old_limit)
    if not records or not records[0]:
        raise _Rejected("the first line is empty: a header row is required")
    header, width = records[0], len(records[0])
    good: list[list[str]] = []
    good_rows: list[int] = []
    ragged: list[tuple[int, int]] = []
    by_row: dict[int, list[str]] = {}
    for row_number, record in enumerate(records[1:], start=1):
        if not record:
            continue
        by_row[row_number] = record
        if len(record) == width:
            good.append(record)
            good_rows.append(row_number)
        else:
            ragged.append((row_number, len(record)))
    columns = list(zip(*good, strict=True)) if good else [() for _ in range(width)]
    rows = pl.DataFrame(
        {str(i): pl.Series(columns[i], dtype=pl.String) for i in range(width)}
        | {_ROW: pl.Series(good_rows, dtype=pl.Int32)}
    ).with_columns(_empty_to_null(width))

    def raw_text(row_numbers: list[int]) -> dict[int, str]:
        return {r: _to_csv_text(by_row[r], delimiter) for r in row_numbers}

    return _Parsed(header, _to_csv_text(header, delimiter), rows, ragged, raw_text)


def _parse(data: bytes, encoding: str = "utf-8", delimiter: str = ",") -> _Parsed:
    """`encoding` and `delimiter` other than UTF-8 and comma come from a column map."""
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        label = "UTF-8" if encoding == "utf-8" else encoding
        fix = "export the file as UTF-8" if encoding == "utf-8" else "check the map's encoding"
        raise _Rejected(
            f"not {label} text: byte 0x{data[exc.start]:02X} on line {line} "
            f"(offset {exc.start}); {fix}"
        ) from None
    if not text.strip():
        raise _Rejected("empty file: a header row is required")
    if encoding != "utf-8":
        # The tokeniser reads UTF-8 bytes; the decoded text is what the practice sent.
        data = text.encode("utf-8")
    return _tokenise_fast(data, delimiter) or _tokenise_python(text, delimiter)


# --- checking the header ---------------------------------------------------------------


def _check_header(parsed: _Parsed, spec: Extract) -> tuple[list[str], list[str]]:
    """The header names (surrounding spaces dropped) and the unknown extra ones."""
    names = [h.strip() for h in parsed.header]
    raw = parsed.header_text
    blank = [str(i + 1) for i, n in enumerate(names) if not n]
    if blank:
        raise _Rejected(f"header column(s) {', '.join(blank)} have no name", raw)
    seen: set[str] = set()
    dupes = sorted({n for n in names if n in seen or seen.add(n)})
    if dupes:
        raise _Rejected(f"duplicate column name(s) in the header: {', '.join(dupes)}", raw)
    known = set(spec.column_names)
    extras = [n for n in names if n not in known]
    missing = [c for c in spec.required_names if c not in names]
    if missing:
        message = f"missing required column(s): {', '.join(missing)}"
        if extras:
            # A misspelt column shows up here, which is usually the fix.
            message += f" (the header has unknown column(s): {', '.join(extras)})"
        raise _Rejected(message, raw)
    return names, extras


# --- writing ---------------------------------------------------------------------------


@dataclass
class CsvPlan:
    """What loading one CSV delivery will write; written with others by write_csv_plans."""

    result: FileResult
    tables: dict[str, list[pl.DataFrame]]  # raw.<kind> and raw.quarantine rows
    log_row: dict  # raw.load_log


@dataclass
class _Target:
    spec: Extract
    path: Path
    sha256: str
    loaded_at: datetime
    file_bytes: int
    column_map: ColumnMap | None = None
    tables: dict[str, list[pl.DataFrame]] = field(default_factory=dict)

    def insert(self, table: str, frame: pl.DataFrame) -> None:
        self.tables.setdefault(table, []).append(frame)

    def quarantine(self, entries: list[tuple[int | None, str, str | None]]) -> None:
        if not entries:
            return
        rows, reasons, records = zip(*entries, strict=True)
        n = len(entries)
        self.insert(
            "quarantine",
            pl.DataFrame(
                {
                    "kind": [self.spec.kind] * n,
                    "file_name": [self.path.name] * n,
                    "file_sha256": [self.sha256] * n,
                    "row_number": pl.Series(rows, dtype=pl.Int32),
                    "segment_position": pl.Series([None] * n, dtype=pl.Int32),
                    "reason": pl.Series(reasons, dtype=pl.String),
                    "raw_record": pl.Series(records, dtype=pl.String),
                    "quarantined_at": pl.Series([self.loaded_at] * n, dtype=pl.Datetime("us")),
                }
            ),
        )

    def finish(
        self, status: str, loaded: int, quarantined: int, message: str, extras: list[str]
    ) -> CsvPlan:
        cmap = self.column_map
        values = [
            str(uuid.uuid4()),
            self.spec.kind,
            self.path.name,
            str(self.path),
            self.sha256,
            self.file_bytes,
            loaded,
            quarantined,
            status,
            message,
            " ".join(extras) or None,
            self.loaded_at,
            cmap.sha256 if cmap else None,
            cmap.source if cmap else None,
        ]
        log.info("%s %s: %s loaded, %s quarantined", status, self.path, loaded, quarantined)
        result = FileResult(
            kind=self.spec.kind,
            file_name=self.path.name,
            file_sha256=self.sha256,
            status=status,
            rows_loaded=loaded,
            rows_quarantined=quarantined,
            message=message,
            extra_columns=extras,
        )
        return CsvPlan(result, self.tables, dict(zip(LOAD_LOG_COLUMNS, values, strict=True)))


_LOG_SCHEMA = {
    "load_id": pl.String,
    "kind": pl.String,
    "file_name": pl.String,
    "file_path": pl.String,
    "file_sha256": pl.String,
    "file_bytes": pl.Int64,
    "rows_loaded": pl.Int32,
    "rows_quarantined": pl.Int32,
    "status": pl.String,
    "message": pl.String,
    "extra_columns": pl.String,
    "loaded_at": pl.Datetime("us"),
    "map_sha256": pl.String,
    "map_source": pl.String,
    "file_mtime_ns": pl.Int64,
}


def write_csv_plans(con: duckdb.DuckDBPyConnection, plans: list[CsvPlan]) -> None:
    """Write planned CSV deliveries: one columnar insert per raw table for all of them, in
    the caller's transaction."""
    by_table: dict[str, list[pl.DataFrame]] = {}
    for plan in plans:
        for table, frames in plan.tables.items():
            by_table.setdefault(table, []).extend(frames)
    for table, frames in by_table.items():
        frame = frames[0] if len(frames) == 1 else pl.concat(frames, how="vertical_relaxed")
        insert_arrow(con, f"insert into raw.{table} by name select * from _rows", frame.to_arrow())
    if plans:
        rows = [{"file_mtime_ns": None, **plan.log_row} for plan in plans]
        log = pl.DataFrame(rows, schema=_LOG_SCHEMA).to_arrow()
        insert_arrow(con, "insert into raw.load_log by name select * from _rows", log)


def _known_values(con: duckdb.DuckDBPyConnection, cmap: ColumnMap) -> dict[str, frozenset[str]]:
    """The ids a mapped reference column may hold: those already loaded (payers load first)."""
    known = {}
    for column, kind in REFERENCE_COLUMNS.items():
        if column in cmap.values and kind != cmap.kind:
            ids = con.execute(
                f"select distinct {column} from raw.{kind} where {column} is not null"
            )
            known[column] = frozenset(r[0] for r in ids.fetchall())
    return known


def _naive_utc(moment: datetime) -> datetime:
    # raw timestamps are TIMESTAMP (no zone); an aware time is stored as its UTC wall time.
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def load_csv_file(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    path: Path,
    data: bytes,
    sha256: str,
    loaded_at: datetime,
    column_map: ColumnMap | None = None,
) -> FileResult:
    """Validate one CSV delivery of `kind` and write it to raw.<kind>, raw.quarantine and
    raw.load_log. A file-level problem returns status `rejected`, never raises.

    With a `column_map` (ingest/column_maps.py) the file is read in the map's encoding and
    delimiter and turned into the canonical columns before validation."""
    ensure_raw_tables(con)
    plan = plan_csv_file(con, kind, path, data, sha256, loaded_at, column_map)
    write_csv_plans(con, [plan])
    return plan.result


def plan_csv_file(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    path: Path,
    data: bytes,
    sha256: str,
    loaded_at: datetime,
    column_map: ColumnMap | None = None,
) -> CsvPlan:
    """load_csv_file without the writing: the rows, quarantine and load_log row of one
    delivery. `con` is only read (a mapped file's reference ids)."""
    if kind not in EXTRACTS:
        raise ValueError(f"{path}: unknown extract kind {kind!r}; expected one of {list(EXTRACTS)}")
    spec = EXTRACTS[kind]
    path = Path(path)
    cmap = column_map
    target = _Target(spec, path, sha256, _naive_utc(loaded_at), len(data), cmap)
    parsed = None
    try:
        if cmap is None:
            parsed = _parse(data)
            names, extras = _check_header(parsed, spec)
        else:
            parsed = _parse(data, cmap.encoding, cmap.delimiter)
            shaped = apply_map(cmap, spec, parsed.header, parsed.rows, _known_values(con, cmap))
    except _Rejected as rejection:
        target.quarantine([(None, f"file rejected: {rejection.message}", rejection.raw_record)])
        return target.finish("rejected", 0, 0, rejection.message, [])
    except FileRejected as rejection:
        message = str(rejection)
        target.quarantine([(None, f"file rejected: {message}", parsed.header_text)])
        return target.finish("rejected", 0, 0, message, [])

    if cmap is None:
        known = set(spec.column_names)
        # Extras keep a positional name until they are packed into JSON, so any header text
        # (even one that looks like a polars regex) is safe as a column name.
        internal = [n if n in known else f"__painrcm_extra{i}" for i, n in enumerate(names)]
        renames = dict(zip([str(i) for i in range(len(names))], internal, strict=True))
        rows = parsed.rows.rename(renames)
        present = [c for c in spec.columns if c.name in names]
        extra_pairs = [(i, n) for i, n in zip(internal, names, strict=True) if n not in known]
        map_problems: dict[str, pl.Expr] = {}
        width = len(names)
    else:
        rows, present, extra_pairs = shaped.rows, shaped.present, shaped.extras
        extras = [n for _i, n in extra_pairs]
        map_problems = shaped.problems
        width = len(parsed.header)
    present_names = {c.name for c in present}
    checked = rows.with_columns(row_problems(present, map_problems).alias(_REASON))
    good = checked.filter(pl.col(_REASON) == "")
    bad = checked.filter(pl.col(_REASON) != "")

    problems = dict(zip(bad[_ROW].to_list(), bad[_REASON].to_list(), strict=True))
    for row_number, fields in parsed.ragged:
        problems[row_number] = (
            f"has {fields} fields but the header has {width} "
            "(a missing or extra comma, or a comma in an unquoted value)"
        )
    bad_rows = sorted(problems)
    texts = parsed.raw_text(bad_rows)
    entries = [(r, f"row {r}: {problems[r]}", texts[r]) for r in bad_rows]

    extra_json = (
        pl.struct([pl.col(i).alias(n) for i, n in extra_pairs]).struct.json_encode()
        if extra_pairs
        else pl.lit(None, dtype=pl.String)
    )
    out = good.select(
        *[
            pl.col(c.name)
            if c.name in present_names
            else pl.lit(None, dtype=pl.String).alias(c.name)
            for c in spec.columns
        ],
        extra_json.alias("_extra_columns"),
        pl.lit(path.name).alias("_file_name"),
        pl.lit(sha256).alias("_file_sha256"),
        pl.col(_ROW).cast(pl.Int32).alias("_row_number"),
        pl.lit(target.loaded_at, dtype=pl.Datetime("us")).alias("_loaded_at"),
    )
    if out.height:
        target.insert(spec.kind, out)
    target.quarantine(entries)

    notes = []
    if cmap is not None:
        notes.append(f"read through {cmap.name}" + (f" ({cmap.source})" if cmap.source else ""))
    if entries:
        notes.append(f"{len(entries)} row(s) quarantined, first: {entries[0][1]}")
    if extras:
        notes.append(f"unknown column(s) kept in _extra_columns: {', '.join(extras)}")
    status = "loaded_with_quarantine" if entries else "loaded"
    return target.finish(status, out.height, len(entries), "; ".join(notes), extras)
