"""The REF block: cables, e-mails, telcons, reports ... cited by a cable (format.md §5.4).

A cable reference is ``<ORIGIN> <serial>`` with the year implied by the citing cable unless
written (``06 STATE 12345``, ``STATE 12345 OF 2006``, ``ASUNCION 701 (08)``, ``QUITO 4525-91``).
5 FAH-1 H-246.1a puts the text "two lines below the subject line or reference line", so the
block ends at a blank line followed by non-reference text, at ``Classified By``, at a numbered
paragraph or at a new classification line.  Lettered items (``A.``, ``A)``, ``(A)``, ``[A]``)
give the :attr:`Reference.letter`.

Year rule: a year-less cable reference takes the citing cable's year, except a reference to
the citing post itself whose serial is higher than the citing cable's own serial: serials run
up through the year, so it must be from the year before (``09THEHAGUE2`` citing
``THE HAGUE 276`` means ``08THEHAGUE276``).  A reference to the citing cable itself is dropped.
"""

from __future__ import annotations

import re

from .ids import canonical_id, split_id
from .model import Reference
from .stations import canonical_station, is_known, known_stations

__all__ = ["find_references", "parse_references"]

_DIGIT = re.compile(r"\d")
_SEMICOLON = re.compile(";")  # a finditer beats a per-character loop over the block

_REF_START = re.compile(
    r"(?:(?<=[A-Z])REFS?(?=[ \t]*:)|(?<![A-Za-z])(?:REF(?:S|TEL|TELS|ERENCES?)?|Ref(?:s|tel|tels|erences?)?|ref(?:s|tel)?))"
    r"(?![A-Za-z])[ \t]*(?:\(S\))?[ \t]*[:.]?"
)
# Terminators of the block (searched after noise is blanked), in three patterns that each open
# with a character the engine can skip to (a leading look-behind makes it try every position):
# ``Classified By``; a numbered paragraph with its portion mark; a line opening with a paragraph
# number or a classification, caption or subject word (the match starts after the ``\n``).
_END_CLASSIFIED = re.compile(
    r"Classi?f?ied\s+By\b|CLASSI?F?IED\s+BY\b|Classified\s+by\b|CLASSIFIED:"
)
_PORTION = r"\s?\.\s*\((?:U|C|S|SBU|TS|S/NF|C/NF|SBU/NF|S//NF|C//NF)[^)]{0,8}\)"
_END_PORTION = re.compile(rf"[¶\d](?<![\w./-][¶\d])(?:(?<=¶)\d{{1,2}}|(?<=\d)\d?){_PORTION}")
_END_LINE = re.compile(
    r"\n(?:[ \t]*¶?\d{1,2}\s?\.[ \t]"
    r"|(?i:[ \t]*(?:S\s?E\s?C\s?R\s?E\s?T\b|C\s?O\s?N\s?F\s?I\s?D\s?E\s?N\s?T\s?I\s?A\s?L\b"
    r"|UNCLAS|SENSITIVE|SUMMARY|SIPDIS|NOFORN|C\sO\sR\sR\sE\sC\sT|SUBJ(?:ECT)?\s*:|TAGS\b|E\.?O\.?\s"
    r"|BEGIN\s+SUMMARY|THIS\s+(?:MESSAGE|CABLE)\b)))"
)
_REF_LINE = re.compile(r"\n[ \t]*(REF(?:S|TELS?)?[ \t]*:)")
_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")
# Noise inside the block, blanked before scanning: SMART page markers, legacy page headers.
_PAGE_MARK = re.compile(
    r"(?<![A-Za-z])[A-Z][A-Z .'-]{0,30}?\s\d{8}\s+\d{3}(?:\.\d)?\s+OF\s+\d{3}\b"
)
_PAGE_HEAD = re.compile(
    r"(?:(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)[ \t]*(?:\\n|\s)*)?"
    r"PAGE\s+\d{2}\s+[A-Z][^\n]*?\d{6}Z"
)
# A zero typed for the letter O.  The ``0`` leads so the engine can jump between zeros; the
# look-behinds (spanning that zero) test the character before it.
_ZERO_IN_WORD = re.compile(
    r"0(?:(?<=[A-Za-z]0)(?=[A-Za-z]|[ \t])|(?<![A-Za-z0-9]0)(?=[A-Za-z]{3}))"
)

_WORD = r"(?:[A-Za-z][A-Za-z'’&-]*[A-Za-z]\.?|[A-Za-z](?=[ \t\n]))"
_WORDS = re.compile(_WORD)
_CABLE = re.compile(
    r"(?<![A-Za-z0-9/])"
    r"(?:(?:(?P<y4>(?:19|20)\d\d)|'?(?P<y2>[0O]?\d{1,2})|\((?P<yp>\d\d)\))[\s-]*)?"
    rf"(?P<st>{_WORD}(?:\s+{_WORD}){{0,5}})"
    r"[ \t]*(?:\((?P<ym>\d\d)\)[ \t]*|\([A-Z]\)[ \t]*)?[\s,:#-]*"
    r"(?P<ser>[O0-9]?\d{1,7})(?![A-Za-z0-9])"
    r"(?:/(?P<ys>\d\d)(?![\d/])|-(?P<yd>\d\d)(?!\d)|[ \t]+\((?P<yb>\d\d)\)"
    r"|[ \t]+(?P<yt>\d\d)(?![\d/])(?![ \t]*[A-Za-z])|[ \t]+OF[ \t]+(?P<yo>(?:19|20)\d\d))?"
)
_MORE = re.compile(
    r"(?:\s*(?:,|/|\band\b|\bAND\b|&)\s*)(?P<ser>\d{3,7})(?![\dA-Za-z])"
    r"(?:[ \t]*\((?P<y>(?:19|20)?\d\d)\))?"
)
# The first digit leads (the engine skips to it); the look-behind after it tests the character
# before the number.
_REVERSE = re.compile(
    r"(?P<ser>\d(?<![\w/.-]\d)\d{1,6})[ \t]+(?P<st>[A-Za-z][A-Za-z'-]+)(?=\s*(?:[,;]|$))"
)
# A bare serial opening a lettered item ("B. 2962 AND PREVIOUS"): same post as the item before.
_BARE = re.compile(r"[ \t]*(?P<ser>\d{3,7})(?![\dA-Za-z/.-])(?=[ \t]*(?:$|\n|[,;]|AND\b|\(|and\b))")
# ``(A)``, ``[A]``, ``A.``/``A)``/``A:``/``A -``.  The first character is consumed up front so
# the engine can skip to candidates; the look-behinds then span it (``[\s\S]`` or the letter
# captured by a look-behind group) to test what stands before the bullet.
_BULLET = re.compile(
    r"[(\[A-Za-z](?<![A-Za-z0-9'’][\s\S])"
    r"(?:(?<=\()(?P<a>[A-Za-z])\)|(?<=\[)(?P<b>[A-Za-z])\]"
    r"|(?<=(?P<c>[A-Za-z]))(?:\.\)|[.):]|[ \t]+-[ \t])(?=[\s\dA-Za-z('’\[¶-])"
    # a bare capital after white space or opening the block (``REF A SECRETARY'S LETTER``)
    r"|(?<=(?P<d>[A-Z]))(?:(?<=[\s,;:][A-Z])|(?<![\s\S][A-Z]))(?<![A-Z][ \t][A-Z])"
    r"[ \t]+(?=[A-Z0-9])(?![A-Z][ \t]))"
)
# A bullet alone at the start of its line (or of the block) is an item letter even when one
# letter is skipped (items dropped as years, ``C. 2006``) or the list is an extract
# (``REF: D. STATE 3691``); not a Roman ``I.`` heading after ``F.``.
_LINE_LEAD = re.compile(r"(?:^|\n)[ \t]*\Z")
_MAX_SKIP_FIRST = 3

_FILLER = frozenset(
    {
        "REF",
        "REFS",
        "REFTEL",
        "REFTELS",
        "REFERENCE",
        "UNCLASS",
        "UNCLASSIFIED",
        "CONFIDENTIAL",
        "SECRET",
        "EMBASSY",
        "AMEMBASSY",
        "AMCONSUL",
        "CONSULATE",
        "USMISSION",
        "SEE",
        "ALSO",
        "AND",
        "OR",
        "&",
    }
)
_TRAILING_FILLER = frozenset(
    {"CABLE", "CABLES", "TEL", "TELS", "TELEGRAM", "TELEGRAMS", "NO", "NOS", "NR", "MSG"}
)

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

_MAX_BLOCK = 2500
_EMPTY_ITEM = re.compile(r"^(?:(?:REF\w*|NONE|N/A)\W*)+$", re.I)


def _block_end(w: str) -> int:
    """Length of the REF block at the start of the blanked block text ``w``."""
    stop = len(w)
    m = _END_LINE.search(w)
    if m:
        stop = m.start() + 1
    m = _END_CLASSIFIED.search(w)  # not bounded by ``stop``: a match may run past it
    if m and m.start() < stop:
        stop = m.start()
    if "(" in w:  # a portion mark
        m = _END_PORTION.search(w)
        if m and m.start() < stop:
            stop = m.start()
    pos = 0
    while True:
        b = _BLANK_LINE.search(w, pos, stop)
        if not b:
            break
        nxt = b.end()
        line_end = w.find("\n", nxt, stop)
        line = w[nxt : line_end if line_end != -1 else stop]
        if not _continues(line):
            return b.start()
        pos = b.end()
    return stop


_NON_NL = re.compile(r"[^\n]")


def _blank_match(m: re.Match[str]) -> str:
    return _NON_NL.sub(" ", m.group())


def _work(text: str, start: int, end: int) -> str:
    """``text[start:end]`` with page markers, pilcrows and backslashes blanked (same length)."""
    chunk = text[start:end]
    if "OF" in chunk:
        chunk = _PAGE_MARK.sub(_blank_match, chunk)
    if "PAGE" in chunk:
        chunk = _PAGE_HEAD.sub(_blank_match, chunk)
    chunk = chunk.replace("¶", " ").replace("\\", " ")
    if "0" in chunk:
        chunk = _ZERO_IN_WORD.sub("O", chunk)
    return chunk


_CONT_BULLET = re.compile(r"^[ \t]*(?:¶\s*)?(?:\(?[A-Za-z0-9]{1,2}[.):\]]|\[[A-Za-z]\]|-|REF\b)")
_CONT_CABLE = re.compile(r"^[ \t]*(?:\d{2,4}[ \t]*)?[A-Za-z][A-Za-z .'-]*[ \t]\d{2,}|^[ \t]*\d{3,}")


def _continues(line: str) -> bool:
    return bool(_CONT_BULLET.match(line) or _CONT_CABLE.match(line))


def _resolve(words: list[str]) -> tuple[str, int] | None:
    """(canonical station, index of its first word) for the words before a serial."""
    upper = [w.upper().rstrip(".") for w in words]
    while upper and upper[-1] in _TRAILING_FILLER:
        upper.pop()
    if not upper:
        return None
    starts = []
    for i in range(len(upper)):
        starts.append(i)
        if not (upper[i] in _FILLER or len(upper[i]) == 1):
            break
    posts = known_stations()
    for i in starts:
        cand = "".join(upper[i:])
        if is_known(cand):
            st = canonical_station(cand)
            if st in posts or is_known(st):
                return st, i
    for i in starts:
        written = words[i:]
        if all(w.islower() for w in written):
            continue
        st = canonical_station("".join(upper[i:]), strict=True)
        if st in posts:
            return st, i
    return None


def _year2(text: str | None) -> int | None:
    if not text:
        return None
    digits = text.replace("O", "0").replace("'", "")
    if not digits.isdigit():
        return None
    return int(digits[-2:])


class _Ctx:
    __slots__ = ("year", "own")

    def __init__(self, year: int | None, reference_id: str | None) -> None:
        self.year = year
        self.own: tuple[str, str, int, str] | None = None
        if reference_id:
            sp = split_id(reference_id)
            if sp and sp[2].isdigit():
                self.own = (canonical_id(reference_id), sp[1], int(sp[2]), reference_id)

    def cable_id(self, station: str, serial: str, yy: int | None) -> str | None:
        num = int(serial)
        if yy is None:
            if self.year is None:
                return None
            y = self.year
            if self.own and self.own[1] == station and num > self.own[2]:
                y -= 1
            yy = y % 100
        return f"{yy:02d}{station}{num}"


def _kind_of(segment: str) -> str:
    for kind, pat in _KINDS:
        if pat.search(segment):
            return kind
    return "other"


def _leads_line(w: str, m: re.Match[str]) -> bool:
    """The bullet stands first on its line, followed by white space."""
    after = w[m.end() : m.end() + 1]
    if after and not after.isspace():
        return False
    return (
        _LINE_LEAD.search(w, max(0, m.start() - 40), m.start()) is not None
        or not w[: m.start()].strip()
    )


def _scan(text: str, start: int, w: str, ctx: _Ctx, first_letter: str | None) -> list[Reference]:
    """References in the block whose blanked text ``w`` starts at ``text[start]``."""
    # Bullets, accepted in sequence (A, A, B, C ...) so that initials are not taken for them.
    bullets: list[tuple[int, str]] = []
    current = first_letter.upper() if first_letter else None
    for m in _BULLET.finditer(w):
        letter = (m.group("a") or m.group("b") or m.group("c") or m.group("d") or "").upper()
        if current is None:
            ok = letter == "A"
        else:
            ok = letter == current or ord(letter) == ord(current) + 1
        if not ok and not m.group("d") and _leads_line(w, m):
            # ``B. 86108`` opening the block, ``D. PARIS 953`` after ``B.`` on a new line
            if current is None:
                ok = ord(letter) <= ord("A") + _MAX_SKIP_FIRST
            else:
                ok = ord(current) < ord(letter) <= ord(current) + 2
        if m.group("d") and current is None and m.start() > 12:
            ok = False
        if ok:
            bullets.append((m.start(), letter))
            current = letter

    def letter_at(pos: int) -> str | None:
        found = first_letter.upper() if first_letter else None
        for bpos, letter in bullets:
            if bpos > pos:
                break
            found = letter
        return found

    found: list[tuple[int, int, Reference]] = []
    covered: list[tuple[int, int]] = []
    pos = 0
    while True:
        if _DIGIT.search(w, pos) is None:
            break  # every cable reference has a serial: skip the engine's failing scan
        cm = _CABLE.search(w, pos)
        if not cm:
            break
        m = cm
        ser = m.group("ser")
        words = _WORDS.findall(m.group("st") + " ")
        res = _resolve(words)
        if res is None:
            # Retry after a leading letter or filler word ("C 05 Ottawa 2970"), not after prose
            # ("INCSR BRAZIL 2008" is a report, not BRAZIL 2008).
            head = words[0].upper().rstrip(".") if words else ""
            pos = m.start() + 1 if (len(head) == 1 or head in _FILLER) else m.end()
            continue
        station, first = res
        if first == 0:
            yy = _year2(m.group("y4") or m.group("y2") or m.group("yp"))
            s0 = m.start()
        else:
            yy = None
            s0 = m.start("st") + m.group("st").find(words[first])
        e0 = m.end("ser")
        for g in ("ym", "ys", "yd", "yb", "yt", "yo"):
            if yy is None and m.group(g):
                yy = _year2(m.group(g))
                if g != "ym":
                    e0 = m.end()  # the written year is part of the item (``LIMA 248 (06)``)
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
            more = _MORE.match(w, pos)
            if not more:
                break
            y_more = _year2(more.group("y"))
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
        bm = _BULLET.match(w, bpos)
        if not bm:
            continue
        bare = _BARE.match(w, bm.end())
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
    for m in _REVERSE.finditer(w):
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
    cuts = sorted({0, len(w)} | {b for b, _ in bullets} | {m.end() for m in _SEMICOLON.finditer(w)})
    for a, b in zip(cuts, cuts[1:], strict=False):
        if any(a <= s < b for s, _e, _r in found):
            continue
        seg = w[a:b]
        seg_start = a
        bm = _BULLET.match(seg)
        if bm and any(bp == a for bp, _ in bullets):
            seg_start = a + bm.end()
        raw = w[seg_start:b].strip().rstrip(";,").strip()
        if a == 0:
            raw = _REF_START.sub("", raw, count=1).strip() if _REF_START.match(raw) else raw
        if not re.search(r"[A-Za-z]{2}", raw):
            continue
        value = " ".join(text[start + seg_start : start + b].replace("¶", " ").split())
        value = value.rstrip(";,").strip()
        if a == 0:
            rm = _REF_START.match(value)
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


def _ref_start(text: str, pos: int, end: int) -> re.Match[str] | None:
    """``_REF_START.search(text, pos, end)``, begun at the first ``REF``/``Ref``/``ref``.

    Every match opens with one of the three words; ``str.find`` skips to it far faster than
    the engine, which tries the pattern's look-behinds at every position.
    """
    first = -1
    for word in ("REF", "Ref", "ref"):
        i = text.find(word, pos, end if first < 0 else first + 2)
        if i >= 0:
            first = i
    if first < 0:
        return None
    return _REF_START.search(text, first, end)


def find_references(
    text: str, start: int, end: int, year: int | None, reference_id: str | None = None
) -> tuple[list[Reference], int]:
    """The references of the REF block in ``text[start:end]`` and the block's end offset.

    Returns ``([], start)`` when there is no REF block.
    """
    m = _ref_start(text, start, end)
    while m and not _plausible_start(text, m):
        m = _ref_start(text, m.end(), end)
    if not m:
        return [], start
    if not m.group().rstrip().endswith((":", ".")):
        # ``SUBJECT: SAUDIS ON IRAN REF UPCOMING ...`` (regarding): a ``REF:`` opening a later
        # line is the block.
        later = _REF_LINE.search(text, m.end(), end)
        if later is not None:
            m = _REF_START.match(text, later.start(1), end) or m
    first_letter = None
    line_start = text.rfind("\n", start, m.start()) + 1
    lead = text[max(line_start, start) : m.start()]
    lm = re.search(r"(?:^|\s)\(?([A-Za-z])[.)]\s*$", lead)
    if lm:
        first_letter = lm.group(1).upper()
    block_start = m.end()
    while True:  # "REF: REF:", "REF: REFERENCE:"
        again = _REF_START.match(text, _skip_ws(text, block_start, end), end)
        if not again or again.end() == again.start():
            break
        block_start = again.end()
    w = _work(text, block_start, min(end, block_start + _MAX_BLOCK))
    w = w[: _block_end(w)]
    block_end = block_start + len(w)
    ctx = _Ctx(year, reference_id)
    refs = _scan(text, block_start, w, ctx, first_letter)
    return refs, block_end


def _skip_ws(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos] in " \t":
        pos += 1
    return pos


def _plausible_start(text: str, m: re.Match[str]) -> bool:
    """A REF keyword opens the block when followed by ``:``/``.`` or by a reference-like item."""
    if m.group().rstrip().endswith((":", ".")):
        return True
    follow = text[m.end() : m.end() + 40]
    return bool(
        re.match(
            r"\s*(?:\(?[A-Za-z][.):]|\[[A-Za-z]\]|\d|[A-Z]{2,}\s|[A-Z][a-z]+\s+\d|[A-Z]\s+[A-Z]{2,})",
            follow,
        )
    )


def parse_references(
    text: str, year: int | None, reference_id: str | None = None
) -> list[Reference]:
    """Every reference of the REF block of ``text`` (conformance entry point)."""
    return find_references(text, 0, len(text), year, reference_id)[0]
