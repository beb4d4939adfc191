"""Headings in a cable's body: titles underlined (and maybe overlined) with a rule line.

format.md §5.6: Cablegate bodies mark section titles with a line of dashes (or ``=``/``_``)
under them, sometimes over them as well; WikiLeaks often flattened a title and its rules onto
one line (``---- TITLE ----``) or glued them to the end of a paragraph (``End Comment. -----
U.S. and Egypt Should Encourage CPA Implementation -----``). The paragraph reader
(``body.py``) cuts the body at the places found here and makes each title a paragraph.
"""

from __future__ import annotations

import re

__all__ = [
    "DASH_RULE",
    "INLINE_HEADING",
    "drop_rule_lines",
    "heading_cuts",
    "is_title_block",
    "split_glued_headings",
]

_TITLE_STOP = re.compile(r"[ \t]*¶?\d{1,3}\.")
DASH_RULE = re.compile(r"^[ \t]*[-=_]{3,}[ \t=_-]*$", re.M)
# ``---- TITLE ----`` on one line; the title is not a middle dash run (``---- ---- ----``).
INLINE_HEADING = re.compile(r"[ \t]+-{4,}[ \t]+(-{0,3}[ \t]*[^\s-][^\n]{0,99}?)[ \t]+-{4,}[ \t-]*$")
_RULE_RUN = re.compile(r"(?:^|[ \t]+)-{4,}(?:[ \t]+-+)*(?=[ \t]|$)")
_ALNUM = re.compile(r"[A-Za-z0-9]")
_TRAIL_RULE = re.compile(r"[ \t]+-{4,}(?:[ \t]+-+)*[ \t]*$")
_RULE_LINE = re.compile(r"\n(?=[ \t]*[-=_])[ \t]*+(?:-{3,}|={3,}|_{3,})[ \t=_-]*(?=\n|$)\n?")


_DASH3 = re.compile("---").search


def _has_rule(s: str) -> bool:
    """``s`` holds ``---``, ``===`` or ``___``. A compiled literal finds ``---`` faster than
    ``in`` on texts full of hyphens, and a one-character ``in`` (``memchr``) clears most texts
    of ``=`` and ``_`` before the three-character search."""
    return _DASH3(s) is not None or ("=" in s and "===" in s) or ("_" in s and "___" in s)


def heading_cuts(v: str, double: bool = False) -> list[int]:
    """Start and end of every heading underlined (and maybe overlined) with a rule line.

    The title is the line directly above the bottom rule, or up to three short lines up to a
    top rule, or up to two lines up to a blank line; a rule with a blank line above it is a
    top rule or a separator and is not a heading end by itself, and neither is a top rule
    under the end of a sentence. In a double-spaced rendering one blank line is only the
    line spacing.
    """
    cuts: list[int] = []
    if not _has_rule(v):
        return cuts
    for m in _RULE_LINE.finditer("\n" + v):
        rs, re_ = m.start(), m.end() - 1
        if rs == 0:
            continue
        titles: list[int] = []
        top = None
        blank = False
        ls = rs
        seen = 0
        while seen < 4:
            if ls <= 0:
                blank = True
                break
            ps = v.rfind("\n", 0, ls - 1) + 1
            line = v[ps : ls - 1]
            if not line.strip():
                if double and ps > 0 and v[v.rfind("\n", 0, ps - 1) + 1 : ps - 1].strip():
                    ls = ps  # the blank line after every line
                    continue
                blank = True
                break
            seen += 1
            if DASH_RULE.fullmatch(line):
                top = ps
                break
            if len(line) > 100 or _TITLE_STOP.match(line):
                break
            if (
                line.rstrip().endswith(".")
                and not line.rstrip().endswith("...")
                and (titles or _opens_heading(v, re_, double))
            ):
                # a sentence above a title (or above a heading's top rule) belongs to the
                # paragraph before
                break
            titles.append(ps)
            ls = ps
        if not titles:
            continue
        if top is not None and len(titles) <= 3:
            hs = top
        elif blank and len(titles) <= 2:
            hs = titles[-1]
        else:
            hs = titles[0]
        cuts.append(hs)
        cuts.append(re_)
    return cuts


def drop_rule_lines(raw: str) -> str:
    """``DASH_RULE.sub("", raw)``, line by line: every rule line emptied, its line feed kept.

    A match of the ``^...$`` pattern never crosses a line feed, so it is always one whole line;
    ``sub`` would try the pattern at every position of ``raw``, a ``fullmatch`` per line is the
    same result for a fraction of the work.
    """
    lines = raw.split("\n")
    full = DASH_RULE.fullmatch
    return "\n".join(["" if full(ln) else ln for ln in lines])


def _opens_heading(v: str, pos: int, double: bool) -> bool:
    """The rule line ending at ``pos`` is the top rule of a title and a bottom rule below it."""
    lines: list[str] = []
    n = len(v)
    blanks = 0
    while pos < n and len(lines) < 2:
        le = v.find("\n", pos)
        if le < 0:
            le = n
        line = v[pos:le]
        pos = le + 1
        if line.strip():
            lines.append(line)
            blanks = 0
        else:
            blanks += 1
            if not double or blanks > 1:
                return False
    return (
        len(lines) == 2
        and len(lines[0]) <= 100
        and not DASH_RULE.fullmatch(lines[0])
        and DASH_RULE.fullmatch(lines[1]) is not None
    )


def is_title_block(seg: str) -> bool:
    """``seg``, a block of the body holding a rule, is a heading: a title between rules on one
    line, or up to six lines one of which is a rule line."""
    if not _has_rule(seg):
        return False
    lines = [ln for ln in seg.strip().split("\n") if ln.strip()]
    if len(lines) == 1:
        return INLINE_HEADING.fullmatch(" " + lines[0].strip()) is not None
    if len(lines) > 6:
        return False
    return any(DASH_RULE.fullmatch(ln) for ln in lines)


def split_glued_headings(raw: str, body: int) -> tuple[str, list[tuple[str, int, int]]]:
    """Titles glued with their rules onto the paragraph's last line, as headings of their own.

    WikiLeaks flattened headings and their underlines into one line (``End Comment. -----
    U.S. and Egypt Should Encourage CPA Implementation -----``, ``Pirate Bay tracker removed
    ------ ----``); a last line that ends in a rule is cut at its dash runs (format.md §5.6).
    Text before the first run on the paragraph's first line stays the paragraph's text; a
    heading line on its own makes the paragraph's text the first title.
    """
    skip = len(raw) - len(raw.lstrip())
    if skip:  # ``¶3. (SBU)`` with its text after a blank line
        text, found = split_glued_headings(raw[skip:], body + skip)
        return raw[:skip] + text, found
    nl = raw.rfind("\n")
    last = raw[nl + 1 :]
    # A trailing rule is made of blanks and dashes only: search just that tail, and look for
    # dash runs from the first ``----`` (with the blanks before it) on; same matches, less scan.
    if _TRAIL_RULE.search(last, len(last.rstrip(" \t-"))) is None:
        return raw, []
    first = last.find("----")
    first = len(last[:first].rstrip(" \t"))
    runs = [(m.end() - len(m.group().lstrip()), m.end()) for m in _RULE_RUN.finditer(last, first)]
    bounds = [0, *(e for _s, e in runs)]
    ends = [*(s for s, _e in runs), len(last)]
    lead = last[: ends[0]].strip()
    # (title, span start, span end): a heading's span runs over the rules around it
    heads: list[tuple[str, int, int]] = []
    for i in range(1, len(bounds)):
        title = last[bounds[i] : ends[i]].strip()
        if title:
            heads.append((title, runs[i - 1][0], runs[i][1] if i < len(runs) else ends[i]))
    if not lead and not heads:
        return raw, []  # a rule line (a table's column rules)
    keep = nl + 1  # the paragraph's text ends before the last line ...
    if lead and (nl < 0 or len(lead) > 100 or lead.endswith(".") and lead[-3:] != "..."):
        keep = nl + 1 + last.find(lead) + len(lead)  # ... or after its own text on that line
    elif lead:
        heads.insert(0, (lead, last.find(lead), runs[0][1]))
    if any(len(h) > 100 or not _ALNUM.search(h) for h, _s, _e in heads):
        return raw, []
    base = body + nl + 1
    out = [(h, base + hs, base + he) for h, hs, he in heads]
    text = raw[:keep].rstrip()
    if out and keep == nl + 1:
        tm = _TRAIL_RULE.search(text, len(text.rstrip(" \t-")))
        if tm is not None and tm.start() > 0:
            text = text[: tm.start()]  # the heading's top rule, glued on as well
    if not text.strip() and out:
        # the whole paragraph is a heading line: its first title is the paragraph
        return raw[:keep] + out[0][0], out[1:]
    return text, out
