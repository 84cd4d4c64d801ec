"""rules.md §15 note similarity, the one Python implementation: the generator's documentation
plant computes the figure it expects with it, the Documentation page marks the shared
passages with it, and tests/test_documentation_risk.py checks the SQL of
int_procedure_notes_compared against it (hand-computed pairs pin it there).

Tokens are the runs of [a-z0-9] in the lowercased text; a note's shingles are its runs of 3
consecutive tokens; the similarity of two notes is the Jaccard index of their shingle sets
(0 when both have none), rounded half up to 4 decimals as SQL round() does (29/32 =
0.90625 gives 0.9063, where Python's round() would give 0.9062).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TOKEN = re.compile(r"[a-z0-9]+")
SHINGLE_SIZE = 3
DECIMALS = 4


@dataclass(frozen=True)
class Token:
    word: str  # lowercased
    start: int  # span in the original text
    end: int


def tokens(text: str | None) -> list[Token]:
    """The tokens of `text` with their spans in it (lowercased one character at a time, so
    a character whose lowercase is longer never shifts a span)."""
    text = text or ""
    lowered, origin = [], []
    for i, ch in enumerate(text):
        low = ch.lower()
        lowered.append(low)
        origin += [i] * len(low)
    origin.append(len(text))
    low_text = "".join(lowered)
    return [
        Token(m.group(0), origin[m.start()], origin[m.end() - 1] + 1)
        for m in TOKEN.finditer(low_text)
    ]


def shingles_of(words: list[str]) -> set[tuple[str, ...]]:
    n = SHINGLE_SIZE
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def shingles(text: str | None) -> set[tuple[str, ...]]:
    return shingles_of([t.word for t in tokens(text)])


def similarity(a: str | None, b: str | None) -> float:
    """Jaccard index of the two notes' shingle sets, rounded half up to 4 decimals."""
    sa, sb = shingles(a), shingles(b)
    union = len(sa | sb)
    if not union:
        return 0.0
    scale = 10**DECIMALS
    return (2 * len(sa & sb) * scale + union) // (2 * union) / scale
