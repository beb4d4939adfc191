"""The summary of a cable.

5 FAH-1 H-246.3: a telegram over three pages needs a summary, "an unnumbered paragraph
immediately above paragraph one"; in practice (format.md §5.6) it is ``¶1. (C) Summary. ...
End Summary.``, a ``SUMMARY`` heading underlined with dashes, ``Summary and Comment:`` and
similar openers, or only an ``END SUMMARY`` closing the first paragraph.
"""

from __future__ import annotations

import re

from cabledesk.telegram.body import is_double_spaced
from cabledesk.telegram.breaks import find_breaks
from cabledesk.telegram.structure import LineStart

__all__ = ["find_summary", "parse_summary"]

_RULE_CHARS = "-=_‐‑–—"
_RULE = rf"[{_RULE_CHARS}]{{3,}}"
_MARK = r"\([ \t]*(?:TS|S|C|U|SBU|LOU|FOUO)(?:[ \t]*(?:/{1,2}|-)[ \t]*[A-Z][A-Z0-9 ,/]*)?[ \t]*\)"
_MARK_HALF = r"(?:TS|S|C|U|SBU)(?:/{1,2}[A-Z]+)?\)"
_PARA_NUM = rf"¶?\d{{1,3}}[ \t]?\.(?!\d)[ \t]*(?:{_MARK}|{_MARK_HALF})?"
_LABEL = (
    r"(?:(?:INTRODUCTION|BACKGROUND|OVERVIEW|EXECUTIVE)[ \t]+(?:AND[ \t]+)?)?SUMMARY(?:[ \t]+AND[ \t]+(?:COMMENTS?|ACTION[ \t]+REQUESTS?|INTRODUCTION|BACKGROUND"
    r"|TABLE[ \t]+OF[ \t]+CONTENTS|RECOMMENDATIONS?|ANALYSIS)|[ \t]*/[ \t]*COMMENT)?"
)
# An opener at a line start: optional paragraph number and mark, optional rule, the label,
# then a colon, period, dash, rule or line end.
_OPEN = re.compile(
    rf"[ \t\u2028\u2029]*(?:{_PARA_NUM}[ \t]*)?(?:{_RULE}[ \t]*)?(?:{_MARK}[ \t]*)?"
    rf"(?:BEGIN[ \t]+)?{_LABEL}(?:[ \t]*(?::|\.|-{{1,2}}(?![-])|{_RULE}[ \t]*\\?[ \t]*(?=\n|\Z)|\\?[ \t\u2028\u2029]*(?=\n|\Z))"
    rf"|[ \t]+{_RULE}|[ \t]{{2,}}(?=[A-Z]))",
    re.I,
)
_END_TAIL = re.compile(r"\bEND[ \t\n\\]*\Z", re.I)
_END_SPELLINGS = frozenset(e + n + d for e in "Ee" for n in "Nn" for d in "Dd")
_WORD_CHAR = re.compile(r"\w")
_GLUED_OPEN = re.compile(rf"(?:OF[ \t]+\d{{3}}|\S[ \t]*(?={_RULE}))[ \t]*")
_WORD_UPPER = re.compile("UMMARY")
_WORD_LOWER = re.compile("ummary")
_END_WORDS = r"(?:(?:OF|INTRODUCTION|BACKGROUND|OVERVIEW|EXECUTIVE|AND)[ \t\n\\]+){0,2}"
_END_BEFORE = re.compile(r"\bEND[ \t\n\\]+" + _END_WORDS + "$", re.I)
_CLOSE = re.compile(
    r"\bEND[ \t\n\\]+" + _END_WORDS + _LABEL.replace("[ \\t]", "[ \\t\\n\\\\]") + r"\b[ \t]*[.:]?",
    re.I,
)
# After the opener: white space, rules, a paragraph number and mark, a repeated label.
_LEAD = re.compile(
    rf"(?:\s|\\(?=\s)|{_RULE}|{_PARA_NUM}|{_MARK}|(?i:{_LABEL})[ \t]*[:.]|[:.-](?=\s))*",
)
_FIRST_PARA = LineStart(re.compile(rf"^[ \t\u2028\u2029]*{_PARA_NUM}[ \t]*", re.M))
_STOP = re.compile(
    rf"\n[ \t]*\\?[ \t]*\n|[ \t]*{_RULE}|\n(?=[ \t]*¶?\d{{1,3}}\.[ \t]*(?:\(|[A-Z]))"
)
_BLANK_AFTER = re.compile(r"[ \t\\]*(?:\n|\Z)")
_LINE_PARA = re.compile(rf"\n[ \t]*{_PARA_NUM}[ \t]*")
_RULE_ONLY = re.compile(rf"[ \t]*{_RULE}[ \t]*")
_NONSPACE = re.compile(r"\S")
_PILCROW_NUM = re.compile(r"^¶(?=\d)")
_SPACES = re.compile(r"[ \t\u00a0]+")
_TEXT_AFTER = re.compile(r"[ \t]*[^\s\\]")


def _normalise(raw: str) -> str:
    """Numbers, marks and rules removed; blank lines dropped; spaces collapsed; trimmed.

    The per-line tests for a pilcrow or a trailing backslash run only when the text holds one,
    and runs of blanks are collapsed once over the joined lines (no run crosses a line feed).
    """
    if "\n" in raw:
        raw = _LINE_PARA.sub("\n", "\n" + raw)
    pilcrow = "¶" in raw
    backslash = "\\" in raw
    lines = []
    for ln in raw.split("\n"):
        ln = ln.strip()
        if pilcrow and ln.startswith("¶"):  # WikiLeaks' pilcrow before a line starting NNNN.
            ln = _PILCROW_NUM.sub("", ln)
        if backslash and ln.endswith("\\"):  # WikiLeaks line-continuation artefact (65 files)
            ln = ln[:-1].rstrip()
        if not ln or (ln[0] in _RULE_CHARS and _RULE_ONLY.fullmatch(ln)):
            continue  # (a stripped rule line opens with a rule character)
        lines.append(ln)
    out = "\n".join(lines)
    if "  " in out or "\t" in out or "\u00a0" in out:
        out = _SPACES.sub(" ", out)
    return out


def _stop(text: str, s: int, end: int) -> int:
    """End of an unterminated summary: the next blank line or rule, looking through page
    breaks (a page marker stands between blank lines). In a double-spaced rendering one
    blank line is only the line spacing, as for the paragraph reader."""
    pos = s
    double: bool | None = None
    while True:
        stop = _STOP.search(text, pos, end)
        if stop is None:
            return end
        if stop.group().count("\n") == 2 and _BLANK_AFTER.match(text, stop.end(), end) is None:
            if double is None:
                double = is_double_spaced(text, s, end)
            if double:
                pos = stop.end()
                continue
        nxt = _NONSPACE.search(text, stop.end(), end)
        if nxt is None:
            return stop.start()
        brk = find_breaks(text, nxt.start(), min(end, nxt.start() + 200))
        if not brk or brk[0].start > nxt.start() + 40:
            return stop.start()
        pos = brk[0].end


def _drop_end_tail(raw: str) -> str:
    """``_END_TAIL.sub("", raw)`` without a case-blind scan of the whole summary: the match
    can only be the last word before the trailing white space and backslashes."""
    p = len(raw.rstrip(" \t\n\\")) - 3
    if p >= 0 and raw[p : p + 3] in _END_SPELLINGS and (p == 0 or not _WORD_CHAR.match(raw, p - 1)):
        return raw[:p]
    return raw


def _cut_breaks(text: str, s: int, e: int, closer: bool = True) -> str:
    """``text[s:e]`` without page/section/caption break lines (format.md §5.7)."""
    breaks = find_breaks(text, s, e)
    if not breaks:
        raw = text[s:e]
        return _drop_end_tail(raw) if closer else raw
    parts = []
    pos = s
    for b in breaks:
        bs, be = b.start, b.end
        # like the paragraph reader: the break swallows the white space around it and
        # leaves one line feed, or one space when it stood inside a line
        while bs > pos and text[bs - 1] in " \t\n":
            bs -= 1
        while be < e and text[be] in " \t\n":
            be += 1
        parts.append(text[pos:bs])
        parts.append("\n" if "\n" in text[bs:be] else " ")
        pos = be
    parts.append(text[pos:e])
    raw = "".join(parts)
    if not closer:
        return raw
    close = _CLOSE.search(raw)  # a closer that a break had split (``End`` / page / ``Summary.``)
    return raw[: close.start()] if close else _drop_end_tail(raw)


def _hits(text: str, start: int, end: int) -> list[int]:
    hits = [m.start() - 1 for m in _WORD_UPPER.finditer(text, start + 1, end)]
    first = text.find("ummary", start + 1, end)
    if first >= 0:  # scan on from the first lower-case hit, not from ``start`` again
        hits.extend(m.start() - 1 for m in _WORD_LOWER.finditer(text, first, end))
        hits.sort()
    return [h for h in hits if text[h] in "Ss"]


def find_summary(text: str, start: int = 0, end: int | None = None) -> tuple[str, int, int] | None:
    """The summary text and its span (absolute offsets) inside ``text[start:end]``.

    The opener stands at a line start (after a paragraph number and mark, or a rule); the
    closer is ``END SUMMARY`` in any case and form.  Without a closer the summary ends at the
    next blank line or rule; without an opener it is the first numbered paragraph up to the
    closer.
    """
    if end is None:
        end = len(text)
    hits = _hits(text, start, end)
    if not hits:
        return None
    op: re.Match[str] | None = None
    lead_end = start
    close: re.Match[str] | None = None
    split_close: int | None = None
    next_open = end  # a second opener before any closer ends an unterminated summary
    for h in hits:
        lo = max(start, h - 40)
        if _END_BEFORE.search(text[lo:h]):
            if op is not None or close is None:
                m = _CLOSE.search(text, lo, min(end, h + 80))
                if m is not None and (op is None or m.start() >= op.end()):
                    close = m
                    break
            continue
        if op is not None and h < lead_end:
            continue
        ls = text.rfind("\n", start, h) + 1
        ls = ls if ls > start else start
        m = _OPEN.match(text, ls, end)
        if m is None or m.end() <= h:
            # after a page marker glued in front (``LONDON 00001886 001.2 OF 004  1. (SBU)
            # Summary.``) or as a heading between rules glued to a line end
            g = _GLUED_OPEN.search(text, max(ls, h - 60), h)
            m = _OPEN.match(text, g.end(), end) if g is not None else None
        if m is not None and m.end() > h:
            if op is not None:
                if _END_TAIL.search(_cut_breaks(text, max(start, h - 160), h, closer=False)):
                    split_close = h  # ``End`` / page break / ``Summary.``
                elif _TEXT_AFTER.match(text, m.end()):
                    # a second summary opening on its line before any closer: the first is
                    # unterminated and ends before it (a bare label line does not end it)
                    next_open = m.start()
                break
            op = m
            lead = _LEAD.match(text, op.end(), end)
            lead_end = lead.end() if lead else op.end()
    if op is not None:
        lead = _LEAD.match(text, op.end(), end)
        s = lead.end() if lead else op.end()
        if close is not None and close.start() >= s:
            e = close.start()
        elif split_close is not None:
            e = split_close
        else:
            e = _stop(text, s, next_open) if next_open > s else _stop(text, s, end)
    elif close is not None:
        fp = _FIRST_PARA.search(text, start, close.start())
        if fp is None:
            return None
        lead = _LEAD.match(text, fp.end(), close.start())
        s = lead.end() if lead else fp.end()
        e = close.start()
    else:
        return None
    while e > s and text[e - 1].isspace():
        e -= 1
    summary = _normalise(_cut_breaks(text, s, e))
    if not summary:
        return None
    return summary, s, e


def parse_summary(text: str) -> str | None:
    """The summary of ``text`` (conformance: summary.json), or ``None``."""
    found = find_summary(text, 0, len(text))
    return found[0] if found else None
