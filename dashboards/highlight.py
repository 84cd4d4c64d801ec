"""Shared passages of two notes, marked for the Documentation page (presentation only: the
similarity itself is computed by marts.documentation_risk, rules.md §15; tokens and shingles are
painrcm.similarity's, the same the tests check the mart against)."""

from __future__ import annotations

import html

from painrcm.similarity import SHINGLE_SIZE, shingles, shingles_of, tokens


def highlight(text: str, other: str) -> str:
    """HTML of `text` (escaped) with every token that is part of a 3-token shingle shared
    with `other` wrapped in <mark>."""
    text = text or ""
    toks = tokens(text)
    words = [t.word for t in toks]
    shared = shingles_of(words) & shingles(other)
    marked = [False] * len(toks)
    for i in range(len(words) - SHINGLE_SIZE + 1):
        if tuple(words[i : i + SHINGLE_SIZE]) in shared:
            for j in range(i, i + SHINGLE_SIZE):
                marked[j] = True
    out, pos = [], 0
    for tok, is_marked in zip(toks, marked, strict=True):
        out.append(html.escape(text[pos : tok.start]))
        word = html.escape(text[tok.start : tok.end])
        out.append(f"<mark>{word}</mark>" if is_marked else word)
        pos = tok.end
    out.append(html.escape(text[pos:]))
    return "".join(out).replace("\n", "<br>")
