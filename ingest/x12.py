"""The X12 splitter: bytes -> interchanges, functional groups, transactions and segments.

Why hand-written: the X12 libraries for Python parse by walking the implementation guide's
loop map segment by segment (pyx12's loop-aware reader manages roughly 500 claims a second),
and none of them only *splits* a file. Ingest needs nothing from the loop map: every segment
is stored verbatim and interpreted in SQL (see docs/ARCHITECTURE.md). What the splitter adds
is what a single forward pass knows for free: the envelope control numbers and the enclosing
CLP and SVC positions. So the work is a few C-level passes per interchange (one
`bytes.translate` proving the layout plain, then Arrow's split, or `str.split` for any
other layout; Arrow for the segment ids, numpy for the CLP/SVC context) plus a Python loop
over the envelope segments only (ST, SE, GS, GE, ISA, IEA): about 5.5 million segments
(300k claims) a second. Segment texts stay in Arrow; a Python list of them is built only
for a caller that asks for it (X12File.segment_texts).

Robustness model: a file that is not X12 at all (no ISA, an ISA that cannot be read,
binary bytes) raises `X12Error` naming the file and segment position. Anything the splitter
can still make sense of (an ST with no SE, a missing GE or IEA, a stray or malformed segment)
is returned as an `X12Issue`, so the loader can set aside exactly the damaged part.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

ISA_LENGTH = 106
# Wide enough for an ISA whose fields were not padded to their fixed widths.
_ISA_WINDOW = 400
_LINE_BREAKS = "\r\n"


class X12Error(ValueError):
    """The file cannot be read as X12 at all; names the file and, when known, the segment."""

    def __init__(self, file_name: str, reason: str, position: int | None = None) -> None:
        self.file_name = file_name
        self.reason = reason
        self.position = position
        where = f" at segment {position}" if position is not None else ""
        super().__init__(f"{file_name}{where}: {reason}")


@dataclass(frozen=True)
class Delimiters:
    element: str
    component: str
    segment: str
    # ISA11 is the repetition separator only from 5010 on; in 4010 it holds the standards
    # identifier `U`, which is data, not a delimiter.
    repetition: str | None


@dataclass(frozen=True)
class X12Issue:
    """A problem the splitter worked around.

    kind: `transaction` (the transaction `transaction` cannot be trusted: set it aside),
    `stray` (the segment at `position` belongs to no transaction and is no envelope
    segment: set it aside) or `envelope` (a trailer is missing or disagrees: a note only).
    """

    kind: str
    message: str
    position: int | None = None
    transaction: int | None = None  # index into X12File.transactions


@dataclass
class Interchange:
    index: int
    control_number: str  # ISA13
    sender_id: str  # ISA06, trimmed
    receiver_id: str  # ISA08, trimmed
    version: str  # ISA12
    delimiters: Delimiters
    isa_position: int
    iea_position: int | None = None
    last_position: int = 0  # last segment read under this ISA
    # False for a bare ST..SE file (no ISA): delimiters then come from the ST segment.
    enveloped: bool = True
    declared_groups: int | None = None  # IEA01
    group_count: int = 0  # GS segments read under this ISA


@dataclass
class Group:
    index: int
    interchange: int
    functional_id: str  # GS01
    control_number: str  # GS06
    version: str  # GS08
    gs_position: int
    ge_position: int | None = None
    declared_transactions: int | None = None  # GE01
    transaction_count: int = 0  # ST segments read in this group


@dataclass
class Transaction:
    index: int  # 0-based; `ordinal` is what transaction ids are built from
    ordinal: int  # 1-based ordinal of the ST within the file
    set_id: str  # ST01
    control_number: str  # ST02
    interchange: int
    group: int | None
    first_position: int
    last_position: int
    se_position: int | None = None
    se_declared_count: int | None = None
    version: str = ""  # ST03 (5010), the implementation guide when no GS says it
    # Set aside the transaction: it cannot be trusted.
    problems: list[str] = field(default_factory=list)
    # What the payer sent disagrees with itself or its envelope (SE02, GE01, IEA01, no ISA):
    # the transaction loads and carries the flag, as with a wrong SE01 count.
    flags: list[str] = field(default_factory=list)

    @property
    def segment_count(self) -> int:
        return self.last_position - self.first_position + 1

    @property
    def complete(self) -> bool:
        return self.se_position is not None


class Segment(NamedTuple):
    position: int
    segment_id: str
    text: str
    elements: list[str]
    clp_position: int | None
    svc_position: int | None
    interchange: int


@dataclass(eq=False)  # holds numpy arrays: compared by identity
class X12File:
    """Columnar result: per-segment lists are indexed by position - 1."""

    file_name: str
    # Per piece of the file read (an interchange, junk after its IEA), in file order: the
    # segments' ids and texts as Arrow columns, and their enclosing CLP / SVC position
    # (-1: none). See segment_ids, clp_positions, id_array, text_array, position_array.
    id_chunks: list[pa.Array] = field(default_factory=list)
    text_chunks: list[pa.Array] = field(default_factory=list)
    clp_chunks: list[np.ndarray] = field(default_factory=list)
    svc_chunks: list[np.ndarray] = field(default_factory=list)
    interchanges: list[Interchange] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)
    issues: list[X12Issue] = field(default_factory=list)
    # Positions of the segments an 835 is balanced and navigated by, in file order.
    markers: dict[str, list[int]] = field(
        default_factory=lambda: {"BPR": [], "CLP": [], "SVC": [], "PLB": []}
    )
    _ids: list[str] | None = field(default=None, repr=False, compare=False)
    _texts: list[str] | None = field(default=None, repr=False, compare=False)
    _text_array: pa.Array | None = field(default=None, repr=False, compare=False)
    _length: tuple[int, int] = field(default=(0, 0), repr=False, compare=False)  # chunks, segments
    _clps: list[int | None] = field(default_factory=list, repr=False, compare=False)
    _svcs: list[int | None] = field(default_factory=list, repr=False, compare=False)

    def __len__(self) -> int:
        if self._length[0] != len(self.text_chunks):
            self._length = (len(self.text_chunks), sum(len(c) for c in self.text_chunks))
        return self._length[1]

    @property
    def segment_texts(self) -> list[str]:
        """Each segment's text, indexed by position - 1 (a list built on first use: the 835
        path reads the few texts it needs with text, texts_between and texts_at)."""
        if self._texts is None or len(self._texts) != len(self):
            self._texts = self.text_array().to_pylist()
        return self._texts

    def text(self, position: int) -> str:
        """The text of the segment at `position` (1-based)."""
        return self.texts_between(position, position)[0]

    def texts_between(self, first: int, last: int) -> list[str]:
        """The texts of the segments at positions first..last."""
        if self._texts is not None and len(self._texts) == len(self):
            return self._texts[first - 1 : last]
        return self.text_array().slice(first - 1, last - first + 1).to_pylist()

    def texts_at(self, positions: list[int]) -> list[str]:
        """The texts of the segments at `positions`."""
        if self._texts is not None and len(self._texts) == len(self):
            return [self._texts[p - 1] for p in positions]
        return self.text_array().take(np.asarray(positions, np.int64) - 1).to_pylist()

    @property
    def segment_ids(self) -> list[str]:
        """Each segment's id, upper case, indexed by position - 1 (a list built on first use:
        the hot paths use id_array)."""
        if self._ids is None or len(self._ids) != len(self):
            self._ids = self.id_array().to_pylist()
        return self._ids

    @property
    def clp_positions(self) -> list[int | None]:
        """Position of the enclosing CLP of each segment (None: none), indexed by position - 1
        (a list built on first use, like segment_ids)."""
        if len(self._clps) != len(self):
            self._clps = _as_list(self.clp_chunks)
        return self._clps

    @property
    def svc_positions(self) -> list[int | None]:
        """Position of the enclosing SVC of each segment (None: none), indexed by position - 1."""
        if len(self._svcs) != len(self):
            self._svcs = _as_list(self.svc_chunks)
        return self._svcs

    def position_array(self, loop: str) -> pa.Array:
        """clp_positions or svc_positions (loop "CLP" or "SVC") as an Arrow int32 column."""
        values = _concat(self.clp_chunks if loop == "CLP" else self.svc_chunks)
        return pa.array(values, pa.int32(), mask=values < 0)

    def id_array(self) -> pa.Array:
        """segment_ids as an Arrow string column (built by the splitter)."""
        return _one_array(self.id_chunks)

    def text_array(self) -> pa.Array:
        """segment_texts as an Arrow string column (built by the splitter)."""
        if self._text_array is None or len(self._text_array) != len(self):
            self._text_array = _one_array(self.text_chunks)
        return self._text_array

    def interchange_of(self, position: int) -> Interchange:
        for ic in self.interchanges:
            if ic.isa_position <= position <= ic.last_position:
                return ic
        raise IndexError(position)

    def segments(self) -> Iterator[Segment]:
        """Every segment in file order, with its elements split (slower: for tests, tools)."""
        for ic in self.interchanges:
            sep = ic.delimiters.element
            for pos in range(ic.isa_position, ic.last_position + 1):
                i = pos - 1
                text = self.segment_texts[i]
                yield Segment(
                    pos,
                    self.segment_ids[i],
                    text,
                    text.split(sep)[1:],
                    self.clp_positions[i],
                    self.svc_positions[i],
                    ic.index,
                )


def decode(data: bytes) -> str:
    """Bytes -> text. X12 is ASCII in practice; UTF-8 is tried first so names survive."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # Some payers send Latin-1 names; latin-1 decodes any byte, and real binary junk is
        # caught afterwards by the control-character check.
        text = data.decode("latin-1")
    return text


def split_x12(data: bytes | str, file_name: str) -> X12File:
    """Split one file into segments; raise X12Error if it is not readable X12."""
    text = decode(data) if isinstance(data, bytes) else data.removeprefix("\ufeff")
    # The bytes, when they are the text byte for byte (ASCII): read without encoding again.
    raw = data.removeprefix(b"\xef\xbb\xbf") if isinstance(data, bytes) else None
    if raw is not None and (not text.isascii() or len(raw) != len(text)):
        raw = None
    out = X12File(file_name)
    end = len(text)
    while end and (text[end - 1].isspace() or text[end - 1] == "\ufeff"):
        end -= 1
    start = _skip_space(text, 0, end)
    if start >= end:
        raise X12Error(file_name, "the file is empty")
    if text[start : start + 3].upper() != "ISA":
        if _bare_start(text, start, end):
            _read_bare(text, raw, start, end, out)
            return out
        snippet = text[start : start + 20].encode("unicode_escape").decode("ascii")
        raise X12Error(file_name, f"not an X12 file: it does not begin with ISA ({snippet!r})")
    offset = start
    while offset < end:
        offset = _read_interchange(text, raw, offset, end, out)
    return out


def _bare_start(text: str, start: int, end: int) -> bool:
    """Does the file begin with an ST (or GS) segment, i.e. a transaction without its ISA?"""
    if end - start < 4 or text[start : start + 2].upper() not in ("ST", "GS"):
        return False
    sep = text[start + 2]
    return not sep.isalnum() and not sep.isspace()


def _read_bare(text: str, raw: bytes | None, start: int, end: int, out: X12File) -> None:
    """An envelope-less file (ST..SE, as some portals export ERAs): one pseudo-interchange.

    With no ISA to declare them, the delimiters are read from the first segment: the element
    separator follows the id, the terminator is the first character that cannot belong to
    an ST (or GS) element, the component separator is the one SVC01 uses (':' if none).
    """
    name = out.file_name
    elem = text[start + 2]
    i = start + 3
    while i < end and (text[i].isalnum() or text[i] in (elem, " ")):
        i += 1
    if i >= end:
        raise X12Error(name, "no ISA envelope, and the first segment has no terminator", 1)
    term = text[i]
    if term == "\r" and text[i + 1 : i + 2] == "\n":
        term = "\n"
    m = re.search(rf"SVC{re.escape(elem)}[A-Za-z]{{2}}([^A-Za-z0-9 \t\r\n])", text[start:end])
    comp = m.group(1) if m and m.group(1) not in (elem, term) else ":"
    delims = Delimiters(elem, comp, term, None)
    if len({elem, comp, term}) != 3 or term.isalnum():
        unclear = f"no ISA envelope, and the delimiters are unclear: {elem!r}, {term!r}"
        raise X12Error(name, unclear, 1)
    cut = _cut(text, raw, start, end, delims, 0, name)
    ic = Interchange(
        index=0,
        control_number="",
        sender_id="",
        receiver_id="",
        version="",
        delimiters=delims,
        isa_position=1,
        enveloped=False,
    )
    out.interchanges.append(ic)
    _walk(cut, 0, ic, out)
    ic.last_position = len(out)


def _read_isa(text: str, offset: int, position: int, file_name: str) -> tuple[Delimiters, list]:
    head = text[offset : offset + _ISA_WINDOW]
    if len(head) < 4:
        raise X12Error(file_name, "ISA segment is truncated", position)
    element = head[3]
    parts = head.split(element, 16)
    if len(parts) < 17 or len(parts[16]) < 2:
        found = min(len(parts) - 1, 16)
        raise X12Error(
            file_name,
            f"ISA segment is truncated or malformed: {found} of 16 elements found in "
            f"{len(head)} characters (an ISA is {ISA_LENGTH} characters)",
            position,
        )
    component, segment = parts[16][0], parts[16][1]
    rep = parts[11]
    repetition = rep if len(rep) == 1 and not rep.isalnum() and rep != " " else None
    delims = Delimiters(element, component, segment, repetition)
    chars = [element, component, segment] + ([repetition] if repetition else [])
    problem = None
    if len(set(chars)) != len(chars):
        problem = f"ISA delimiters are not distinct: {chars!r}"
    elif any(c.isalnum() or c == " " for c in chars):
        problem = f"ISA delimiters must not be letters, digits or spaces: {chars!r}"
    elif any(c in _LINE_BREAKS for c in chars if c != segment):
        problem = "a line break can only be the segment terminator"
    if problem:
        raise X12Error(file_name, problem, position)
    return delims, parts[:16]


def _find_end(
    text: str, delims: Delimiters, start: int, end: int, iea: int | None = None
) -> tuple[int, int, bool]:
    """Where this interchange's text ends, where the next one starts, and whether IEA is missing.

    The interchange ends at its IEA, or (trailer missing) where the next ISA starts. str.find
    with a boundary check is much faster than a regex stopping at every terminator.
    iea: the first upper-case IEA at a boundary (_find_iea), when the caller looked already.
    """
    term, elem = delims.segment, delims.element
    if iea is None:
        iea = _find_iea(text, delims, start, end)
    # Only an ISA before the IEA matters: no second search through the rest of the file.
    isa = _find_at_boundary(text, "ISA", start, iea if iea >= 0 else end, term)
    if iea < 0 or 0 <= isa < iea:
        # No upper-case IEA before the next ISA: look for a lower-case trailer (or ISA) the
        # slow, case-blind way, only up to that ISA.
        m = _end_regex(term, elem).search(text, start, isa if isa >= 0 else end)
        if m is not None:
            iea, isa = (m.start(1), -1) if m.group(1) else (-1, m.start(2))
        elif isa < 0:
            return end, end, True
        else:
            iea = -1
    if iea < 0:
        return isa, isa, True
    stop = _segment_end(text, term, iea, end)
    return stop, stop, False


def _find_iea(text: str, delims: Delimiters, start: int, end: int) -> int:
    return _find_at_boundary(text, "IEA" + delims.element, start, end, delims.segment)


def _segment_end(text: str, term: str, at: int, end: int) -> int:
    """Just past the terminator of the segment at `at` (the text's end without one)."""
    t = text.find(term, at, end)
    return end if t < 0 else t + len(term)


def _find_at_boundary(text: str, needle: str, start: int, end: int, term: str) -> int:
    i = text.find(needle, start, end)
    while i >= 0:
        j = i - 1
        while j >= start and text[j] in " \t\r\n\ufeff" and text[j] != term:
            j -= 1
        if j >= start and text[j] == term:
            return i
        i = text.find(needle, i + 1, end)
    return -1


@lru_cache(maxsize=64)
def _end_regex(term: str, elem: str) -> re.Pattern[str]:
    return re.compile(rf"{re.escape(term)}\s*(?:(IEA){re.escape(elem)}|(ISA))", re.IGNORECASE)


@lru_cache(maxsize=64)
def _binary_pattern(delims: Delimiters) -> re.Pattern[str]:
    allowed = {delims.element, delims.component, delims.segment, delims.repetition}
    bad = "".join(
        c for c in map(chr, [*range(0x00, 0x20), 0x7F]) if c not in allowed and c not in "\r\n"
    )
    return re.compile(f"[{re.escape(bad)}]")


def _read_interchange(text: str, raw: bytes | None, offset: int, end: int, out: X12File) -> int:
    """Read the interchange starting at `offset`; return where the next one starts."""
    name = out.file_name
    base = len(out)  # segments before this interchange
    delims, isa = _read_isa(text, offset, base + 1, name)
    term = delims.segment
    # The usual interchange: an upper-case IEA ends it and the text up to it is plainly laid
    # out. Cutting that text first shows any ISA before the IEA among the segments' ids,
    # which spares _find_end its second search through the whole text; otherwise _find_end
    # decides where the interchange ends, as it always did.
    iea = _find_iea(text, delims, offset + 3, end)
    stop = _segment_end(text, term, iea, end) if iea >= 0 else -1
    cut = _plain_interchange(text, raw, offset, stop, term) if iea >= 0 else None
    if cut is not None:
        chunk_end = next_offset = stop
        missing_iea = False
    else:
        chunk_end, next_offset, missing_iea = _find_end(text, delims, offset + 3, end, iea)
        # the plain cut of that same text failed already: straight to the general one
        cut = _cut(text, raw, offset, chunk_end, delims, base, name, plain=chunk_end != stop)

    ic = Interchange(
        index=len(out.interchanges),
        control_number=isa[13],
        sender_id=isa[6].strip(),
        receiver_id=isa[8].strip(),
        version=isa[12],
        delimiters=delims,
        isa_position=base + 1,
    )
    out.interchanges.append(ic)
    opened = len(out.transactions)
    _walk(cut, base, ic, out)
    ic.last_position = len(out)
    if len(out.transactions) == opened:
        problem = _terminator_problem(text[offset:chunk_end], delims)
        if problem:
            raise X12Error(name, problem, base + 1)
    if missing_iea:
        out.issues.append(
            X12Issue(
                "envelope",
                f"interchange {ic.control_number} has no IEA trailer (file truncated?)",
                ic.last_position,
            )
        )
    next_offset = _skip_space(text, next_offset, end)
    if next_offset < end and text[next_offset : next_offset + 3].upper() != "ISA":
        # Junk after an IEA: keep it as stray segments up to the next ISA, if any.
        m2 = _end_regex(term, "\x00").search(text, next_offset, end)
        junk_end = m2.start(2) if m2 and m2.group(2) else end
        position = len(out)
        for piece in text[next_offset:junk_end].split(term):
            piece = piece.strip()
            if piece:
                position += 1
                out.id_chunks.append(pa.array([_segment_id(piece, delims.element)], pa.string()))
                out.text_chunks.append(pa.array([piece], pa.string()))
                out.clp_chunks.append(_NONE_1)
                out.svc_chunks.append(_NONE_1)
                msg = "data after the IEA trailer, outside any interchange"
                out.issues.append(X12Issue("stray", msg, position))
        ic.last_position = position
        next_offset = junk_end
    return next_offset


class _Cut(NamedTuple):
    """One interchange's segments as an Arrow column, and the Arrow column of their first
    four characters, dictionary-encoded (what their ids are read from)."""

    texts: pa.Array
    keys: pa.DictionaryArray


def _cut(
    text: str,
    raw: bytes | None,
    start: int,
    stop: int,
    delims: Delimiters,
    base: int,
    name: str,
    plain: bool = True,
) -> _Cut:
    """One interchange's text (text[start:stop]) -> its segments; raise X12Error on binary
    data. raw: the file's bytes when they are its text byte for byte, else None.
    plain=False: the caller knows _plain_chunk fails on this text.

    A plainly laid out chunk (_plain_cut) is cut by Arrow in one pass, with no Python
    string per segment; the general path (`_pieces`, `_check_binary`, then an Arrow column
    of the pieces) costs more passes over the text (the line-break `replace`, indentation
    searches, `isprintable`, `str.split`, `pa.array`): split_x12 of bench/ingest_835.py's
    100k-claim file took 0.68 s before the fast path, 0.33 s with it.
    """
    if plain:
        cut = _plain_chunk(text, raw, start, stop, delims.segment)
        if cut is not None:
            return cut
    pieces, chunk = _pieces(text[start:stop], delims.segment)
    _check_binary(chunk, delims, base, name)
    texts = pa.array(pieces, pa.string())
    return _Cut(texts, _id_keys(texts))


def _plain_chunk(text: str, raw: bytes | None, start: int, stop: int, term: str) -> _Cut | None:
    """text[start:stop] cut by _plain_cut, when it is plain and no segment of it is blank or
    indented; else None (the general path decides)."""
    texts = _plain_cut(text[start:stop] if raw is None else raw[start:stop], term)
    if texts is None:
        return None
    keys = _id_keys(texts, ascii=True)
    # Indentation or a blank segment shows as a key that is empty or starts with a space or
    # tab (the general path drops those).
    if any(k[:1] in ("", " ", "\t") for k in keys.dictionary.to_pylist()):
        return None
    return _Cut(texts, keys)


def _plain_interchange(
    text: str, raw: bytes | None, start: int, stop: int, term: str
) -> _Cut | None:
    """_plain_chunk of an interchange's text up to its first IEA, unless a segment after its
    ISA begins with ISA: _find_end would end the interchange there (a plain chunk has no
    whitespace between a terminator and the next segment, so every ISA at a segment
    boundary begins a segment)."""
    cut = _plain_chunk(text, raw, start, stop, term)
    if cut is None:
        return None
    dictionary = cut.keys.dictionary.to_pylist()
    isa = [i for i, k in enumerate(dictionary) if k.startswith("ISA")]
    if isa:
        indices = cut.keys.indices
        after_first = indices.slice(1)
        if pc.any(pc.is_in(after_first, pa.array(isa, indices.type))).as_py():
            return None
    return cut


def _id_keys(texts: pa.Array, ascii: bool = False) -> pa.DictionaryArray:
    if ascii:  # a byte is a character: slicing bytes is the same, without UTF-8 decoding
        head = pc.binary_slice(texts.view(pa.binary()), 0, 4).view(pa.string())
    else:
        head = pc.utf8_slice_codeunits(texts, 0, 4)
    return head.dictionary_encode()


@lru_cache(maxsize=64)
def _ordinary_bytes(term: str) -> bytes:
    """Printable ASCII but the terminator: what segments are made of."""
    return bytes(c for c in range(0x20, 0x7F) if chr(c) != term)


def _plain_cut(chunk: str | bytes, term: str) -> pa.Array | None:
    """The segments of a plainly laid out chunk as an Arrow column; None if it is not plain.

    Plain: ASCII, every terminator followed by the same line break (CRLF or LF) or all by
    none (the last one may lack it), no other line break or control character. Deleting
    the ordinary bytes (one C pass, `bytes.translate`) leaves the terminators, line
    breaks and control characters in order: that remainder must be the separator
    (terminator and line break) repeated, and the text must split into one piece more
    than the separators it holds (so each terminator touches its line break). Then
    _pieces would give the same segments and _check_binary would find nothing, as long
    as no segment is blank or indented (_cut checks that on the ids).
    """
    if len(term) != 1 or term in _LINE_BREAKS or not chunk.isascii() or not term.isascii():
        return None
    data = chunk.encode("ascii") if isinstance(chunk, str) else chunk
    if len(data) >= 2**31:  # beyond an Arrow string's 32-bit offsets
        return None
    rest = data.translate(None, _ordinary_bytes(term))
    for sep in (term + "\r\n", term + "\n", term):
        unit = sep.encode("ascii")
        count = len(rest) // len(unit)
        if rest[: count * len(unit)] != unit * count:
            continue
        end = len(data)
        if rest[count * len(unit) :] == unit[:1]:  # a last terminator without line break
            if not data.endswith(unit[:1]):
                return None  # with data after it: rare, left to the general path
            end, count = end - 1, count + 1
        elif rest[count * len(unit) :]:
            continue
        elif count and data.endswith(unit):
            end -= len(unit)
        else:
            count += 1
        # The text without its last separator holds count - 1 of them: count pieces.
        whole = pa.Array.from_buffers(
            pa.string(), 1, [None, pa.py_buffer(np.array([0, end], np.int32)), pa.py_buffer(data)]
        )
        texts = pc.split_pattern(whole, sep).flatten()
        return texts if len(texts) == count else None
    return None


def _pieces(chunk: str, term: str) -> tuple[list[str], str]:
    """One interchange's text -> its segments (and the text they were cut from).

    Whitespace between segments (line breaks, indentation, a BOM where files were joined,
    blank lines) is not part of any segment. The extra passes run only when such
    whitespace is there (a `term + " "` search is one C-level scan).
    """
    if "\ufeff" in chunk:
        chunk = chunk.replace("\ufeff", "")
    if term not in _LINE_BREAKS:
        # CR/LF can then never be data: dropping them all handles segments followed by
        # line breaks and files wrapped at a fixed width alike.
        if "\r\n" in chunk:
            chunk = chunk.replace("\r\n", "")
        if "\n" in chunk:
            chunk = chunk.replace("\n", "")
        if "\r" in chunk:
            chunk = chunk.replace("\r", "")
        if term + " " in chunk or term + "\t" in chunk:
            chunk = _indent_regex(term).sub(r"\1", chunk)
        pieces = chunk.split(term)
    else:
        if any(w in chunk for w in ("\n ", "\n\t", "\r ", "\r\t")):
            chunk = _indent_regex("\r\n").sub(r"\1", chunk)
        pieces = [p.strip(_LINE_BREAKS) for p in chunk.split(term)]
    while pieces and not pieces[-1].strip():
        pieces.pop()
    if "" in pieces:
        # Blank lines between segments (or `~~`) are not segments: they get no position.
        pieces = [p for p in pieces if p]
    return pieces, chunk


@lru_cache(maxsize=64)
def _indent_regex(after: str) -> re.Pattern[str]:
    """Spaces and tabs that follow a terminator (or a line break): indentation, not data."""
    return re.compile(f"([{re.escape(after)}])[ \t]+")


def _check_binary(chunk: str, delims: Delimiters, base: int, name: str) -> None:
    # isprintable() is one fast pass; the regex only runs to say where the junk is (or when
    # a delimiter is itself a control character).
    if not chunk.isprintable():
        bad = _binary_pattern(delims).search(chunk)
        if bad:
            pos = base + chunk.count(delims.segment, 0, bad.start()) + 1
            raise X12Error(name, f"binary data (byte 0x{ord(bad.group()):02x}) in segment", pos)


# Segment ids that start most segments of an 835 envelope and body.
_COMMON_IDS = "ST|SE|GS|GE|BPR|TRN|CLP|SVC|CAS|IEA"


def _terminator_problem(raw: str, delims: Delimiters) -> str | None:
    """When an interchange yields no transaction: is its segment terminator the wrong one?

    The terminator is whatever follows ISA16. If other characters end the segments that
    follow (what precedes `GS*`, `ST*`, `CLP*` ... most often), the ISA declares the wrong
    terminator (or the file was re-terminated after the ISA was written). Runs only on the
    refused path.
    """
    pattern = rf"([^A-Za-z0-9 \t])[ \t]*(?:{_COMMON_IDS}){re.escape(delims.element)}"
    found = Counter(m.group(1) for m in re.finditer(pattern, raw[3:], re.IGNORECASE))
    found.pop(delims.element, None)
    found.pop(delims.component, None)
    if not found:
        return None
    char, n = found.most_common(1)[0]
    if char == delims.segment or n < 2 or raw.count(delims.segment) - 1 >= n:
        return None
    return (
        f"wrong segment terminator: the ISA declares {delims.segment!r} (the character after "
        f"ISA16) but the segments that follow end with {char!r}"
    )


_NON_SPACE = re.compile(r"[^\s\ufeff]")


def _skip_space(text: str, i: int, end: int) -> int:
    m = _NON_SPACE.search(text, i, end)
    return m.start() if m else end


_VALID_ID = re.compile(r"[A-Z][A-Z0-9]{1,2}\Z")
_FIRST_FOUR = itemgetter(slice(None, 4))


def _segment_id(piece: str, element: str) -> str:
    i = piece.find(element)
    return (piece if i < 0 else piece[:i]).upper()


# Segments that open or close an envelope level, then those a CLP/SVC context or the
# balancing check needs (BPR: its position is wanted for balancing).
_ENVELOPE_EVENTS = ("ST", "SE", "GS", "GE", "ISA", "IEA")
_LOOP_EVENTS = ("CLP", "SVC", "PLB", "BPR")
_EVENT_IDS = pa.array(_ENVELOPE_EVENTS + _LOOP_EVENTS, pa.string())
_CLP, _SVC, _PLB, _BPR = (len(_ENVELOPE_EVENTS) + k for k in range(4))
_ENVELOPE = frozenset({"ISA", "GS", "GE", "IEA"})
_NONE_1 = np.full(1, -1, np.int32)


def _walk(cut: _Cut, base: int, ic: Interchange, out: X12File) -> None:
    """Segment ids, CLP/SVC context and envelope structure of one interchange.

    Written for speed: ids come from Arrow (`_segment_ids`: each distinct first four
    characters worked out once); the CLP/SVC context of every segment is a vectorised forward fill
    (`_loop_context`), and only the envelope segments (ST, SE, GS, GE, ISA, IEA: a few per
    transaction) are visited one by one.
    """
    elem = ic.delimiters.element
    texts = cut.texts
    n = len(texts)
    id_array, bad_ids = _segment_ids(cut.keys, texts, elem)
    # Which event (index into _EVENT_IDS) each segment is, -1 for none: one C++ pass.
    events = pc.fill_null(pc.index_in(id_array, value_set=_EVENT_IDS), -1).to_numpy()
    markers = out.markers
    for kind, code in (("CLP", _CLP), ("SVC", _SVC), ("PLB", _PLB), ("BPR", _BPR)):
        markers[kind].extend((np.flatnonzero(events == code) + (base + 1)).tolist())
    clps, svcs = _loop_context(events, base)

    group: Group | None = None
    txn: Transaction | None = None
    txns: list[Transaction] = []
    gap_from = 0  # first index after the previous envelope segment
    envelope = np.flatnonzero((events >= 0) & (events < len(_ENVELOPE_EVENTS)))
    for i, text in zip(envelope.tolist(), texts.take(envelope).to_pylist(), strict=True):
        pos = base + i + 1
        sid = _ENVELOPE_EVENTS[events[i]]
        if txn is None and gap_from < i:
            # outside ST/SE, every segment but an envelope one is a stray (a CLP too)
            _strays(id_array, bad_ids, gap_from, i, base, out)
        gap_from = i + 1
        els = text.split(elem)
        if sid == "ST":
            if txn is not None:
                _close_unfinished(txn, pos - 1, out)
            txn = Transaction(
                index=len(out.transactions),
                ordinal=len(out.transactions) + 1,
                set_id=_el(els, 1),
                control_number=_el(els, 2),
                interchange=ic.index,
                group=group.index if group else None,
                first_position=pos,
                last_position=pos,
                version=_el(els, 3),
            )
            out.transactions.append(txn)
            txns.append(txn)
            if not ic.enveloped:
                txn.flags.append("no ISA envelope")
            elif group is None:
                msg = f"ST at segment {pos} is outside a GS/GE functional group"
                txn.problems.append(msg)
                out.issues.append(X12Issue("transaction", msg, pos, txn.index))
            else:
                group.transaction_count += 1
        elif sid == "SE":
            if txn is None:
                out.issues.append(X12Issue("stray", f"SE at segment {pos} has no ST", pos))
            else:
                txn.last_position = txn.se_position = pos
                txn.se_declared_count = _int(_el(els, 1))
                if _el(els, 2) != txn.control_number:
                    # What the payer sent: flagged like a wrong SE01 count, not set aside.
                    txn.flags.append(
                        f"SE02 {_el(els, 2)!r} at segment {pos} does not match "
                        f"ST02 {txn.control_number!r}"
                    )
                txn = None
        else:
            if txn is not None:
                _close_unfinished(txn, pos - 1, out)
                txn = None
            if sid == "GS":
                if group is not None:
                    _note(out, f"GS {group.control_number} has no GE trailer", pos - 1)
                group = Group(
                    index=len(out.groups),
                    interchange=ic.index,
                    functional_id=_el(els, 1),
                    control_number=_el(els, 6),
                    version=_el(els, 8),
                    gs_position=pos,
                )
                out.groups.append(group)
                ic.group_count += 1
            elif sid == "GE":
                if group is None:
                    _note(out, f"GE at segment {pos} has no GS", pos)
                else:
                    group.ge_position = pos
                    if _el(els, 2) != group.control_number:
                        msg = f"GE02 {_el(els, 2)!r} does not match GS06 {group.control_number!r}"
                        _note(out, msg, pos)
                    group.declared_transactions = _int(_el(els, 1))
                    if group.declared_transactions != group.transaction_count:
                        msg = (
                            f"GE01 at segment {pos} declares {_el(els, 1)!r} transaction sets, "
                            f"group {group.control_number} holds {group.transaction_count}"
                        )
                        flagged = [t for t in txns if t.group == group.index]
                        for t in flagged:
                            t.flags.append(msg)
                        if not flagged:
                            _note(out, msg, pos)
                    group = None
            elif sid == "IEA":
                if group is not None:
                    _note(out, f"GS {group.control_number} has no GE trailer", pos - 1)
                    group = None
                ic.iea_position = pos
                if _el(els, 2) != ic.control_number:
                    msg = f"IEA02 {_el(els, 2)!r} does not match ISA13 {ic.control_number!r}"
                    _note(out, msg, pos)
                ic.declared_groups = _int(_el(els, 1))
                if ic.declared_groups != ic.group_count:
                    msg = (
                        f"IEA01 at segment {pos} declares {_el(els, 1)!r} functional groups, "
                        f"interchange {ic.control_number} holds {ic.group_count}"
                    )
                    for t in txns:
                        t.flags.append(msg)
                    if not txns:
                        _note(out, msg, pos)
            elif sid == "ISA" and i:
                out.issues.append(X12Issue("stray", f"second ISA at segment {pos}", pos))
    if txn is not None:
        _close_unfinished(txn, base + n, out)
    elif gap_from < n:
        _strays(id_array, bad_ids, gap_from, n, base, out)
    if group is not None:
        _note(out, f"GS {group.control_number} has no GE trailer", base + n)
    if bad_ids:
        _bad_segments(id_array.to_pylist(), texts, bad_ids, txns, base, out)
    out.text_chunks.append(texts)
    out.id_chunks.append(id_array)
    out.clp_chunks.append(clps)
    out.svc_chunks.append(svcs)


def _segment_ids(keys: pa.DictionaryArray, texts: pa.Array, elem: str) -> tuple[pa.Array, set[str]]:
    """Each segment's id (upper case) and the set of ids that are no valid X12 segment id.

    The first four characters decide the id of any segment whose id has 2 or 3 characters
    (`N1*x`, `CLP*`, `SE`): Arrow cuts and dictionary-encodes them (a few dozen distinct
    keys in a file), each key is worked out once here, and Arrow maps them back.
    """
    key_ids: list[str | None] = []
    bad_ids: set[str] = set()
    for key in keys.dictionary.to_pylist():
        i = key.find(elem)
        if i < 0 and len(key) == 4:
            key_ids.append(None)  # an id of 4+ characters: invalid, read from the whole piece
            continue
        sid = (key if i < 0 else key[:i]).upper()
        key_ids.append(sid)
        if not _VALID_ID.match(sid):
            bad_ids.add(sid)
    ids = pa.array(key_ids, pa.string()).take(keys.indices)
    if None in key_ids:
        slow = ids.to_pylist()
        for i, sid in enumerate(slow):
            if sid is None:
                slow[i] = sid = _segment_id(texts[i].as_py(), elem)
                bad_ids.add(sid)
        ids = pa.array(slow, pa.string())
    return ids, bad_ids


def _loop_context(events: np.ndarray, base: int) -> tuple[np.ndarray, np.ndarray]:
    """The enclosing CLP and SVC position of every segment (-1: none), from its event code.

    A CLP opens a claim payment that lasts until the next CLP, PLB or envelope segment; an
    SVC opens a service line that lasts until the next SVC, CLP, PLB or envelope segment
    (a BPR ends neither). Each is a forward fill of the last opening or closing segment.
    """
    index = np.arange(len(events), dtype=np.int32)
    is_event = events >= 0
    carries_clp = (events == _SVC) | (events == _BPR)
    clp = _forward_fill(index, events == _CLP, is_event & ~carries_clp, base)
    svc = _forward_fill(index, events == _SVC, is_event & (events != _BPR), base)
    return clp, svc


def _forward_fill(index: np.ndarray, opens: np.ndarray, sets: np.ndarray, base: int) -> np.ndarray:
    """For each segment, the position of the last segment at or before it that `sets` the
    context, when that one `opens` it (else -1): a running maximum of indices."""
    last = np.where(sets, index, -1)
    np.maximum.accumulate(last, out=last)
    found = last >= 0
    opened = np.zeros(len(index), bool)
    opened[found] = opens[last[found]]
    return np.where(opened, last + (base + 1), -1).astype(np.int32, copy=False)


def _one_array(chunks: list[pa.Array]) -> pa.Array:
    # A file is most often one interchange: its array is used as is, not copied.
    if len(chunks) == 1:
        return chunks[0]
    return pa.concat_arrays(chunks) if chunks else pa.array([], pa.string())


def _as_list(chunks: list[np.ndarray]) -> list[int | None]:
    return [None if v < 0 else v for v in _concat(chunks).tolist()]


def _concat(chunks: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(chunks) if chunks else np.empty(0, np.int32)


def _strays(ids: pa.Array, bad_ids: set[str], a: int, b: int, base: int, out: X12File) -> None:
    """Segments a..b-1 (0-based in the interchange) lie outside any ST/SE."""
    for i, sid in enumerate(ids.slice(a, b - a).to_pylist(), a):
        if sid not in _ENVELOPE and sid not in bad_ids:  # bad ids get their own message
            pos = base + i + 1
            out.issues.append(X12Issue("stray", f"{sid} at segment {pos} is outside ST/SE", pos))


def _bad_segments(
    ids: list[str],
    texts: pa.Array,
    bad_ids: set[str],
    txns: list[Transaction],
    base: int,
    out: X12File,
) -> None:
    for i, sid in enumerate(ids):
        if sid not in bad_ids:
            continue
        pos = base + i + 1
        msg = f"segment {pos} is not an X12 segment (starts {texts[i].as_py()[:10]!r})"
        owner = next((t for t in txns if t.first_position <= pos <= t.last_position), None)
        if owner is None:
            out.issues.append(X12Issue("stray", msg, pos))
        else:
            owner.problems.append(msg)
            out.issues.append(X12Issue("transaction", msg, pos, owner.index))


def _close_unfinished(txn: Transaction, last: int, out: X12File) -> None:
    txn.last_position = max(last, txn.first_position)
    msg = (
        f"transaction ST02 {txn.control_number!r} starting at segment {txn.first_position} "
        "has no SE trailer (file truncated?)"
    )
    txn.problems.append(msg)
    out.issues.append(X12Issue("transaction", msg, txn.first_position, txn.index))


def _note(out: X12File, message: str, position: int | None) -> None:
    out.issues.append(X12Issue("envelope", message, position))


def _el(els: list[str], n: int) -> str:
    return els[n] if len(els) > n else ""


def _int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None
