"""The paragraphs of a cable's body: numbers, portion marks, headings and sub-items.

Sources: 5 FAH-1 H-246.2 (numbered paragraphs, portion marks) and the Cablegate renderings
described in format.md §5.6. Break lines (``breaks.py``) are cut out of paragraph text. All
offsets are absolute positions in the text passed in; every search is bounded to
``text[start:end]``.
"""

from __future__ import annotations

import bisect
import re

from cabledesk.telegram.breaks import find_breaks
from cabledesk.telegram.headings import (
    INLINE_HEADING,
    drop_rule_lines,
    heading_cuts,
    is_title_block,
    split_glued_headings,
)
from cabledesk.telegram.model import BreakLine, Paragraph

__all__ = ["find_paragraphs", "is_double_spaced", "opens_sub_item"]


# Paragraphs

_MARK = r"(?:TS|S|C|U|SBU|LOU|FOUO|U/FOUO|CUI)(?:[ \t]*(?:/{1,2}|-)[ \t]*[A-Z][A-Z0-9]*(?:[ ,/]+[A-Z0-9]+)*)?"
# ``¶1. (S)``, ``1.(SBU)``, ``2. (S/NF)``, ``11. C)``, ``1.`` at a line start.
# The look-ahead (white space and ``¶`` up to a digit) and the possessive ``*+`` only make
# the many lines that open with no number fail fast; the matches are the same without them.
_PARA_START = re.compile(
    r"\n(?=[ \t\u2028\u2029¶]*+\d)[ \t\u2028\u2029]*+(¶?)[ \t]*(\d{1,4})[ \t]?\.(?!\d)[ \t]*(?:\([ \t]*("
    + _MARK
    + r")[ \t]*\)|("
    + _MARK
    + r")\))?[ \t]*",
)
_NONSPACE = re.compile(r"\S")
_LEAD_MARK = re.compile(r"\([ \t]*(" + _MARK + r")[ \t]*\)[ \t]*")
# (look-ahead and possessive quantifiers: fail fast on lines that are not blank, same matches)
_BLANK_SPLIT = re.compile(
    r"\n(?=[ \t\u2028\u2029\\]*\n)(?:[ \t\u2028\u2029]*+(?:\\[ \t\u2028\u2029]*+)?\n)+"
)
# Sub-item markers: ``--``, ``*``, ``o``, ``A.``/``(a)``/``AA)`` (one letter or a doubled one,
# not a word such as ``No.``), ``(1)``, ``iv.``, bullets; a marker may end its line.
_SUBITEM = re.compile(
    r"[ \t]*(?:-{1,2}(?!-)|\*|o[ \t]|\(?([A-Za-z])\1?[.)](?:[ \t]|$)|\(\d{1,2}\)"
    r"|[ivx]{1,4}[.)](?:[ \t]|$)|•)",
    re.M,
)
_PILCROW_NUM = re.compile(r"(?m)^([ \t]*)¶(?=\d)")
_LINE_SEPS = {0x2028: " ", 0x2029: " "}
# (``"---" in s`` is several times slower than these on long texts full of hyphens)
_DASH3 = re.compile("---").search
_DASH4 = re.compile("----").search


class _View:
    """``text[start:end]`` with break lines cut out, and a map back to original offsets."""

    __slots__ = ("v", "vstarts", "ostarts", "shift", "rules", "dash3", "eq3", "us3")

    def __init__(self, text: str, start: int, end: int, breaks: list[BreakLine]) -> None:
        parts: list[str] = []
        self.vstarts: list[int] = []
        self.ostarts: list[int] = []
        vlen = 0
        pos = start
        for b in breaks:
            if b.end <= start or b.start >= end or b.end <= pos:
                continue
            # a break may start inside the white space the break before it swallowed
            bs, be = max(b.start, pos), b.end
            # swallow the white space around the break line
            while bs > pos and text[bs - 1] in " \t\n":
                bs -= 1
            while be < end and text[be] in " \t\n":
                be += 1
            if bs > pos:
                self.vstarts.append(vlen)
                self.ostarts.append(pos)
                parts.append(text[pos:bs])
                vlen += bs - pos
            if bs > start and be < end:
                joiner = "\n" if "\n" in text[bs:be] else " "
                self.vstarts.append(vlen)
                self.ostarts.append(bs)
                parts.append(joiner)
                vlen += 1
            pos = be
        if pos < end:
            self.vstarts.append(vlen)
            self.ostarts.append(pos)
            parts.append(text[pos:end])
        self.v = "".join(parts)
        # no break line inside: offsets are a plain shift (the common case)
        self.shift = self.ostarts[0] if len(self.vstarts) == 1 else None
        # ``v`` holds ``---``, ``===``, ``___`` (any of them: ``rules``); set by ``_rules``
        self.rules = self.dash3 = self.eq3 = self.us3 = True

    def _rules(self, v: str) -> bool:
        """Which rule strings ``v`` (``self.v``, maybe translated) holds.

        ``"===" in v`` scans a long text several times slower than a compiled literal or a
        one-character ``in`` (a ``memchr``); most bodies hold no ``=`` or ``_`` at all.
        """
        self.dash3 = _DASH3(v) is not None
        self.eq3 = "=" in v and "===" in v
        self.us3 = "_" in v and "___" in v
        self.rules = self.dash3 or self.eq3 or self.us3
        return self.rules

    def orig(self, vpos: int, is_end: bool = False) -> int:
        if len(self.vstarts) == 1:  # no break line inside: a plain shift (the common case)
            return self.ostarts[0] + vpos
        i = bisect.bisect_right(self.vstarts, vpos - 1 if is_end else vpos) - 1
        if i < 0:
            return self.ostarts[0] if self.ostarts else 0
        off = self.ostarts[i] + (vpos - self.vstarts[i])
        return off


def find_paragraphs(
    text: str, start: int, end: int, breaks: list[BreakLine] | None = None
) -> list[Paragraph]:
    """Every paragraph of ``text[start:end]`` in order, numbered or not.

    A numbered paragraph starts at a line start with ``¶N.``/``N.`` and an optional portion
    mark (5 FAH-1 H-246.2), and its number must follow the sequence.  Other text separated
    by blank lines, and headings underlined with dashes, are paragraphs with ``number=None``;
    blocks opening with a sub-item marker (``A.``, ``A)``, ``(A)``, ``--``, ``AA)``) stay in
    their paragraph.  Break lines are cut out of ``text``.
    """
    if breaks is None:
        breaks = find_breaks(text, start, end)
    view = _View(text, start, end, sorted(breaks, key=lambda b: b.start))
    v = tv = view.v
    if "\u2028" in v or "\u2029" in v:
        # Unicode line and paragraph separators end lines for the structure (a heading's rule
        # after U+2028); the text keeps them unless it is cut at rules (same length).
        v = v.translate(_LINE_SEPS)
    n_v = len(v)
    # numbered starts
    starts: list[tuple[int, int, int, str | None]] = []  # (vstart, body_start, number, mark)
    last: int | None = None
    for m in _PARA_START.finditer("\n" + v):
        pilcrow, num, mark, mark2 = m.groups()
        if mark is None:
            mark = mark2
        n = int(num)
        # Paragraph numbers run consecutively (5 FAH-1 H-246.2); a jump is text, not a number.
        # (Tested inline: a call per numbered line is a measurable share of this loop.)
        if n == 0:
            continue
        if mark is not None:
            if last is None:
                if n > 20:
                    continue
            elif n > last + 5 or n < last - 3:
                continue
        elif last is None:
            if n > 3:
                continue
        elif not last < n <= last + 2:
            continue
        be = m.end() - 1  # in ``v``: the body start (``m`` ran over ``"\n" + v``)
        if mark is None:
            rest = v[be : be + 1]  # empty only at the end of ``v``
            if rest and not (rest.isalpha() or rest in "(\"'“[-"):
                continue
        elif " " in mark:
            mark = mark.replace(" ", "")
        ms = m.start(1) if pilcrow else m.start(2)  # past the leading white space
        starts.append((ms - 1, be, n, mark))
        last = n
    # unnumbered boundaries: blank lines, headings
    blocks: list[tuple[int, int]] = []
    double = False
    spans = [m.span() for m in _BLANK_SPLIT.finditer(v)]
    if len(spans) >= 8:
        nls = [v.count("\n", s, e) for s, e in spans]
        if _double_spaced(v, spans, nls):
            # only two or more blank lines separate paragraphs
            spans = [sp for sp, nl in zip(spans, nls, strict=True) if nl > 2]
            double = True
    pos = 0
    for ss, se in spans:
        blocks.append((pos, ss))
        pos = se
    blocks.append((pos, n_v))
    cuts = {s for s, _b, _n, _m in starts}
    # no rule anywhere (most cables): no heading, and no piece needs to look for one
    rules = view._rules(v)
    dash3, eq3, us3 = view.dash3, view.eq3, view.us3
    if rules:
        cuts.update(heading_cuts(v, double))
    cut_points = sorted(cuts)
    # each block cut at the cut points strictly inside it (blocks and cuts both ascend)
    pieces: list[tuple[int, int]] = []
    k = 0
    n_cuts = len(cut_points)
    for bs, be in blocks:
        while k < n_cuts and cut_points[k] <= bs:
            k += 1
        prev = bs
        while k < n_cuts and cut_points[k] < be:
            pieces.append((prev, cut_points[k]))
            prev = cut_points[k]
            k += 1
        pieces.append((prev, be))
    start_info = {s: (b, n, mk) for s, b, n, mk in starts}
    # Paragraphs as (vstart, vend, body start, number, mark, heading), turned into
    # ``Paragraph`` objects in one pass by ``_emit`` (one call, not one per paragraph).
    found: list[tuple[int, int, int, int | None, str | None, bool]] = []
    cur_s = cur_e = cur_b = -1  # the open paragraph; ``cur_s < 0``: none yet
    cur_num: int | None = None
    cur_mark: str | None = None
    cur_heading = False
    find = v.find
    nonspace = _NONSPACE.search
    subitem = _SUBITEM.match
    get_start = start_info.get
    for ps, pe in pieces:
        if ps < pe and not v[ps].isspace():  # (the usual case: no regex call)
            real_start = ps
        else:
            ns = nonspace(v, ps, pe)
            if ns is None:
                continue
            real_start = ns.start()
        info = get_start(ps) or get_start(real_start)
        if info is not None:
            if cur_s >= 0:
                found.append((cur_s, cur_e, cur_b, cur_num, cur_mark, cur_heading))
            cur_s, cur_e, cur_b = real_start, pe, info[0]
            cur_num, cur_mark = info[1], info[2]
            cur_heading = False
            continue
        is_heading = (
            rules
            and (
                (dash3 and _DASH3(v, ps, pe) is not None)
                or (eq3 and find("===", ps, pe) >= 0)
                or (us3 and find("___", ps, pe) >= 0)
            )
            and is_title_block(v[ps:pe])
        )
        if cur_s >= 0 and not is_heading and not cur_heading and subitem(v, real_start, pe):
            cur_e = pe
            continue
        if cur_s >= 0:
            found.append((cur_s, cur_e, cur_b, cur_num, cur_mark, cur_heading))
        lm = None if is_heading else _LEAD_MARK.match(v, real_start, pe)
        if lm is not None:
            # a single paragraph is not numbered but still marked (5 FAH-1 H-246.2)
            cur_s, cur_e, cur_b = real_start, pe, lm.end()
            cur_num, cur_mark = None, lm.group(1).replace(" ", "")
        else:
            cur_s, cur_e, cur_b = real_start, pe, real_start
            cur_num = cur_mark = None
        cur_heading = is_heading
    if cur_s >= 0:
        found.append((cur_s, cur_e, cur_b, cur_num, cur_mark, cur_heading))
    return _emit(found, view, v, double, tv)


def _double_spaced(v: str, spans: list[tuple[int, int]], nls: list[int]) -> bool:
    """A double-spaced rendering: a blank line after every line, more between paragraphs.

    ``spans`` are the blank-line runs of ``v`` and ``nls`` their line feed counts. (The lines
    are counted last: most texts already fail the cheaper tests.)
    """
    single = nls.count(2)
    if len(spans) < 8 or len(spans) - single < 2:
        return False
    return single >= 0.6 * (v.count("\n") + 1 - sum(nls) + len(nls))


def is_double_spaced(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` is double-spaced, as the paragraph reader judges it (format.md §5.6)."""
    v = text[start:end]
    spans = [m.span() for m in _BLANK_SPLIT.finditer(v)]
    if len(spans) < 8:
        return False
    return _double_spaced(v, spans, [v.count("\n", s, e) for s, e in spans])


def opens_sub_item(text: str) -> bool:
    """``text`` opens with a sub-item marker, so the paragraph reader would continue the
    paragraph before it with it (``-- item``, ``A.``, ``(1)``)."""
    return _SUBITEM.match(text) is not None


def _emit(
    found: list[tuple[int, int, int, int | None, str | None, bool]],
    view: _View,
    v: str,
    double: bool,
    tv: str,
) -> list[Paragraph]:
    """The paragraphs ``v[vs:ve]`` (text from ``body``) of ``found``, with any headings glued
    to them, as ``Paragraph`` objects at offsets of the original text.

    ``tv`` is ``v`` with its U+2028/U+2029 separators kept, for the text of paragraphs that
    are no heading and not cut at rules. One loop over all paragraphs, state in locals: this
    runs a dozen times per cable.
    """
    paras: list[Paragraph] = []
    append = paras.append
    rules, has_dash3, eq3, us3 = view.rules, view.dash3, view.eq3, view.us3
    shift = view.shift
    vst = view.vstarts
    ost = view.ostarts
    same_tv = tv is v
    for vs, ve, body, number, mark, heading in found:
        raw = v[body:ve].rstrip()
        # trailing white space is not part of the paragraph
        main_ve = body + len(raw) if body < ve else vs + len(v[vs:ve].rstrip())
        headings: list[tuple[str, int, int]] | None = None  # (title, vstart, vend)
        if rules:  # ``raw`` is a substring of ``v``: it holds no rule ``v`` does not
            dash3 = has_dash3 and _DASH3(raw) is not None
            dashes = dash3 and _DASH4(raw) is not None
            ruled = dash3 or (eq3 and "===" in raw) or (us3 and "___" in raw)
            # a glued heading needs a last line ending in `` ----`` (``raw`` ends in no blank)
            if dashes and raw[-1] == "-" and raw.rstrip("-")[-1:] in (" ", "\t"):
                raw, headings = split_glued_headings(raw, body)
                main_ve = body + len(raw)
        else:
            dashes = ruled = False
        # (``ruled`` still holds for a cut ``raw``: it is cut only when ``dashes``)
        if number is None and ruled:
            im = INLINE_HEADING.fullmatch(" " + raw.strip())
            txt = im.group(1) if im else _clean_text(drop_rule_lines(raw))
        else:
            if not (same_tv or dashes or heading):
                raw = tv[body : body + len(raw)]
            txt = _drop_pilcrows(raw).strip() if "¶" in raw else raw.strip()
        if double and "\n" in txt:
            txt = _BLANK_SPLIT.sub("\n", txt)  # the blank line after every line of the rendering
        if txt:
            if shift is not None:
                append(Paragraph(txt, number, mark, shift + vs, shift + main_ve))
            else:
                # ``_View.orig`` inlined: ``vstarts[0]`` is 0 and ``main_ve`` > ``vs`` >= 0 here
                i = bisect.bisect_right(vst, vs) - 1
                j = bisect.bisect_right(vst, main_ve - 1) - 1
                append(
                    Paragraph(txt, number, mark, ost[i] + vs - vst[i], ost[j] + main_ve - vst[j])
                )
        if headings:
            for title, hs, he in headings:
                append(Paragraph(title, None, None, view.orig(hs), view.orig(he, True)))
    return paras


def _clean_text(raw: str) -> str:
    return _drop_pilcrows(raw).strip()


def _drop_pilcrows(raw: str) -> str:
    """``_PILCROW_NUM.sub(r"\\1", raw)`` by ``str.find``: WikiLeaks' ``¶`` before a number that
    opens its line (after blanks) goes. A ``^``-anchored pattern is tried at every position."""
    i = raw.find("¶")
    if i < 0:
        return raw
    parts = []
    pos = 0
    while i >= 0:
        if raw[i + 1 : i + 2].isdecimal() and not raw[raw.rfind("\n", 0, i) + 1 : i].strip(" \t"):
            parts.append(raw[pos:i])
            pos = i + 1
        i = raw.find("¶", i + 1)
    parts.append(raw[pos:])
    return "".join(parts)
