"""`painrcm map suggest FILE --kind KIND`: a draft column map from an export's header.

Each canonical column gets the closest header: a normalised name (case, spaces and
punctuation ignored) equal to the column's name or one of its synonyms
(ingest/column_synonyms.yml) first, then the most similar one above a threshold
(difflib's ratio: good enough for `Date of Svc` vs `date of service`; the user edits the
draft anyway). Headers numbered after a list column's synonym (`Mod1`..`Mod4`) become that
list. The draft also names the file's delimiter and encoding, the one date format that
reads every date sampled, and for enum columns (and payer_id) the distinct source values,
so the user can fill `values`. Required columns left unmatched are flagged.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

import yaml

from ingest.column_maps import MAPS_FOLDER
from ingest.schemas import DATE, ENUM, EXTRACTS, LIST

SYNONYMS_FILE = Path(__file__).with_name("column_synonyms.yml")
# Below this similarity a header is not offered for a column.
MIN_SIMILARITY = 0.8
SAMPLE_ROWS = 5000
MAX_VALUES = 30
DATE_FORMATS = (
    "%Y-%m-%d",
    "%m/%d/%Y",
    "%m/%d/%y",
    "%m-%d-%Y",
    "%d.%m.%Y",
    "%Y%m%d",
    "%Y/%m/%d",
    "%d/%m/%Y",
)


@cache
def synonyms() -> dict[str, tuple[str, ...]]:
    data = yaml.safe_load(SYNONYMS_FILE.read_text(encoding="utf-8")) or {}
    return {k: tuple(str(s) for s in v or ()) for k, v in data.items()}


def normalised(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


@dataclass
class _Sample:
    encoding: str
    delimiter: str
    header: list[str]
    rows: list[list[str]]


def _read(path: Path) -> _Sample:
    data = Path(path).read_bytes()
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    first = text.splitlines()[0] if text.strip() else ""
    if not first:
        raise ValueError(f"{path}: empty file: a header row is required")
    counts = {d: first.count(d) for d in (",", ";", "|", "\t")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader)
    rows = []
    for row in reader:
        rows.append(row)
        if len(rows) >= SAMPLE_ROWS:
            break
    name = "utf-8" if encoding == "utf-8-sig" else encoding
    return _Sample(name, delimiter, [h.strip().lstrip("\ufeff").strip() for h in header], rows)


def _score(header: str, column: str) -> float:
    h = normalised(header)
    candidates = [normalised(column), *(normalised(s) for s in synonyms().get(column, ()))]
    if h in candidates:
        return 1.0
    return max(difflib.SequenceMatcher(None, h, c).ratio() for c in candidates)


def _numbered(header: str, column: str) -> int | None:
    """n when header is a list column's synonym followed by a number (`Mod 2` -> 2)."""
    match = re.fullmatch(r"(.*?)(\d+)", normalised(header))
    if not match:
        return None
    stem = match.group(1)
    names = {normalised(column), *(normalised(s) for s in synonyms().get(column, ()))}
    return int(match.group(2)) if stem in names else None


def match_headers(kind: str, header: list[str]) -> dict[str, list[str]]:
    """canonical column -> the source header(s) drafted for it."""
    spec = EXTRACTS[kind]
    taken: set[str] = set()
    matched: dict[str, list[str]] = {}
    for column in spec.columns:
        if column.type != LIST:
            continue
        numbered = sorted(
            ((n, h) for h in header if (n := _numbered(h, column.name)) is not None),
            key=lambda pair: pair[0],
        )
        if len(numbered) > 1:
            matched[column.name] = [h for _n, h in numbered]
            taken.update(matched[column.name])
    pairs = sorted(
        (
            (_score(h, c.name), i, j, c.name, h)
            for i, c in enumerate(spec.columns)
            if c.name not in matched
            for j, h in enumerate(header)
            if h not in taken
        ),
        key=lambda p: (-p[0], p[1], p[2]),
    )
    for score, _i, _j, column, h in pairs:
        if score < MIN_SIMILARITY:
            break
        if column in matched or h in taken:
            continue
        matched[column] = [h]
        taken.add(h)
    return {c.name: matched[c.name] for c in spec.columns if c.name in matched}


def _date_format(samples: list[str]) -> str | None:
    """The format that reads the most sampled dates (nine in ten at least; a few bad dates
    are the rows the check will quarantine); None when that is ISO or none fits."""

    def reads(value: str, fmt: str) -> bool:
        try:
            datetime.strptime(value, fmt)
        except ValueError:
            return False
        return True

    if not samples:
        return None
    counts = {fmt: sum(reads(v, fmt) for v in samples) for fmt in DATE_FORMATS}
    best = max(DATE_FORMATS, key=lambda fmt: counts[fmt])  # ties: the earlier format
    if counts[best] < 0.9 * len(samples):
        return None
    return None if best == "%Y-%m-%d" else best


def _guess(value: str, allowed: tuple[str, ...]) -> str | None:
    v = normalised(value)
    for a in allowed:
        if normalised(a) == v:
            return a
    close = difflib.get_close_matches(v, [normalised(a) for a in allowed], n=1, cutoff=0.8)
    return next((a for a in allowed if normalised(a) == close[0]), None) if close else None


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def suggest(path: Path, kind: str) -> str:
    """The draft map for `path` as YAML text, with comments saying what to check."""
    if kind not in EXTRACTS:
        raise ValueError(f"unknown kind '{kind}'; expected one of: {', '.join(EXTRACTS)}")
    spec = EXTRACTS[kind]
    sample = _read(path)
    matched = match_headers(kind, sample.header)
    position = {h: i for i, h in enumerate(sample.header)}

    def column_values(header: str) -> list[str]:
        i = position[header]
        return [r[i].strip() for r in sample.rows if i < len(r) and r[i].strip()]

    dates = [
        v
        for c in spec.columns
        if c.type == DATE and c.name in matched
        for v in column_values(matched[c.name][0])[:500]
    ]
    date_format = _date_format(dates)

    lines = [
        f"# {MAPS_FOLDER}/{kind}.yml: drafted by `painrcm map suggest` from {Path(path).name}.",
        "# Check every line, fill the values, then run `painrcm map check --inbox DIR`.",
        f'source: "{kind} export of our PM system"',
    ]
    if sample.delimiter != ",":
        lines.append(f"delimiter: {_q(sample.delimiter)}")
    if sample.encoding != "utf-8":
        lines.append(f"encoding: {sample.encoding}")
    if date_format:
        lines.append(f'date_format: "{date_format}"')
    lines.append("columns:")
    unmatched_optional = []
    for c in spec.columns:
        if c.name in matched:
            headers = matched[c.name]
            text = _q(headers[0]) if len(headers) == 1 else "[" + ", ".join(map(_q, headers)) + "]"
            lines.append(f"  {c.name}: {text}")
        elif c.required:
            lines.append(
                f'  # {c.name}: ""  # REQUIRED: no header matched; name its header here '
                "or give it under constants"
            )
        else:
            unmatched_optional.append(c.name)
    if unmatched_optional:
        lines.append("  # not matched (optional, left empty): " + ", ".join(unmatched_optional))
    used = {h for hs in matched.values() for h in hs}
    unused = [h for h in sample.header if h not in used]
    if unused:
        lines.append("  # not used (kept in _extra_columns): " + ", ".join(unused))

    value_lines = []
    for c in spec.columns:
        if c.name not in matched or len(matched[c.name]) != 1:
            continue
        if c.type != ENUM and c.name != "payer_id":
            continue
        seen = sorted(set(column_values(matched[c.name][0])))
        if c.type == ENUM:
            seen = [v for v in seen if v not in c.values]
        if not seen:
            continue
        hint = "one of: " + ", ".join(c.values) if c.type == ENUM else "the payers' payer_id"
        value_lines.append(f"  {c.name}:  # {hint}")
        for v in seen[:MAX_VALUES]:
            guess = _guess(v, c.values) if c.type == ENUM else None
            if guess:
                value_lines.append(f"    {_q(v)}: {guess}")
            else:
                value_lines.append(f"    # {_q(v)}: ")
        if len(seen) > MAX_VALUES:
            value_lines.append(f"    # ... and {len(seen) - MAX_VALUES} more source values")
    if value_lines:
        lines.append("values:  # source value: canonical value (an unlisted value passes as sent)")
        lines.extend(value_lines)
    lines.append("# constants:  # a canonical column the export lacks, one value for every row")
    lines.append('#   place_of_service: "11"')
    return "\n".join(lines) + "\n"
