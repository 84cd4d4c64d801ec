"""Shared passages of two notes, marked for the Documentation page (presentation only: the
similarity itself is computed by marts.documentation_risk, RULES 15)."""

from __future__ import annotations

import html
import re

TOKEN = re.compile(r"[a-z0-9]+", re.IGNORECASE)
SHINGLE = 3  # RULES 15: consecutive 3-token shingles


def _tokens(text: str) -> list[re.Match[str]]:
    return list(TOKEN.finditer(text or ""))


def _shingles(tokens: list[re.Match[str]]) -> set[tuple[str, ...]]:
    words = [t.group(0).lower() for t in tokens]
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def similarity(a: str, b: str) -> float:
    sa, sb = _shingles(_tokens(a)), _shingles(_tokens(b))
    union = sa | sb
    return round(len(sa & sb) / len(union), 4) if union else 0.0


def highlight(text: str, other: str) -> str:
    """HTML of `text` (escaped) with every token that is part of a 3-token shingle shared
    with `other` wrapped in <mark>."""
    tokens = _tokens(text)
    shared = _shingles(tokens) & _shingles(_tokens(other))
    words = [t.group(0).lower() for t in tokens]
    marked = [False] * len(tokens)
    for i in range(len(words) - SHINGLE + 1):
        if tuple(words[i : i + SHINGLE]) in shared:
            for j in range(i, i + SHINGLE):
                marked[j] = True
    out, pos = [], 0
    for tok, is_marked in zip(tokens, marked, strict=True):
        out.append(html.escape(text[pos : tok.start()]))
        word = html.escape(tok.group(0))
        out.append(f"<mark>{word}</mark>" if is_marked else word)
        pos = tok.end()
    out.append(html.escape(text[pos:]))
    return "".join(out).replace("\n", "<br>")
