"""The summary of a cable.

5 FAH-1 H-246.3: a telegram over three pages needs a summary, "an unnumbered paragraph
immediately above paragraph one"; in practice (format.md §5.6) it is ``¶1. (C) Summary. ...
End Summary.``, a ``SUMMARY`` heading underlined with dashes, ``Summary and Comment:`` and
similar openers, or only an ``END SUMMARY`` closing the first paragraph.
"""

from __future__ import annotations

import re

__all__ = ["find_summary", "parse_summary"]

_RULE_CHARS = "-=_‐‑–—"
_RULE = rf"[{_RULE_CHARS}]{{3,}}"
_MARK = r"\((?:TS|S|C|U|SBU|LOU|FOUO)(?:[ \t]*(?:/{1,2}|-)[ \t]*[A-Z][A-Z0-9 ,/]*)?\)"
_MARK_HALF = r"(?:TS|S|C|U|SBU)(?:/{1,2}[A-Z]+)?\)"
_PARA_NUM = rf"¶?\d{{1,3}}[ \t]?\.(?!\d)[ \t]*(?:{_MARK}|{_MARK_HALF})?"
_LABEL = (
    r"SUMMARY(?:[ \t]+AND[ \t]+(?:COMMENTS?|ACTION[ \t]+REQUESTS?|INTRODUCTION|BACKGROUND"
    r"|TABLE[ \t]+OF[ \t]+CONTENTS|RECOMMENDATIONS?|ANALYSIS)|[ \t]*/[ \t]*COMMENT)?"
)
# An opener at a line start: optional paragraph number and mark, optional rule, the label,
# then a colon, period, dash, rule or line end.
_OPEN = re.compile(
    rf"[ \t]*(?:{_PARA_NUM}[ \t]*)?(?:{_RULE}[ \t]*)?(?:{_MARK}[ \t]*)?"
    rf"(?:BEGIN[ \t]+)?{_LABEL}(?:[ \t]*(?::|\.|-{{1,2}}(?![-])|{_RULE}[ \t]*(?=\n|\Z)|(?=\n|\Z))|[ \t]+{_RULE})",
    re.I,
)
_WORD_UPPER = re.compile("UMMARY")
_WORD_LOWER = re.compile("ummary")
_END_BEFORE = re.compile(r"\bEND[ \t\n]+(?:OF[ \t\n]+)?$", re.I)
_CLOSE = re.compile(
    r"\bEND[ \t\n]+(?:OF[ \t\n]+)?" + _LABEL.replace("[ \\t]", "[ \\t\\n]") + r"\b[ \t]*[.:]?",
    re.I,
)
# After the opener: white space, rules, a paragraph number and mark, a repeated label.
_LEAD = re.compile(
    rf"(?:\s|{_RULE}|{_PARA_NUM}|{_MARK}|(?i:{_LABEL})[ \t]*[:.]|[:.-](?=\s))*",
)
_FIRST_PARA = re.compile(rf"^[ \t]*{_PARA_NUM}[ \t]*", re.M)
_STOP = re.compile(rf"\n[ \t]*\n|[ \t]*{_RULE}")
_LINE_PARA = re.compile(rf"^[ \t]*{_PARA_NUM}[ \t]*", re.M)
_RULE_ONLY = re.compile(rf"^[ \t]*{_RULE}[ \t]*$", re.M)
_SPACES = re.compile(r"[ \t\u00a0]+")


def _normalise(raw: str) -> str:
    """Numbers, marks and rules removed; blank lines dropped; spaces collapsed; trimmed."""
    raw = _LINE_PARA.sub("", raw)
    raw = _RULE_ONLY.sub("", raw)
    lines = [_SPACES.sub(" ", ln).strip() for ln in raw.split("\n")]
    return "\n".join(ln for ln in lines if ln).strip()


def _hits(text: str, start: int, end: int) -> list[int]:
    hits = [m.start() - 1 for m in _WORD_UPPER.finditer(text, start + 1, end)]
    if text.find("ummary", start, end) >= 0:
        hits.extend(m.start() - 1 for m in _WORD_LOWER.finditer(text, start + 1, end))
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
    close: re.Match[str] | None = None
    for h in hits:
        lo = max(start, h - 12)
        if _END_BEFORE.search(text[lo:h]):
            if op is not None or close is None:
                m = _CLOSE.search(text, lo, min(end, h + 80))
                if m is not None and (op is None or m.start() >= op.end()):
                    close = m
                    break
            continue
        if op is None:
            ls = text.rfind("\n", start, h) + 1
            ls = ls if ls > start else start
            m = _OPEN.match(text, ls, end)
            if m is not None and m.end() > h:
                op = m
    if op is not None:
        lead = _LEAD.match(text, op.end(), end)
        s = lead.end() if lead else op.end()
        if close is not None and close.start() >= s:
            e = close.start()
        else:
            stop = _STOP.search(text, s, end)
            e = stop.start() if stop else end
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
    summary = _normalise(text[s:e])
    if not summary:
        return None
    return summary, s, e


def parse_summary(text: str) -> str | None:
    """The summary of ``text`` (conformance: summary.json), or ``None``."""
    found = find_summary(text, 0, len(text))
    return found[0] if found else None
