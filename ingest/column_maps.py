"""Column maps (shared/contract/INPUTS.md, "Column maps"): a practice's own PM export -> the
canonical extract, before validation.

One YAML file per extract kind in `inbox/_maps/<kind>.yml` renames headers, builds list
columns from several source columns, maps source values to canonical ones, fills constants,
reads the practice's date format, dollar amounts and one-digit places of service, and names
the file's delimiter and encoding. Everything after this module sees the canonical layout.

Errors follow the contract: a map that is not valid YAML or names an unknown key stops the
ingest (`MapError`, one line naming the map file and key); a map naming a header the file
lacks rejects that file (`FileRejected`); a cell the map cannot read (a date not in
`date_format`, an amount that is not money) becomes a row reason, so the row is quarantined.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import yaml

from ingest.schemas import DATE, DECIMAL, EXTRACTS, LIST, POS, Column, Extract
from ingest.validate import PHI_COLUMNS

MAPS_FOLDER = "_maps"
DELIMITERS = (",", ";", "|", "\t")
# Accepted spellings -> the Python codec.
ENCODINGS = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "cp1252": "cp1252",
    "windows-1252": "cp1252",
    "latin-1": "latin-1",
    "latin1": "latin-1",
    "iso-8859-1": "latin-1",
}
TOP_KEYS = (
    "source",
    "delimiter",
    "encoding",
    "date_format",
    "columns",
    "values",
    "list_separator",
    "constants",
)
# A mapped value of these columns must name a known record: a payer name the map does not
# translate would otherwise load as a payer_id no payer has (spec: "fails validation if it
# is not a canonical value"; payer_id's canonical values are the payers' ids).
REFERENCE_COLUMNS = {"payer_id": "payers"}

_SHOWN_CHARS = 60
_MONEY_RE = (
    r"^(?<sign>-?)\s*\$?\s*(?<sign2>-?)(?<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?<frac>\.[0-9]+)?$"
)


class MapError(ValueError):
    """The map itself is wrong: the ingest stops before loading anything."""


class FileRejected(Exception):
    """The map does not fit this file: the whole file is set aside."""


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps every scalar a string except null.

    YAML 1.1 reads `No`, `Y` and `off` as booleans, `011` as octal 9 and `2026-01-05` as a
    date: in a map of status words, codes and places of service each of those is a value.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag == "tag:yaml.org,2002:null"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class ColumnMap:
    kind: str
    name: str  # as shown in messages: `_maps/claims.yml`
    sha256: str
    source: str
    delimiter: str
    encoding: str
    date_format: str | None
    columns: dict[str, tuple[str, ...]]
    values: dict[str, dict[str, str | None]]  # keys trimmed and lower-cased
    list_separator: str
    constants: dict[str, str | None]


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def parse_map(kind: str, name: str, data: bytes) -> ColumnMap:
    """Read one map; MapError (one line: `<name>: <key>: <reason>`) when it is wrong."""

    def fail(key: str, reason: str) -> MapError:
        return MapError(f"{name}: {key}: {reason}" if key else f"{name}: {reason}")

    if kind not in EXTRACTS:
        raise fail(
            "",
            f"no extract kind '{kind}'; name the file <kind>.yml, one of: " + ", ".join(EXTRACTS),
        )
    spec = EXTRACTS[kind]
    try:
        text = data.decode("utf-8-sig")
        doc = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except UnicodeDecodeError:
        raise fail("", "not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "(document)"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise fail(where, f"not valid YAML: {problem}") from None
    if doc is None:
        doc = {}
    if not isinstance(doc, dict):
        raise fail("", "not a YAML mapping of keys (source, columns, values, ...)")
    for key in doc:
        if key not in TOP_KEYS:
            raise fail(str(key), "unknown key; a map has " + ", ".join(TOP_KEYS))
    known = set(spec.column_names)
    by_name = {c.name: c for c in spec.columns}

    def section(key: str) -> dict:
        value = doc.get(key) or {}
        if not isinstance(value, dict):
            raise fail(key, "must be a mapping of canonical column: ...")
        for column in value:
            if column not in known:
                raise fail(
                    f"{key}.{column}",
                    f"unknown canonical column of {kind}; its columns: "
                    + ", ".join(spec.column_names),
                )
        return value

    delimiter = _text(doc.get("delimiter")) or ","
    if delimiter not in DELIMITERS:
        raise fail("delimiter", f"{delimiter!r} is not one of " + " ".join(map(repr, DELIMITERS)))
    encoding = (_text(doc.get("encoding")) or "utf-8").lower()
    if encoding not in ENCODINGS:
        raise fail("encoding", f"'{encoding}' is not one of utf-8, cp1252, latin-1")
    date_format = _text(doc.get("date_format"))
    if date_format is not None:
        try:
            pl.Series(["2026-01-05"]).str.strptime(pl.Date, date_format, strict=False)
        except (pl.exceptions.PolarsError, ValueError) as exc:
            raise fail("date_format", f"'{date_format}' is not a date format: {exc}") from None
        if "%" not in date_format:
            raise fail("date_format", f"'{date_format}' has no %-directive (e.g. %m/%d/%Y)")
    list_separator = _text(doc.get("list_separator")) or " "

    columns: dict[str, tuple[str, ...]] = {}
    for column, headers in section("columns").items():
        if isinstance(headers, list):
            if by_name[column].type != LIST:
                raise fail(f"columns.{column}", "several source headers are only for list columns")
            if not headers or not all(isinstance(h, str) and h.strip() for h in headers):
                raise fail(f"columns.{column}", "a list of header names is expected")
            columns[column] = tuple(h.strip() for h in headers)
        elif isinstance(headers, str) and headers.strip():
            columns[column] = (headers.strip(),)
        else:
            raise fail(f"columns.{column}", "a header name (or a list of them) is expected")

    values: dict[str, dict[str, str | None]] = {}
    for column, pairs in section("values").items():
        pairs = pairs or {}
        if not isinstance(pairs, dict):
            raise fail(f"values.{column}", "a mapping {source value: canonical value} is expected")
        folded: dict[str, str | None] = {}
        for source, target in pairs.items():
            if isinstance(target, (dict, list)):
                raise fail(f"values.{column}.{source}", "a canonical value is expected")
            folded[str(source or "").strip().lower()] = _text(target)
        values[column] = folded

    constants = {c: _text(v) for c, v in section("constants").items()}
    for column in constants:
        if column in columns:
            raise fail(f"constants.{column}", "also named under columns; keep one")
        if by_name[column].required and constants[column] is None:
            raise fail(f"constants.{column}", "a required column cannot be null")
    source = _text(doc.get("source")) or ""
    return ColumnMap(
        kind=kind,
        name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        source=source.strip(),
        delimiter=delimiter,
        encoding=ENCODINGS[encoding],
        date_format=date_format,
        columns=columns,
        values=values,
        list_separator=list_separator,
        constants=constants,
    )


def load_maps(inbox: Path) -> dict[str, ColumnMap]:
    """Every map of `inbox/_maps`, by kind; MapError at the first wrong one."""
    folder = Path(inbox) / MAPS_FOLDER
    if not folder.is_dir():
        return {}
    maps: dict[str, ColumnMap] = {}
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name.startswith(".") or not path.is_file():
            continue
        name = f"{MAPS_FOLDER}/{path.name}"
        if path.suffix.lower() == ".yaml":
            raise MapError(f"{name}: maps are named <kind>.yml; rename it {path.stem}.yml")
        if path.suffix.lower() != ".yml":
            continue  # a README or a backup beside the maps
        maps[path.stem] = parse_map(path.stem, name, path.read_bytes())
    return maps


# --- applying a map to one file ----------------------------------------------------------


@dataclass
class Shaped:
    """A file after its map: canonical columns (and extras) ready for validation."""

    rows: pl.DataFrame
    present: list[Column]
    # (internal column, source header) of the source columns the map does not use.
    extras: list[tuple[str, str]]
    # canonical column -> the map's reason a cell is unreadable (null when it is fine).
    problems: dict[str, pl.Expr]


def _shown(column: Column, value: pl.Expr) -> pl.Expr:
    if column.name in PHI_COLUMNS:
        return pl.lit("(value withheld)")
    return value.str.slice(0, _SHOWN_CHARS)


def _reason(column: Column, value: pl.Expr, rule: str) -> pl.Expr:
    return pl.format(f"{column.name} '{{}}' {rule}", _shown(column, value))


def _converted(cmap: ColumnMap, column: Column, cell: pl.Expr) -> tuple[pl.Expr, pl.Expr | None]:
    """(value, reason or null) of a source cell the map's values did not translate."""
    trimmed = cell.str.strip_chars()
    blank = trimmed.is_null() | (trimmed == "")
    if column.type == DATE and cmap.date_format:
        parsed = trimmed.str.strptime(pl.Date, cmap.date_format, strict=False)
        bad = ~blank & parsed.is_null()
        value = (
            pl.when(blank)
            .then(pl.lit(None, dtype=pl.String))
            .when(bad)
            .then(cell)
            .otherwise(parsed.dt.strftime("%Y-%m-%d"))
        )
        rule = f"is not a date in the map's date_format {cmap.date_format} ({cmap.name})"
        return value, pl.when(bad).then(_reason(column, cell, rule))
    if column.type == DECIMAL:
        # Money as PM reports print it: `$1,234.50`, and `(12.50)` for a negative amount.
        paren = trimmed.str.contains(r"^\(.*\)$")
        inner = pl.when(paren).then(trimmed.str.slice(1, trimmed.str.len_chars() - 2))
        inner = inner.otherwise(trimmed).str.strip_chars()
        parts = inner.str.extract_groups(_MONEY_RE)
        sign, sign2 = parts.struct.field("sign"), parts.struct.field("sign2")
        negative = paren | (sign == "-") | (sign2 == "-")
        digits = parts.struct.field("int").str.replace_all(",", "") + parts.struct.field(
            "frac"
        ).fill_null("")
        # One minus sign at most, and none inside parentheses.
        signs = (sign == "-").cast(pl.Int8) + (sign2 == "-").cast(pl.Int8) + paren.cast(pl.Int8)
        ok = parts.struct.field("int").is_not_null() & (signs <= 1)
        bad = ~blank & ~ok.fill_null(False)
        value = (
            pl.when(blank)
            .then(pl.lit(None, dtype=pl.String))
            .when(bad)
            .then(cell)
            .when(negative)
            .then(pl.lit("-") + digits)
            .otherwise(digits)
        )
        rule = "is not an amount like 1234.50, $1,234.50 or (12.50)"
        return value, pl.when(bad).then(_reason(column, cell, rule))
    if column.type == POS:
        # PM reports drop the leading zero of `02` (telehealth) when a column is numeric.
        value = pl.when(trimmed.str.contains(r"^[0-9]$")).then(pl.lit("0") + trimmed)
        return value.otherwise(cell), None
    return cell, None


def _scalar(
    cmap: ColumnMap, column: Column, cell: pl.Expr, known: frozenset[str] | None
) -> tuple[pl.Expr, pl.Expr | None]:
    value, problem = _converted(cmap, column, cell)
    if column.name not in cmap.values:
        return value, problem
    pairs = cmap.values[column.name]
    key = cell.str.strip_chars().str.to_lowercase()
    hit = key.is_in(list(pairs)) if pairs else pl.lit(False)
    mapped = (
        key.replace_strict(list(pairs), list(pairs.values()), default=None, return_dtype=pl.String)
        if pairs
        else pl.lit(None, dtype=pl.String)
    )
    out = pl.when(hit).then(mapped).otherwise(value)
    checks = []
    if problem is not None:
        checks.append(pl.when(~hit).then(problem))
    if known is not None:
        allowed = sorted(known | {v for v in pairs.values() if v is not None})
        unknown = ~hit & cell.is_not_null() & ~cell.is_in(allowed)
        rule = (
            f"is not in the values of {cmap.name} and is no {column.name} "
            f"of {REFERENCE_COLUMNS[column.name]}: add it to values.{column.name}"
        )
        checks.append(pl.when(unknown).then(_reason(column, cell, rule)))
    reason = pl.coalesce(checks) if checks else None
    return out, reason


def _listed(cmap: ColumnMap, cells: list[pl.Expr], column: Column) -> pl.Expr:
    sep = cmap.list_separator
    joined = pl.concat_str(cells, separator=sep, ignore_nulls=True)
    items = joined.str.split(sep).list.eval(pl.element().str.strip_chars())
    items = items.list.eval(pl.element().filter(pl.element() != ""))
    pairs = cmap.values.get(column.name)
    if pairs:
        key = pl.element().str.to_lowercase()
        translated = key.replace_strict(
            list(pairs), list(pairs.values()), default=None, return_dtype=pl.String
        )
        items = items.list.eval(
            pl.when(key.is_in(list(pairs))).then(translated).otherwise(pl.element())
        ).list.drop_nulls()
    text = items.list.join(" ")
    return pl.when(text == "").then(pl.lit(None, dtype=pl.String)).otherwise(text)


def _header_names(header: list[str]) -> list[str]:
    return [h.strip().lstrip("\ufeff").strip() for h in header]


def apply_map(
    cmap: ColumnMap,
    spec: Extract,
    header: list[str],
    rows: pl.DataFrame,
    known: Mapping[str, frozenset[str]] | None = None,
) -> Shaped:
    """The canonical columns of a file read through `cmap`. `rows` has one String column per
    header position named "0".."n-1" (plus any bookkeeping columns, kept). FileRejected when
    the map names a header the file lacks or a required column has no source."""
    names = _header_names(header)
    blank = [str(i + 1) for i, n in enumerate(names) if not n]
    if blank:
        raise FileRejected(f"header column(s) {', '.join(blank)} have no name")
    positions: dict[str, list[int]] = {}
    for i, n in enumerate(names):
        positions.setdefault(n.lower(), []).append(i)
    exact_dupes = sorted({n for n in names if names.count(n) > 1})
    if exact_dupes:
        raise FileRejected(f"duplicate column name(s) in the header: {', '.join(exact_dupes)}")

    def position(header_name: str, column: str, named_by_map: bool) -> int | None:
        found = positions.get(header_name.lower(), [])
        if len(found) > 1:
            raise FileRejected(
                f"header '{header_name}' ({column}) appears {len(found)} times "
                "(headers are matched case-insensitively)"
            )
        if not found:
            if named_by_map:
                raise FileRejected(
                    f"the map {cmap.name} names header '{header_name}' for {column}, "
                    "but the file has no such column"
                )
            return None
        return found[0]

    used: set[int] = set()
    selected: list[pl.Expr] = []
    present: list[Column] = []
    problems: dict[str, pl.Expr] = {}
    missing: list[str] = []
    for column in spec.columns:
        if column.name in cmap.constants:
            selected.append(pl.lit(cmap.constants[column.name], dtype=pl.String).alias(column.name))
            present.append(column)
            continue
        if column.name in cmap.columns:
            idx = [position(h, column.name, True) for h in cmap.columns[column.name]]
        else:
            idx = [position(column.name, column.name, False)]
        idx = [i for i in idx if i is not None]
        if not idx:
            if column.required:
                missing.append(column.name)
            continue
        used.update(idx)
        cells = [pl.col(str(i)) for i in idx]
        if column.type == LIST:
            selected.append(_listed(cmap, cells, column).alias(column.name))
        else:
            reference = REFERENCE_COLUMNS.get(column.name)
            known_ids = None
            if reference and reference != spec.kind and column.name in cmap.values:
                known_ids = (known or {}).get(column.name, frozenset())
            value, problem = _scalar(cmap, column, cells[0], known_ids)
            selected.append(value.alias(column.name))
            if problem is not None:
                problems[column.name] = pl.col(f"__painrcm_map_{column.name}")
                selected.append(problem.alias(f"__painrcm_map_{column.name}"))
        present.append(column)
    if missing:
        raise FileRejected(
            f"missing required column(s): {', '.join(missing)} (the map {cmap.name} names no "
            "header for them and the file has no column of that name; the header has: "
            + ", ".join(names)
            + ")"
        )
    unused = [i for i in range(len(names)) if i not in used]
    extras = [(f"__painrcm_extra{i}", names[i]) for i in unused]
    keep = [c for c in rows.columns if not c.isdigit()]
    shaped = rows.select(
        *keep, *selected, *[pl.col(str(i)).alias(f"__painrcm_extra{i}") for i in unused]
    )
    return Shaped(shaped, present, extras, problems)
