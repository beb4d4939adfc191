"""Page and section break lines inside a cable's text, removed from paragraphs but kept as positions.

Sources: ACP 127 §138 / §208e (pages and sections of long messages), the legacy State print
format and the SMART/CableXpress page markers of Cablegate pages (format.md §5.7). Offsets are
absolute positions in the text passed in; every search is bounded to ``text[start:end]``.
"""

from __future__ import annotations

import re

from cabledesk.telegram.model import BreakLine

__all__ = ["find_breaks"]

_CLASS_WORD = r"(?:TOP SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED|UNCLAS|LIMITED OFFICIAL USE)"
_CLASS_SPACED = (
    r"(?:T\s?O\s?P\s+S\s?E\s?C\s?R\s?E\s?T|S\s?E\s?C\s?R\s?E\s?T"
    r"|C\s?O\s?N\s?F\s?I\s?D\s?E\s?N\s?T\s?I\s?A\s?L"
    r"|U\s?N\s?C\s?L\s?A\s?S(?:\s?S\s?I\s?F\s?I\s?E\s?D)?(?:\s+E\s?F\s?T\s?O)?"
    r"|LIMITED OFFICIAL USE)"
)

# Legacy AUTODIN print page line (format.md §1.4, §5.7) and the classification word the printer
# repeats at the foot of the page before it.
_PAGE_WORD = re.compile(r"PAGE[ \t]+\d{2,3}[ \t]")
_LEGACY_PAGE = re.compile(
    r"PAGE[ \t]+\d{2,3}[ \t]+[A-Z][A-Z .]*?[ \t]+\d{4,6}[ \t]+"
    r"(?:\d{2}[ \t]+OF[ \t]+\d{2}[ \t]+)?\d{6}Z[ \t]*"
)
_PAGE_LINE = re.compile(r"[ \t]*PAGE[ \t]+\d{2,3}[ \t]")
_PAGE_FOOT = re.compile(
    r"(?:(?:(?<=\n)[ \t]*|[ \t]{2,})" + _CLASS_WORD + r"[ \t]*\n(?:[ \t]*\n)*)+[ \t]*\Z"
)
# SMART / CableXpress page marker: station (at most 10 characters), 8-digit serial,
# page ``002`` or ``002.2``, ``OF 003``.  WikiLeaks often glues it into a line.
_OF_WORD = re.compile(r"OF[ \t]+\d{3}(?!\d)")
_SMART_HEAD = re.compile(r"(?<![\w])\d{8}[ \t]+\d{3}(?:\.\d)?[ \t]+\Z")
_UPPER_BEFORE = re.compile(r"[A-Z][ \t]*\Z")
_STATION_TAIL = re.compile(r"(?:[A-Z][A-Z.'/-]*[ \t])*[A-Z][A-Z.'/-]*[ \t]+$")
# A classification line opening a later section (ACP 127 §208e: SECTION nn OF mm).
_SECTION_WORD = re.compile(r"SECTION[ \t]+\d")
_SECTION_LINE = re.compile(
    r"[ \t]*(?:" + _CLASS_SPACED + r")[ \t]+SECTION[ \t]+0*(\d+)[ \t]+OF[ \t]+0*\d+[^\n]*",
    re.M,
)
# Lines of a repeated routing / distribution block before a section's classification line.
_HEADER_STRONG = re.compile(
    r"[ \t]*(?:"
    + _CLASS_WORD
    + r"(?:[ \t]+PTQ\w*)?[ \t]*$|PAGE[ \t]+0?1\b|ACTION[ \t]|INFO[ \t]|FM[ \t]"
    r"|TO[ \t]|XMT[ \t]|-{6,}\w*[ \t]+\d{6}Z|[OPRZ]{1,2}[ \t]+\d{6}Z[ \t]+[A-Z]{3}[ \t]+\d{2})"
)
_HEADER_WEAK = re.compile(
    r"[ \t]*(?:$|" + _CLASS_WORD + r"[ \t]*$"
    # office lists (``LAB-01 L-00``) and their ``/017W`` count, also on a line of its own
    r"|(?:(?:[A-Z][A-Z0-9]{0,5}-\d{2}[ \t]*)+(?:/\d{3}W)?|/\d{3}W)[ \t]*$"
    r"|(?:[A-Z][A-Z0-9.&'()/-]*[ \t]+)*"
    r"(?:AMEMBASSY|AMCONSUL|USMISSION|SECSTATE|WASHDC|COLLECTIVE|PRIORITY|IMMEDIATE|ROUTINE"
    r"|USDEL|USNATO|USEU|SECDEF|CIA|NSC|DIA|JCS)\b[A-Z0-9 .&'()/-]*$)"
)
# Front-matter lines repeated after a section's classification line.
_FRONT_LINE = re.compile(
    r"[ \t]*(?:E\.?[ \t]?O\.?[ \t]+\d|TAGS\b|SUBJECT\b|SUBJ\b)"
    r"|[A-Z0-9 .,/&()';:-]*\b(?:E\.O\.[ \t]+1\d{4}:|TAGS:)"
)
_CAPTION_LINE = re.compile(
    r"[ \t]*(?:SIPDIS|NOFORN|SENSITIVE(?: BUT UNCLASSIFIED)?|EXDIS|NODIS|LIMDIS|STADIS"
    r"|CHEROKEE|[Xx]{3,}|C[ ]O[ ]R[ ]R[ ]E[ ]C[ ]T[ ]E[ ]D[ ]C[ ]O[ ]P[ ]Y.*|"
    + _CLASS_WORD
    + r")?[ \t]*$"
)
_SIPDIS_WORD = re.compile(r"SIPDIS")
_SIPDIS = re.compile(r"SIPDIS\b[ \t]*(?:\n(?=[ \t]*\n))?")
# ``SIPDIS`` inserted between two lower-case words of a sentence (``the 31 assistant SIPDIS
# mayoralties``); not when the text talks about the caption (``Please include SIPDIS in ...``).
_SIPDIS_MID = re.compile(r".*[a-z,][ \t](?<!include )(?<!use )(?<![Tt]he )(?<!a )(SIPDIS) ([a-z]+)")
_SIPDIS_NEAR = frozenset(("caption", "in", "on", "distribution", "tag", "feed", "channel"))
_MISSING_SECTION = re.compile(r"\*{5,}[ \t]*\*?[ \t]*Missing Section \d+[ \t]*\*?[ \t]*\*{5,}")

_FRONT_WINDOW = 15


def _line_end(text: str, pos: int, end: int) -> int:
    le = text.find("\n", pos, end)
    return end if le < 0 else le


def _line_start(text: str, start: int, pos: int) -> int:
    ls = text.rfind("\n", start, pos) + 1
    return ls if ls > start else start


def _section_breaks(text: str, start: int, end: int) -> list[BreakLine]:
    out: list[BreakLine] = []
    for w in _SECTION_WORD.finditer(text, start, end):
        ls = text.rfind("\n", start, w.start()) + 1
        if ls < start:
            ls = start
        m = _SECTION_LINE.match(text, ls, end)
        if m is None or (out and ls < out[-1].end):
            continue
        # Backwards over a repeated routing block: weak lines count only when a strong
        # header line (PTQ, PAGE, ACTION, INFO, FM, TO, DTG) is reached.
        bstart = ls
        cur = ls
        while cur > start:
            ps = text.rfind("\n", start, cur - 1) + 1
            if ps < start:
                ps = start
            if _HEADER_STRONG.match(text, ps, cur - 1):
                bstart = ps
            elif not _HEADER_WEAK.match(text, ps, cur - 1):
                break
            cur = ps
        while bstart < ls and text[bstart:ls].strip() == "":
            bstart = ls
        # Forwards over captions and the repeated E.O./TAGS/SUBJECT lines.
        bend = m.end()
        pos = m.end()
        last_front = -1
        scan_end = bend
        for _i in range(_FRONT_WINDOW):
            if pos >= end:
                break
            ns = pos + 1
            ne = text.find("\n", ns, end)
            if ne < 0:
                ne = end
            if _FRONT_LINE.match(text, ns, ne):
                last_front = ne
            elif not (
                _CAPTION_LINE.fullmatch(text, ns, ne)
                or _PAGE_LINE.match(text, ns, ne)
                or _passing_line(text, ns, ne)
            ):
                break
            scan_end = ne
            pos = ne
        if last_front >= 0:
            bend = last_front
        else:
            # only captions directly after the classification line
            pos = m.end()
            while pos < end:
                ns = pos + 1
                ne = text.find("\n", ns, end)
                if ne < 0:
                    ne = end
                if not _CAPTION_LINE.fullmatch(text, ns, ne) or ns >= scan_end + 1:
                    break
                bend = ne
                pos = ne
        out.append(BreakLine("section", text[bstart:bend].strip(), bstart, bend))
    return out


_PASSING = re.compile(
    r"[ \t]*[A-Z][A-Z0-9.,/&()' -]*\b(?:FOR|PASS|MESSAGE NO)\b[A-Z0-9.,/&()'; -]*$"
)


def _passing_line(text: str, s: int, e: int) -> bool:
    return e - s < 160 and _PASSING.fullmatch(text, s, e) is not None


def find_breaks(text: str, start: int = 0, end: int | None = None) -> list[BreakLine]:
    """Page, section and caption break lines inside ``text[start:end]``, in text order.

    Kinds: ``section`` (a later section's classification line with the repeated routing block
    before it and repeated front matter after it, ACP 127 §208e), ``page`` (legacy ``PAGE nn``
    print lines with the repeated classification word, SMART ``STATION 00000492 002 OF 002``
    markers wherever they stand), ``caption`` (``SIPDIS`` inserted at a line start or between
    two lower-case words of a sentence, and WikiLeaks' ``* Missing Section 003 *`` banner).
    """
    if end is None:
        end = len(text)
    sections = _section_breaks(text, start, end)
    taken = [(b.start, b.end) for b in sections]

    def free(s: int, e: int) -> bool:
        return all(e <= ts or s >= te for ts, te in taken)

    out: list[BreakLine] = list(sections)
    for w in _PAGE_WORD.finditer(text, start, end):
        ls = _line_start(text, start, w.start())
        if text[ls : w.start()].strip():
            continue
        m = _LEGACY_PAGE.match(text, w.start(), end)
        if m is None:
            continue
        s, e = ls, m.end()
        foot = _PAGE_FOOT.search(text, max(start, ls - 80), ls)
        if foot is not None:
            s = foot.start()
        if free(s, e):
            out.append(BreakLine("page", text[s:e].strip(), s, e))
            taken.append((s, e))
    for w in _OF_WORD.finditer(text, start, end):
        h = _SMART_HEAD.search(text, max(start, w.start() - 24), w.start())
        if h is None:
            continue
        s, e = h.start(), w.end()
        lo = max(start, s - 11)
        tail = _STATION_TAIL.search(text, lo, s)
        if tail is None:
            continue
        st = tail.start()
        words = text[st:s].split()
        # The station field holds at most 10 characters; adjoining upper-case text
        # (a glued heading) keeps only the last word.
        before = text[max(start, st - 2) : st]
        if len(words) > 1 and (len(" ".join(words)) > 10 or _UPPER_BEFORE.search(before)):
            st = s - len(text[st:s]) + text[st:s].rfind(words[-1])
        if st > start and text[st - 1].isalnum():
            continue
        if free(st, e):
            out.append(BreakLine("page", text[st:e], st, e))
            taken.append((st, e))
    for w in _SIPDIS_WORD.finditer(text, start, end):
        ls = _line_start(text, start, w.start())
        if text[ls : w.start()].strip():
            mid = _SIPDIS_MID.match(text, max(ls, w.start() - 30), min(end, w.end() + 30))
            if mid is not None and mid.end(1) == w.end():
                s, e = w.start(), mid.end(1) + 1
                if free(s, e) and mid.group(2).lower() not in _SIPDIS_NEAR:
                    out.append(BreakLine("caption", "SIPDIS", s, e))
                    taken.append((s, e))
            continue
        m = _SIPDIS.match(text, w.start(), end)
        if m is None:
            continue
        s, e = ls, m.end()
        if free(s, e):
            out.append(BreakLine("caption", "SIPDIS", s, e))
            taken.append((s, e))
    if text.find("Missing Section", start, end) >= 0:
        for m in _MISSING_SECTION.finditer(text, start, end):
            if free(m.start(), m.end()):
                out.append(BreakLine("caption", m.group(), m.start(), m.end()))
    out.sort(key=lambda b: b.start)
    return out
