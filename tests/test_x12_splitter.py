"""ingest.x12: the splitter against pyx12 on real-shaped files, and property tests."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ingest.x12 import (
    Delimiters,
    X12Error,
    _check_binary,
    _cut,
    _pieces,
    _plain_interchange,
    split_x12,
)

FIXTURES = Path(__file__).parent / "fixtures" / "x12"
VALID = ["era_5010_bcbs.835", "medicare_4010.txt", "multi_st.edi", "unbalanced_bpr.835"]


def _interchange_texts(path: Path) -> list[str]:
    """pyx12 reads one interchange from a clean start: give it each one on its own."""
    x12 = split_x12(path.read_bytes(), path.name)
    text = path.read_bytes().decode("utf-8-sig").lstrip()
    starts = [i for i in range(len(text)) if text.startswith("ISA", i)]
    return [text[a:b].rstrip() for a, b in zip(starts, [*starts[1:], len(text)], strict=True)][
        : len(x12.interchanges)
    ]


def _pyx12_segments(text: str) -> list[tuple[str, list[str], str]]:
    """(id, elements, loop path) per segment, from pyx12's loop-aware reader."""
    import pyx12.error_handler
    import pyx12.params
    import pyx12.x12context

    reader = pyx12.x12context.X12ContextReader(
        pyx12.params.params(), pyx12.error_handler.errh_null(), io.StringIO(text)
    )
    out = []
    for node in reader.iter_segments():
        seg = node.seg_data
        term = reader.src.subele_term if seg.get_seg_id() != "ISA" else reader.src.ele_term
        out.append((seg.get_seg_id(), [c.format(term) for c in seg.elements], node.cur_path))
    return out


@pytest.mark.parametrize("name", [*VALID, "two_interchanges.x12"])
def test_segments_match_pyx12(name: str) -> None:
    path = FIXTURES / name
    x12 = split_x12(path.read_bytes(), name)
    ours = list(x12.segments())
    theirs = [s for text in _interchange_texts(path) for s in _pyx12_segments(text)]
    assert [s.segment_id for s in ours] == [t[0] for t in theirs]
    for seg, (_, elements, _) in zip(ours, theirs, strict=True):
        # pyx12 drops trailing empty components inside a composite; we keep text as sent.
        assert seg.elements[: len(elements)] == elements or [
            e.rstrip(":>") for e in seg.elements
        ] == [e.rstrip(":>") for e in elements]
        assert all(e == "" for e in seg.elements[len(elements) :])


@pytest.mark.parametrize("name", VALID)
def test_clp_svc_context_matches_pyx12_loops(name: str) -> None:
    path = FIXTURES / name
    x12 = split_x12(path.read_bytes(), name)
    theirs = [s for text in _interchange_texts(path) for s in _pyx12_segments(text)]
    last_clp = last_svc = None
    for seg, (sid, _, loop_path) in zip(x12.segments(), theirs, strict=True):
        if sid == "CLP":
            last_clp = seg.position
        if sid == "SVC":
            last_svc = seg.position
        if "/2100/" in loop_path:  # claim payment loop and its service lines
            assert seg.clp_position == last_clp, (seg, loop_path)
        if "/2110/" in loop_path:
            assert seg.svc_position == last_svc, (seg, loop_path)
        else:
            assert seg.svc_position is None, (seg, loop_path)
        if "/2000/" not in loop_path and "/2100/" not in loop_path:
            # Header, PLB footer, envelope: outside any claim. (An LX opening a later 2000
            # loop still carries the previous CLP: the contract ends CLP context only at
            # CLP, PLB and SE.)
            assert seg.clp_position is None, (seg, loop_path)


def test_era_5010_structure() -> None:
    x12 = split_x12((FIXTURES / "era_5010_bcbs.835").read_bytes(), "era_5010_bcbs.835")
    assert not x12.issues
    (ic,) = x12.interchanges
    assert (ic.control_number, ic.sender_id, ic.receiver_id, ic.version) == (
        "000004711",
        "BCBSTX835",
        "PAINCLINIC01",
        "00501",
    )
    d = ic.delimiters
    assert (d.element, d.component, d.segment, d.repetition) == ("*", ":", "~", "^")
    (g,) = x12.groups
    assert (g.functional_id, g.control_number, g.version) == ("HP", "4711", "005010X221A1")
    (t,) = x12.transactions
    assert (t.set_id, t.control_number, t.first_position, t.last_position) == ("835", "0001", 3, 69)
    assert t.se_declared_count == t.segment_count == 67
    segs = {s.position: s for s in x12.segments()}
    assert segs[27].text == "SVC*HC:64483:50*1450*760.4**1"
    assert segs[27].elements[0] == "HC:64483:50"
    assert (segs[28].clp_position, segs[28].svc_position) == (19, 27)
    assert segs[68].segment_id == "PLB" and segs[68].clp_position is None


def test_4010_u_is_not_a_repetition_separator() -> None:
    x12 = split_x12((FIXTURES / "medicare_4010.txt").read_bytes(), "medicare_4010.txt")
    d = x12.interchanges[0].delimiters
    assert (d.element, d.component, d.segment, d.repetition) == ("*", ">", "~", None)
    assert x12.groups[0].version == "004010X091A1"
    assert "SVC*HC>64490>LT*980*562.36**1" in x12.segment_texts


def test_two_interchanges_with_different_delimiters() -> None:
    x12 = split_x12((FIXTURES / "two_interchanges.x12").read_bytes(), "two_interchanges.x12")
    assert not x12.issues
    assert [i.delimiters.element for i in x12.interchanges] == ["*", "|"]
    assert [i.delimiters.component for i in x12.interchanges] == [":", ">"]
    assert [t.ordinal for t in x12.transactions] == [1, 2]
    assert x12.interchanges[1].isa_position == 24
    assert x12.segment_texts[-1] == "IEA|1|000777002"
    assert "SVC|HC>64483>RT>59|300|96.15||1" in x12.segment_texts


def test_lower_case_ids_are_upper_cased_text_kept() -> None:
    text = (FIXTURES / "multi_st.edi").read_text("utf-8-sig").replace("DTM*472", "dtm*472")
    x12 = split_x12(text, "lower.edi")
    assert not x12.issues
    i = x12.segment_texts.index("dtm*472*20260302")
    assert x12.segment_ids[i] == "DTM"


def test_truncated_file_reports_the_open_transaction() -> None:
    x12 = split_x12((FIXTURES / "truncated.835").read_bytes(), "truncated.835")
    assert [t.complete for t in x12.transactions] == [True, False]
    t = x12.transactions[1]
    assert (t.first_position, t.last_position) == (18, 30)
    assert "no SE trailer" in t.problems[0]
    kinds = sorted(i.kind for i in x12.issues)
    assert kinds == ["envelope", "envelope", "transaction"]
    assert x12.segment_texts[-1] == "CAS*CO*4"


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"", "empty"),
        (b"  \r\n ", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "does not begin with ISA"),
        (b"ISA*00*          *00*          *ZZ*BCBSTX83", "truncated"),
        (b"ISA", "truncated"),
        (b"ISA*00*00*ZZ*A*ZZ*B*260101*1200*^*00501*1*0*P*:", "truncated"),
        (b"ISA*00*          *00*  ", "truncated"),
    ],
)
def test_unreadable_files_raise_x12error(data: bytes, needle: str) -> None:
    with pytest.raises(X12Error, match=needle) as err:
        split_x12(data, "bad.835")
    assert err.value.file_name == "bad.835"
    assert str(err.value).startswith("bad.835")


def test_binary_data_names_the_segment() -> None:
    data = (FIXTURES / "era_5010_bcbs.835").read_bytes().replace(b"TRN*1", b"TRN\x00\x01*1")
    with pytest.raises(X12Error, match="binary data") as err:
        split_x12(data, "bin.835")
    assert err.value.position == 5


def test_variable_width_isa_is_read_by_elements() -> None:
    data = b"ISA*00**00**ZZ*PAYER*ZZ*PRACTICE*260101*1200*^*00501*7*0*P*:~IEA*0*7~"
    x12 = split_x12(data, "short.835")
    assert x12.interchanges[0].control_number == "7"
    assert x12.segment_ids == ["ISA", "IEA"]


# --- property tests -------------------------------------------------------------------

# Characters X12 files use as delimiters (printable specials and the C0 separators).
DELIMS = list("~*:^>|!\\{}[]`'\"#$%&+,/;<=?@_") + ["\x1c", "\x1d", "\x1e", "\x1f", "\x07"]
SEGMENT_IDS = ["BPR", "TRN", "REF", "DTM", "N1", "N3", "N4", "LX", "CLP", "CAS", "NM1", "MOA"]
SEGMENT_IDS += ["SVC", "AMT", "LQ", "PLB", "PER", "QTY"]
DATA = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyz0123456789 .-"


@st.composite
def delimiters(draw):
    elem, comp, rep = draw(st.lists(st.sampled_from(DELIMS), min_size=3, max_size=3, unique=True))
    term = draw(st.sampled_from([c for c in [*DELIMS, "\n", "\r"] if c not in (elem, comp, rep)]))
    four = draw(st.booleans())  # 4010: ISA11 is `U`
    return elem, comp, None if four else rep, term


@st.composite
def segment(draw, elem, comp):
    sid = draw(st.sampled_from(SEGMENT_IDS))
    value = st.text(DATA, max_size=8)
    element = st.one_of(value, st.lists(value, min_size=2, max_size=3).map(comp.join))
    return elem.join([sid, *draw(st.lists(element, min_size=1, max_size=6))])


@st.composite
def interchange(draw, icn: int):
    elem, comp, rep, term = draw(delimiters())
    body = draw(st.lists(segment(elem, comp), max_size=25))
    ver = "00401" if rep is None else "00501"
    isa = elem.join(
        ["ISA", "00", " " * 10, "00", " " * 10, "ZZ", "PAYER".ljust(15), "ZZ"]
        + ["PRACTICE".ljust(15), "260101", "1200", rep or "U", ver, f"{icn:09d}", "0", "P", comp]
    )
    assert len(isa) == 105
    segs = [isa, elem.join(["GS", "HP", "PAYER", "PRACTICE", "20260101", "1200", str(icn)])]
    segs[-1] += elem + "X" + elem + "005010X221A1"
    segs += [elem.join(["ST", "835", "0001"]), *body, elem.join(["SE", str(len(body) + 2), "0001"])]
    segs += [elem.join(["GE", "1", str(icn)]), elem.join(["IEA", "1", f"{icn:09d}"])]
    return (elem, comp, rep, term), segs


line_break = st.sampled_from(["", "\n", "\r\n", "\r"])
# Pretty-printing: what tools put before a segment (#17: tolerated, not data).
indentation = st.sampled_from(["", "", "  ", "    ", "\t", " \t"])
# Between interchanges of a concatenated or re-sent file: a BOM of the joined file, blanks.
joint = st.sampled_from(["", "\ufeff", "\n\ufeff", "\r\n\r\n", "\n\n  "])


def _render(draw, segs: list[str], term: str) -> str:
    brk = draw(line_break)
    pretty = draw(st.booleans())
    if pretty and term in "\r\n" and brk == "":
        brk = term  # indentation needs something to follow: a line break is one
    # one draw per interchange (not per segment) keeps the generation cheap
    pad = draw(indentation) if pretty else ""
    blank = draw(st.sampled_from(["", brk])) if pretty else ""
    return segs[0] + term + brk + "".join(pad + s + term + brk + blank for s in segs[1:])


@st.composite
def x12_file(draw):
    n = draw(st.integers(1, 3))
    parts, all_segs, seps = [], [], []
    for icn in range(1, n + 1):
        (elem, comp, rep, term), segs = draw(interchange(icn))
        parts.append(_render(draw, segs, term))
        all_segs.append(segs)
        seps.append(elem)
        if draw(st.integers(0, 4)) == 0:
            # a re-send: the same interchange again, formatted its own way
            parts.append(_render(draw, segs, term))
            all_segs.append(segs)
            seps.append(elem)
    lead = draw(st.sampled_from(["", "\ufeff", "\r\n", "  \n", "\ufeff\n"]))
    trail = draw(st.sampled_from(["", "\n", "  \r\n\t", "\n\n"]))
    body = "".join(p if i == 0 else draw(joint) + p for i, p in enumerate(parts))
    return lead + body + trail, all_segs, seps


def _expected_context(segs: list[str], elem: str, base: int):
    clp = svc = None
    out = []
    for pos, s in enumerate(segs, base + 1):
        sid = s.split(elem)[0]
        if sid == "CLP":
            clp, svc = pos, None
        elif sid == "SVC":
            svc = pos
        elif sid in ("PLB", "SE", "ST", "GS", "GE", "ISA", "IEA"):
            clp = svc = None
        out.append((clp, svc))
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(x12_file())
def test_valid_interchanges_round_trip(case) -> None:
    text, all_segs, seps = case
    x12 = split_x12(text.encode("utf-8"), "gen.835")
    assert not x12.issues
    flat = [s for segs in all_segs for s in segs]
    assert x12.segment_texts == flat
    pairs = zip(all_segs, seps, strict=True)
    assert x12.segment_ids == [s.split(sep)[0] for segs, sep in pairs for s in segs]
    got = list(x12.segments())
    base = 0
    for segs, sep in zip(all_segs, seps, strict=True):
        expected = _expected_context(segs, sep, base)
        for seg, raw, ctx in zip(got[base : base + len(segs)], segs, expected, strict=True):
            assert seg.elements == raw.split(sep)[1:]
            assert (seg.clp_position, seg.svc_position) == ctx
        base += len(segs)
    assert len(x12.transactions) == len(all_segs)
    for t in x12.transactions:
        assert t.complete and t.se_declared_count == t.segment_count


@settings(max_examples=300, deadline=None)
@given(x12_file(), st.data())
def test_truncation_and_garbage_never_crash(case, data) -> None:
    text, _, _ = case
    raw = text.encode("utf-8")
    cut = data.draw(st.integers(0, len(raw)))
    junk = data.draw(st.binary(max_size=40))
    at = data.draw(st.integers(0, cut))
    for candidate in (raw[:cut], raw[:at] + junk + raw[at:cut], junk):
        try:
            x12 = split_x12(candidate, "broken.835")
        except X12Error as exc:
            assert exc.file_name == "broken.835"
            continue
        for t in x12.transactions:
            assert t.first_position <= t.last_position <= len(x12)
        for issue in x12.issues:
            assert issue.position is None or 0 <= issue.position <= len(x12)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_never_crash(data: bytes) -> None:
    for candidate in (data, b"ISA" + data):
        with contextlib.suppress(X12Error):
            split_x12(candidate, "noise.bin")


def _cut_or_error(cut) -> list[str] | str:
    try:
        return cut()
    except X12Error as exc:
        return str(exc)


# Segments joined by a terminator and line break, now and then with a stray one inside.
laid_out = st.builds(
    lambda segs, sep, tail: sep.join(segs) + tail,
    st.lists(st.text("AB* -~\r\n", max_size=5), max_size=8),
    st.sampled_from(["~\r\n", "~\n", "~"]),
    st.sampled_from(["", "~", "~\r\n", "\r\n", " "]),
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(laid_out, st.text("AB*~\r\n \t-\x00\xe9", max_size=40)))
@example("ST*1~-\r\nSE*1~\r\n")  # a line break that does not follow its terminator
@example("ST*1~\r\n  SE*1~\r\n\r\nGE~")  # indentation and a blank line
@example("ST*1~\r\nSE*1~IEA")  # the last terminator without its line break, data after it
@example("ST*1~\r\nSE*1~")  # the last terminator without its line break
@example("ST*1~\r\nSE*1~\r\n")
def test_plain_layout_is_cut_as_the_general_path_cuts(chunk: str) -> None:
    """_cut's fast path for plainly laid out text gives what the general path gives."""
    delims = Delimiters("*", ":", "~", "^")

    def general() -> list[str]:
        pieces, cleaned = _pieces(chunk, "~")
        _check_binary(cleaned, delims, 0, "t.835")
        return pieces

    def fast(raw: bytes | None) -> list[str]:
        return _cut(chunk, raw, 0, len(chunk), delims, 0, "t.835").texts.to_pylist()

    expected = _cut_or_error(general)
    assert _cut_or_error(lambda: fast(None)) == expected
    if chunk.isascii():  # the file's bytes, read as they are
        assert _cut_or_error(lambda: fast(chunk.encode("ascii"))) == expected


def test_lower_case_trailers_still_end_the_interchange() -> None:
    text = (FIXTURES / "era_5010_bcbs.835").read_text().replace("IEA*", "iea*")
    text = text.replace("SE*67", "se*67").replace("GE*1", "ge*1")
    x12 = split_x12(text + text.replace("000004711", "000004712"), "lower.835")
    assert not x12.issues
    assert [i.control_number for i in x12.interchanges] == ["000004711", "000004712"]
    assert [t.se_declared_count for t in x12.transactions] == [67, 67]
    assert x12.segment_ids[70] == "IEA" and x12.segment_texts[70] == "iea*1*000004711"


def test_long_garbage_id_inside_a_transaction_spoils_it() -> None:
    text = (FIXTURES / "era_5010_bcbs.835").read_text().replace("LX*1", "GARBAGE*1")
    x12 = split_x12(text, "garbage.835")
    assert x12.segment_ids[17] == "GARBAGE"
    assert x12.transactions[0].problems == ["segment 18 is not an X12 segment (starts 'GARBAGE*1')"]


@pytest.mark.parametrize("first_isa", ["ISA", "isa"])
@pytest.mark.parametrize("line_break", ["\r\n", "\n", ""])
def test_an_isa_before_the_first_iea_ends_the_interchange_there(
    first_isa: str, line_break: str
) -> None:
    """A plain file whose first interchange lost its IEA: the next ISA ends it, though an
    IEA (the second interchange's) follows. The quick cut up to the first IEA must see that
    ISA among its segments and leave the decision to _find_end."""
    text = (FIXTURES / "era_5010_bcbs.835").read_text().strip()
    segments = [s.strip() for s in text.split("~") if s.strip()]
    assert segments[-1].startswith("IEA")
    first = [first_isa + segments[0][3:], *segments[1:-1]]  # its IEA lost
    laid = "".join(s + "~" + line_break for s in first)
    second = "".join(s + "~" + line_break for s in segments).replace("000004711", "000004712")
    x12 = split_x12(laid + second, "lost_iea.835")
    assert [i.control_number for i in x12.interchanges] == ["000004711", "000004712"]
    assert x12.interchanges[1].isa_position == len(segments)  # right after the first's GE
    assert [i.message for i in x12.issues if i.kind == "envelope"] == [
        "interchange 000004711 has no IEA trailer (file truncated?)"
    ]
    assert [t.complete for t in x12.transactions] == [True, True]
    # and the quick cut is what reads the usual interchange (the second one on its own)
    assert _plain_interchange(second, None, 0, len(second), "~") is not None
    assert _plain_interchange(laid + second, None, 0, len(laid + second), "~") is None
