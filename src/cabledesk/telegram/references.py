"""The REF block: cables, e-mails, telcons, reports ... cited by a cable (format.md §5.4).

``ref_block.py`` finds the block and its item letters, ``citations.py`` reads the cable
citations in it and the year each one means; here the items are assembled: cable references
(letter, text as written, canonical id) and, between letters or semicolons, the items that cite
no cable, with their kind (e-mail, telcon, memo, report ...).  A reference to the citing cable
itself is dropped.
"""

from __future__ import annotations

import bisect
import re

from .citations import (
    BARE,
    CABLE,
    FILLER,
    MORE,
    REVERSE,
    WORDS,
    CitationYears,
    resolve_station,
    year2,
)
from .ids import split_id
from .model import Reference
from .ref_block import (
    BULLET,
    MAX_BLOCK,
    REF_LINE,
    REF_START,
    blank_noise,
    block_length,
    item_letters,
    plausible_start,
    ref_start,
    skip_blanks,
)
from .stations import canonical_station, is_known

__all__ = ["find_references", "parse_references"]

_DIGIT = re.compile(r"\d")
_SEMICOLON = re.compile(";")  # a finditer beats a per-character loop over the block

_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", re.compile(r"E-?\s?MAILS?\b|\bEMAILED\b", re.I)),
    ("tel", re.compile(r"\bTELE?CONS?\b|\bTELEPHONE\b|\bPHONE\s?CALLS?\b|\bTELCON", re.I)),
    ("memo", re.compile(r"\bMEMCONS?\b|\bMEMO(?:RANDUM|S)?\b", re.I)),
    ("fax", re.compile(r"\bFAX(?:ES)?\b", re.I)),
    ("letter", re.compile(r"\bLETTERS?\b", re.I)),
    ("report", re.compile(r"\bREPORTS?\b|\bTD-\d|\bIIR\b|\bINCSR\b|\bINTSUM\b", re.I)),
    ("book", re.compile(r"\bFAM\b|\bFAH\b|\bHANDBOOK\b|\bAPPENDIX\b|\bMANUAL\b", re.I)),
    ("web", re.compile(r"https?://|\bwww\.|\bWEB\s?SITE\b|\bWEBPAGE\b", re.I)),
    ("meeting", re.compile(r"\bMEETINGS?\b|\bCONVERSATIONS?\b|\bDISCUSSIONS?\b", re.I)),
)

_TWO_LETTERS = re.compile(r"[A-Za-z]{2}")
_LEAD_LETTER = re.compile(r"(?:^|\s)\(?([A-Za-z])[.)]\s*$")
_EMPTY_ITEM = re.compile(r"^(?:(?:REF\w*|NONE|N/A)\W*)+$", re.I)


def _kind_of(segment: str) -> str:
    for kind, pat in _KINDS:
        if pat.search(segment):
            return kind
    return "other"


def _scan(
    text: str, start: int, w: str, ctx: CitationYears, first_letter: str | None
) -> list[Reference]:
    """References in the block whose blanked text ``w`` starts at ``text[start]``."""
    bullets = item_letters(w, first_letter)
    bullet_at = [bpos for bpos, _ in bullets]
    lead_letter = first_letter.upper() if first_letter else None

    def letter_at(pos: int) -> str | None:
        i = bisect.bisect_right(bullet_at, pos)
        return bullets[i - 1][1] if i else lead_letter

    found: list[tuple[int, int, Reference]] = []
    covered: list[tuple[int, int]] = []
    pos = 0
    while True:
        if _DIGIT.search(w, pos) is None:
            break  # every cable reference has a serial: skip the engine's failing scan
        cm = CABLE.search(w, pos)
        if not cm:
            break
        m = cm
        ser = m.group("ser")
        words = WORDS.findall(m.group("st") + " ")
        res = resolve_station(words)
        if res is None:
            # Retry after a leading letter or filler word ("C 05 Ottawa 2970"), not after prose
            # ("INCSR BRAZIL 2008" is a report, not BRAZIL 2008).
            head = words[0].upper().rstrip(".") if words else ""
            pos = m.start() + 1 if (len(head) == 1 or head in FILLER) else m.end()
            continue
        station, first = res
        if first == 0:
            yy = year2(m.group("y4") or m.group("y2") or m.group("yp"))
            s0 = m.start()
        else:
            yy = None
            s0 = m.start("st") + m.group("st").find(words[first])
        e0 = m.end("ser")
        if yy is None:
            for g in ("ym", "ys", "yd", "yb", "yt", "yo"):
                if m.group(g):
                    yy = year2(m.group(g))
                    if g != "ym":
                        e0 = m.end()  # the written year is part of the item (``LIMA 248 (06)``)
                    if yy is not None:
                        break  # (later groups are read only while no year is known)
        if first == 0 and m.group("y2") and len(m.group("y2").lstrip("'")) == 1:
            yy = None  # one digit is not a year ("9 FAM")
        serial = ser.replace("O", "0")
        cid = ctx.cable_id(station, serial, yy)
        found.append(
            (
                s0,
                e0,
                Reference(
                    "cable",
                    " ".join(text[start + s0 : start + e0].split()),
                    letter_at(s0),
                    cid,
                    start + s0,
                    start + e0,
                ),
            )
        )
        covered.append((s0, m.end()))
        pos = m.end()
        while True:
            more = MORE.match(w, pos)
            if not more:
                break
            y_more = year2(more.group("y"))
            cid2 = ctx.cable_id(station, more.group("ser"), yy if y_more is None else y_more)
            ms, me = more.start("ser"), more.end("ser")
            found.append(
                (
                    ms,
                    me,
                    Reference(
                        "cable",
                        text[start + ms : start + me],
                        letter_at(ms),
                        cid2,
                        start + ms,
                        start + me,
                    ),
                )
            )
            covered.append((more.start(), me))
            pos = me
    for bpos, _letter in bullets:
        bm = BULLET.match(w, bpos)
        if not bm:
            continue
        bare = BARE.match(w, bm.end())
        if not bare or any(a <= bare.start("ser") < b for a, b in covered):
            continue
        num = bare.group("ser")
        if len(num) == 4 and num[:2] in ("19", "20"):
            continue  # a year (WikiLeaks' "¶B. 2006" artefact), not a serial
        before = [r for s0, _e, r in found if s0 < bpos and r.kind == "cable"]
        if not before or not before[-1].cable_id:
            continue
        prev = split_id(before[-1].cable_id)
        if prev is None:
            continue
        bs, be = bare.start("ser"), bare.end("ser")
        found.append(
            (
                bs,
                be,
                Reference(
                    "cable",
                    num,
                    _letter,
                    ctx.cable_id(prev[1], num, (prev[0] or 0) % 100),
                    start + bs,
                    start + be,
                ),
            )
        )
        covered.append((bs, be))
    for m in REVERSE.finditer(w):
        if any(a <= m.start() < b or a < m.end() <= b for a, b in covered):
            continue
        word = m.group("st")
        if not is_known(word):
            continue
        station = canonical_station(word)
        cid = ctx.cable_id(station, m.group("ser"), None)
        found.append(
            (
                m.start(),
                m.end(),
                Reference(
                    "cable",
                    text[start + m.start() : start + m.end()],
                    letter_at(m.start()),
                    cid,
                    start + m.start(),
                    start + m.end(),
                ),
            )
        )
        covered.append((m.start(), m.end()))

    # Non-cable items: segments between bullets (or semicolons) with no cable in them.
    cuts = sorted({0, len(w)} | set(bullet_at) | {m.end() for m in _SEMICOLON.finditer(w)})
    # (items added below start inside their own segment: the segments after it see none)
    cited = sorted(s for s, _e, _r in found)
    for a, b in zip(cuts, cuts[1:], strict=False):
        i = bisect.bisect_left(cited, a)
        if i < len(cited) and cited[i] < b:
            continue  # the segment holds a cable reference
        seg = w[a:b]
        seg_start = a
        bm = BULLET.match(seg)
        if bm and a in bullet_at:
            seg_start = a + bm.end()
        raw = w[seg_start:b].strip().rstrip(";,").strip()
        if a == 0:
            raw = REF_START.sub("", raw, count=1).strip() if REF_START.match(raw) else raw
        if not _TWO_LETTERS.search(raw):
            continue
        value = " ".join(text[start + seg_start : start + b].replace("¶", " ").split())
        value = value.rstrip(";,").strip()
        if a == 0:
            rm = REF_START.match(value)
            if rm:
                value = value[rm.end() :].strip()
        if not value or _EMPTY_ITEM.match(value):
            continue
        rel = text.find(value.split()[0], start + seg_start, start + b)
        s_abs = rel if rel >= 0 else start + seg_start
        found.append(
            (
                seg_start,
                b,
                Reference(_kind_of(value), value, letter_at(seg_start), None, s_abs, start + b),
            )
        )
    found.sort(key=lambda t: t[0])
    out = []
    for _s, _e, ref in found:
        if ref.kind == "cable" and ctx.own and ref.cable_id == ctx.own[0]:
            continue
        out.append(ref)
    return out


def find_references(
    text: str, start: int, end: int, year: int | None, reference_id: str | None = None
) -> tuple[list[Reference], int]:
    """The references of the REF block in ``text[start:end]`` and the block's end offset.

    Returns ``([], start)`` when there is no REF block. A block with no reference in it (cut
    short: ``REF: A) Y...``) gives way to a later ``REF:`` in the region, as where the
    publisher glued a full copy of the front matter after the cut one.
    """
    m = ref_start(text, start, end)
    while m and not plausible_start(text, m):
        m = ref_start(text, m.end(), end)
    if not m:
        return [], start
    refs, block_end = _read_block(text, m, start, end, year, reference_id)
    pos = max(block_end, m.end())
    while not refs:
        later = ref_start(text, pos, end)
        while later and not later.group().rstrip().endswith(":"):
            later = ref_start(text, later.end(), end)
        if later is None:
            break
        refs, later_end = _read_block(text, later, start, end, year, reference_id)
        if refs:
            return refs, later_end
        pos = max(later_end, later.end())
    return refs, block_end


def _read_block(
    text: str, m: re.Match[str], start: int, end: int, year: int | None, reference_id: str | None
) -> tuple[list[Reference], int]:
    """The references of the block opened by the REF keyword ``m``, and the block's end."""
    if not m.group().rstrip().endswith((":", ".")):
        # ``SUBJECT: SAUDIS ON IRAN REF UPCOMING ...`` (regarding): a ``REF:`` opening a later
        # line is the block.
        later = REF_LINE.search(text, m.end(), end)
        if later is not None:
            m = REF_START.match(text, later.start(1), end) or m
    first_letter = None
    line_start = text.rfind("\n", start, m.start()) + 1
    lead = text[max(line_start, start) : m.start()]
    lm = _LEAD_LETTER.search(lead)
    if lm:
        first_letter = lm.group(1).upper()
    block_start = m.end()
    while True:  # "REF: REF:", "REF: REFERENCE:"
        again = REF_START.match(text, skip_blanks(text, block_start, end), end)
        if not again or again.end() == again.start():
            break
        block_start = again.end()
    w = blank_noise(text, block_start, min(end, block_start + MAX_BLOCK))
    w = w[: block_length(w, first_letter)]
    block_end = block_start + len(w)
    ctx = CitationYears(year, reference_id)
    refs = _scan(text, block_start, w, ctx, first_letter)
    return refs, block_end


def parse_references(
    text: str, year: int | None, reference_id: str | None = None
) -> list[Reference]:
    """Every reference of the REF block of ``text`` (conformance entry point)."""
    return find_references(text, 0, len(text), year, reference_id)[0]
