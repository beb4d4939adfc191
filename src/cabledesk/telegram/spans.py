"""Spans of a cable's text: redactions (runs of X), COMMENT ... END COMMENT, and truncation.

Offsets are absolute positions in the text passed in; every search is bounded to
``text[start:end]``.
"""

from __future__ import annotations

import re

from cabledesk.telegram.model import Span

__all__ = ["find_comments", "find_redactions", "is_truncated"]


def _line_end(text: str, pos: int, end: int) -> int:
    le = text.find("\n", pos, end)
    return end if le < 0 else le


# A run of four or more X's is a redaction wherever it stands: no Roman numeral has more than
# three X's in a row, and WikiLeaks glues redactions to words (``toXXXXXXXXXXXX``).  A run of
# exactly three is a redaction unless another Roman numeral letter touches it (``XXXV``,
# ``XXXIX``); runs of one or two (``XXI century``, ``Exxon``) are text.
_X3_UPPER = re.compile("XXX")
_X3_LOWER = re.compile("xxx")
_XRUN = re.compile(r"[Xx]*")
_ROMAN = frozenset("IVLCDM")


def find_redactions(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Redaction runs (``XXXXXXXXXXXX``, ``xxxx``) inside ``text[start:end]``."""
    if end is None:
        end = len(text)
    hits = [m.start() for m in _X3_UPPER.finditer(text, start, end)]
    # (a compiled literal finds a three-letter needle faster than ``str.find``; the scan for
    # the rest goes on from the first hit, which the finditer would report first anyway)
    first = _X3_LOWER.search(text, start, end)
    if first is not None:
        hits.extend(m.start() for m in _X3_LOWER.finditer(text, first.start(), end))
        hits.sort()
    out: list[Span] = []
    last = start
    for h in hits:
        if h < last:
            continue
        s = h
        while s > start and text[s - 1] in "Xx":
            s -= 1
        e = _XRUN.match(text, h, end).end()  # type: ignore[union-attr]
        last = e
        if e - s == 3 and (
            (s > start and text[s - 1] in _ROMAN) or (e < end and text[e] in _ROMAN)
        ):
            continue
        out.append(Span(s, e))
    return out


_COMMENT_UPPER = re.compile("OMMENT")
_COMMENT_LOWER = re.compile("omment")
_CLOSE_BEFORE = re.compile(r"\b(?:END|End|end)[ \t\n]+(?:[A-Za-z]+[ \t\n]+){0,3}$")
_CLOSE_AFTER = re.compile(r"[Ss]?\b[ \t]*\.?")
_OPEN_BEFORE = re.compile(
    r"[\n.!?\"')\]:;“”*][ \t]*(\()?[ \t]*"
    r"((?:BEGIN|Begin|EMBASSY|Embassy|POST|Post|MISSION|Mission|CONSULATE|Consulate|USUN|USEU"
    r"|USNATO|CONGEN|Congen|DCM|AMBASSADOR'?S|Ambassador'?s)[ \t]+)?$"
)
_OPEN_AFTER = re.compile(r"(?:[ \t]*:|[ \t]*\.(?=[ \t\n])|[ \t]+-{1,2}[ \t])")
_RULE_BELOW = re.compile(r"\n[ \t]*(?:-{3,}|={3,})")
_CLOSE_PAREN = re.compile(r"[ \t]*\)")
_PARA_END = re.compile(r"\n[ \t]*\n|\n[ \t]*¶?\d{1,3}\.[ \t]*(?:\(|[A-Z])")


def find_comments(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """``COMMENT: ... END COMMENT.`` spans (any case, with ``(``/``)`` and ``BEGIN COMMENT``).

    An opener stands at a line or sentence start (or after ``(``, ``BEGIN``, ``Embassy``); an
    unterminated comment runs to the end of its paragraph (blank line or next number).
    """
    if end is None:
        end = len(text)
    hits = [m.start() - 1 for m in _COMMENT_UPPER.finditer(text, start + 1, end)]
    first = text.find("omment", start + 1, end)
    if first >= 0:  # scan on from the first lower-case hit, not from ``start`` again
        hits.extend(m.start() - 1 for m in _COMMENT_LOWER.finditer(text, first, end))
        hits.sort()
    # events: (pos, kind, span_start, span_end, paren)
    events: list[tuple[int, str, int, int, bool]] = []
    for ws in hits:
        if text[ws] not in "Cc":
            continue
        we = ws + 7
        lo = max(start, ws - 40)
        pre = text[lo:ws]
        # ``END``/``End``/``end`` must be there: skip the position-by-position scan when not
        cb = _CLOSE_BEFORE.search(pre) if ("nd" in pre or "ND" in pre) else None
        if cb is not None:
            ca = _CLOSE_AFTER.match(text, we, end)
            events.append((ws, "close", lo + cb.start(), ca.end() if ca else we, False))
            continue
        if text[ws + 1] == "o" and text[ws] == "c":
            continue  # lower-case ``comment`` is a word, not a label
        ob = _OPEN_BEFORE.search(("\n" if lo == start else "") + pre)
        if ob is None:
            continue
        begin = ob.group(2) is not None and ob.group(2).upper().startswith("BEGIN")
        if not begin and _OPEN_AFTER.match(text, we, end) is None:
            continue
        if _RULE_BELOW.match(text, _line_end(text, we, end), end):
            continue  # a heading ``Comment: ...`` underlined with dashes
        paren = ob.group(1) is not None
        off = lo - (1 if lo == start else 0)
        s0 = off + (ob.start(1) if paren else (ob.start(2) if ob.group(2) else ws - off))
        events.append((ws, "open", s0, we, paren))
    out: list[Span] = []
    i = 0
    n = len(events)
    while i < n:
        ev = events[i]
        if ev[1] != "open":
            i += 1
            continue
        j = i + 1
        while j < n and events[j][1] != "close" and events[j][1] != "open":
            j += 1
        if j < n and events[j][1] == "close":
            e = events[j][3]
            if ev[4]:
                pm = _CLOSE_PAREN.match(text[e : min(end, e + 3)])
                if pm:
                    e += pm.end()
            out.append(Span(ev[2], e))
            i = j + 1
            continue
        pe = _PARA_END.search(text, ev[3], end)
        e = pe.start() if pe else end
        while e > ev[2] and text[e - 1].isspace():
            e -= 1
        out.append(Span(ev[2], e))
        i += 1
        while i < n and events[i][0] < e:
            i += 1
    return out


def is_truncated(text: str) -> bool:
    """True when the body ends in ``...``: WikiLeaks cut 57 corpus cables short."""
    tail = text[-200:].rstrip()
    return tail.endswith(("...", "…"))
