"""Search snippets: a few lines of the cable around the hits, each hit marked ``«…»``.

FTS5's ``snippet()`` marks hits with the control characters STX and ETX, which cable text does
not contain; they become « and » here, after any « or » of the cable itself has been shown as
‹ or ›. So « and » in a snippet are always markers, and a reader (the CLI's table, the web
app's ``<mark>``) splits it with :func:`snippet_parts` after escaping nothing but the text.
"""

from __future__ import annotations

import re

__all__ = [
    "HIT_END",
    "HIT_START",
    "MARK_END",
    "MARK_START",
    "fallback_snippet",
    "snippet_parts",
    "tidy_snippet",
]

HIT_START = "\x02"
HIT_END = "\x03"
"""Markers passed to FTS5 ``snippet()``."""

MARK_START = "«"
MARK_END = "»"
"""Markers in the snippets cabledesk returns."""

FALLBACK_CHARS = 240
"""Length of the snippet of a cable listed without words to match (its summary or opening)."""

_OWN_MARKS = str.maketrans({MARK_START: "‹", MARK_END: "›"})
_MARKERS = re.compile(f"([{HIT_START}{HIT_END}])")


def tidy_snippet(raw: str) -> str:
    """An FTS5 snippet with STX/ETX markers as one line with balanced «» markers."""
    text = " ".join(raw.translate(_OWN_MARKS).split())
    out: list[str] = []
    inside = False
    for piece in _MARKERS.split(text):  # text, marker, text, marker, ...
        if piece == HIT_START:
            if not inside:
                out.append(MARK_START)
                inside = True
        elif piece == HIT_END:
            if inside:
                out.append(MARK_END)
                inside = False
        else:
            out.append(piece)
    if inside:
        out.append(MARK_END)
    return "".join(out).replace(MARK_START + MARK_END, "")


def fallback_snippet(text: str) -> str:
    """The start of ``text`` on one line, cut at a word boundary, without markers."""
    flat = " ".join(
        text.translate(_OWN_MARKS).replace(HIT_START, " ").replace(HIT_END, " ").split()
    )
    if len(flat) <= FALLBACK_CHARS:
        return flat
    cut = flat.rfind(" ", 0, FALLBACK_CHARS)
    return flat[: cut if cut > 0 else FALLBACK_CHARS] + "…"


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """``"a «b» c"`` -> ``[("a ", False), ("b", True), (" c", False)]``."""
    parts: list[tuple[str, bool]] = []
    rest = snippet
    while rest:
        start = rest.find(MARK_START)
        if start < 0:
            parts.append((rest, False))
            break
        end = rest.find(MARK_END, start + 1)
        if end < 0:
            end = len(rest)
        if start:
            parts.append((rest[:start], False))
        parts.append((rest[start + 1 : end], True))
        rest = rest[end + 1 :]
    return parts
