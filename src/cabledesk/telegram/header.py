"""The ACP-127 transmission header (format lines 1-5) and the FM/TO/INFO/XMT addressees (FL6-FL9).

The header region is everything before the classification line. It is read line by line (a
header has some twenty lines, so a line loop is cheap); every line is matched against the
format-line patterns of ACP 127 Annex B as State renders them (format.md §3), plus the legacy
print-format extras (``PAGE 01 ...``, ``ACTION``/``INFO`` office lists, the dashed counter line;
format.md §1.4). Lines that several renderings glued together (``... /006W ---- O 291359Z NOV 00
FM AMEMBASSY HARARE TO SECSTATE WASHDC ...``) are split at the point where the next format
element starts, so they read as if the line breaks were still there.

Rules of thumb, each from the corpus (format.md §8): lines may end in spaces or a stray ``\\``;
addressee lists may contain a blank line or a ``PAGE 02 STATE 023763 071504Z`` continuation
line; anything after the addressee block that is not an addressee (a WikiLeaks date line, a CSV
record of the same header) ends the header.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from cabledesk.telegram.model import Addressee, TransmissionHeader

__all__ = [
    "HeaderParts",
    "dtg_to_datetime",
    "extract_header",
    "julian_to_date",
    "parse_info_recipients",
    "parse_recipients",
]


@dataclass(slots=True)
class HeaderParts:
    """What :func:`extract_header` found: FL1-FL5 (plus legacy extras) and the addressees."""

    header: TransmissionHeader = field(default_factory=TransmissionHeader)
    from_: Addressee | None = None
    to: list[Addressee] = field(default_factory=list)
    info: list[Addressee] = field(default_factory=list)
    xmt: list[Addressee] = field(default_factory=list)


# --- format lines ----------------------------------------------------------------------------

# FL1, ACP 127 §202c(1) / 5 FAH-2 H-321.1: V ZCZC + channel designator + serial (3-4 digits).
_FL1 = re.compile(r"VZCZC([A-Z]{3})(\d{3,4})(?!\d)")
# FL2, ACP 127 §151a: repeated precedence prosign, then the routing indicators (ACP 117).
# Dual prosigns (RP, PO) and NN occur once each in the corpus, so any two letters are taken
# when routing indicators follow.
_FL2 = re.compile(r"([A-Z]{2})((?: +R[A-Z]{3,7})+) *$")
_RI_LINE = re.compile(r"R[A-Z]{3,7}(?: +R[A-Z]{3,7})* *$")
_RI = re.compile(r"R[A-Z]{3,7}")
# FL3, ACP 127 §133/§129/§115: DE, station RI, #serial[/section], Julian filing time JJJHHMM.
_FL3 = re.compile(r"DE +(R[A-Z]{3,7}) +#?(\d{3,6}[A-Z]?)(?:/(\d{1,3}))?(?: +(\d{7})(?!\d))?")
# FL4, ACP 127 §203: ZNR/ZNY + classification letter x5, then other operating signals.
_FL4 = re.compile(r"(ZN[RY]) +([A-Z]{3,6})(?![A-Z])")
# FL5, ACP 127 §113/§152b: prosign(s), DTG DDHHMMZ MON YY(YY), operating signals.
_FL5 = re.compile(r"([ZOPRYN](?: [ZOPRYN]){0,2}) +(\d{6}Z +[A-Za-z]{3} +(?:\d{4}|\d{2}))(?!\d)")
# Operating-signal groups: a parenthesised crypto note stays one group.
_GROUP = re.compile(r"\([^)]*\)?|[^\s(]+")
# Legacy print format (format.md §1.4).
_PAGE = re.compile(r"PAGE +\d{2,3}\b")
_PAGE_LINE = re.compile(r"PAGE +\d{2,3}\b[^\n]*?\d{6}Z|PAGE +\d{2,3}\b[^\n]*")
_ACTION = re.compile(r"ACTION +([A-Z][A-Z0-9]*-\d{2}(?: +[A-Z][A-Z0-9]*-\d{2})*)")
_OFFICE = re.compile(r"[A-Z][A-Z0-9]*-\d{2}(?![\dA-Z])")
_OFFICE_INFO = re.compile(r"INFO +(?=[A-Z][A-Z0-9]*-\d{2}(?![\dA-Z]))")
_OFFICE_LINE = re.compile(r"[A-Z][A-Z0-9]*-\d{2}(?![\dA-Z])")
_OFFICE_END = re.compile(r"/ ?\d{3} ?W\b")
_DASHES = re.compile(r"-{6,}[ \t]*(?:[0-9A-F]{6}\b)?[ \t]*(?:\d{6}Z)?[ \t]*(?:/\d+)?")

# --- addressees --------------------------------------------------------------------------------

# FL6-FL9 prosigns; "XMT/AMEMBASSY SOFIA" (5 FAH-2 H-321.9 example) takes a slash.
_PROSIGN = re.compile(r"(FM|TO|INFO|XMT)(?:[ /]+|$|(?=R[A-Z]{3,7}/))")
# A prosign glued inside a line ("FM AMEMBASSY HARARE TO SECSTATE WASHDC ...").
_GLUED_PROSIGN = re.compile(r" (FM|TO|INFO|XMT)(?= )")
_PRECEDENCE = r"FLASH|NIACT +IMMEDIATE|IMMEDIATE|PRIORITY|ROUTINE"
# Message continuity number, 5 FAH-2 H-321.7/.8: four digits, a range for sectioned messages.
_MCN = r"\d{4,}(?:-\d{4,})?"
# One address line (format.md §3.6): RI/PLAD [PRECEDENCE] [MCN]; an MCN before the precedence
# word occurs too (``RUEHLO/AMEMBASSY LONDON 8778 PRIORITY``).
_ADDRESS = re.compile(
    r"(?:(?P<ri>R[A-Z]{3,7}|ZEN)/)?(?P<name>\S.*?)"
    rf"(?: +(?P<prec>{_PRECEDENCE}))?(?: +(?P<mcn>{_MCN}))?(?: +(?P<prec2>{_PRECEDENCE}))? *$"
)
# Where one address ends inside a glued run: after a precedence word (and its MCN), after an
# MCN, before an RI/ or a State PLAD head word.
_HEAD_WORDS = r"AMEMBASSY|AMCONSUL|USMISSION|SECSTATE|USINT"
_SPLIT = re.compile(
    rf"\b(?:{_PRECEDENCE})\b(?: +{_MCN})?(?! *\d)(?= +\S)"
    rf"|(?<= ){_MCN}(?: +(?:{_PRECEDENCE})\b)?(?! +(?:{_PRECEDENCE})\b)(?! *\d)(?= +\S)"
    rf"|(?<= )(?=(?:R[A-Z]{{3,7}}|ZEN)/)|(?<= )(?=(?:{_HEAD_WORDS}) )"
)
_GLUED_COLLECTIVE = re.compile(rf"(?:{_HEAD_WORDS}) +\S+ +.*\bCOLLECTIVE *$")
_TOKEN_GAP = re.compile(r" +")
_HEAD_ONLY = re.compile(rf"(?:(?:R[A-Z]{{3,7}}|ZEN)/)?(?:(?:{_HEAD_WORDS}) *)+$")
_LOWER = re.compile(r"[a-z]")
_STARTS_ADDRESS = re.compile(
    r"(?:R[A-Z]{3,7}|ZEN)/|(?:FM|TO|INFO|XMT)(?:[ /]|R[A-Z]{3,7}/)|PAGE +\d"
)
_HEADER_AGAIN = re.compile(r"VZCZC|ZN[RY] |DE +R[A-Z]{3,7} +#")
_SPACES = re.compile(r" {2,}")
# One line, without its leading blanks and its trailing blanks / stray backslashes.
_LINE = re.compile(r"[ \t]*((?:[^\n]*[^\s\\])?)[^\n]*\n?")
# A plain address line: name tokens never are a precedence word, an MCN, a prosign, PAGE or a
# second PLAD head word, so a line holding more than one address fails here and takes the
# careful path (_address_text). This is the per-line form, kept as the specification of
# _FAST_LINE below (tests/test_header.py checks the two read every line alike).
_NOT_NAME = rf"(?:{_PRECEDENCE}|NIACT|FM|TO|INFO|XMT|PAGE|{_MCN}|{_HEAD_WORDS})(?![^ ])"
_TOKEN = r"[A-Z0-9(][A-Z0-9.()&,:'#+-]*"
_FAST = re.compile(
    r"(?:(?P<kw>FM|TO|INFO|XMT)(?:[ /]+|(?=R[A-Z]{3,7}/)))?(?:(?P<ri>R[A-Z]{3,7}|ZEN)/)?"
    rf"(?P<name>(?!(?:{_PRECEDENCE}|NIACT|FM|TO|INFO|XMT|PAGE)(?![^ ])){_TOKEN}"
    rf"(?: +(?!{_NOT_NAME}){_TOKEN})*)"
    rf"(?: +(?P<prec>{_PRECEDENCE}))?(?: +(?P<mcn>{_MCN}))?(?: +(?P<prec2>{_PRECEDENCE}))? *$"
)
# _FAST fused with _LINE: one match reads a whole plain address line from its start (leading
# blanks) through its newline, so the addressee block costs one regex call per line. "End of
# the line" is wherever only blanks / stray backslashes remain before the newline (as in
# _LINE); the `(?![^ ])` word ends of _FAST become "a space or the end of the line".
_EOL = r"(?:[ \t]*(?:\n|\Z)|(?:[^\S\n]|\\)*(?:\n|\Z))"  # the first branch: the usual case
_NOT_NAME_L = rf"(?:{_PRECEDENCE}|NIACT|FM|TO|INFO|XMT|PAGE|{_MCN}|{_HEAD_WORDS})(?= |{_EOL})"
_FAST_LINE = re.compile(
    r"[ \t]*(?:(?P<kw>FM|TO|INFO|XMT)(?:[ /]+|(?=R[A-Z]{3,7}/)))?"
    r"(?:(?P<ri>R[A-Z]{3,7}|ZEN)/)?"
    rf"(?P<name>(?!(?:{_PRECEDENCE}|NIACT|FM|TO|INFO|XMT|PAGE)(?= |{_EOL})){_TOKEN}"
    rf"(?: +(?!{_NOT_NAME_L}){_TOKEN})*)"
    rf"(?: +(?P<prec>{_PRECEDENCE}))?(?: +(?P<mcn>{_MCN}))?(?: +(?P<prec2>{_PRECEDENCE}))?"
    rf"(?P<e>){_EOL}"
)

_PRE, _ADDR, _DONE = 0, 1, 2
# Lines of non-header text tolerated before the header (a partial-extract notice, a preamble,
# a NARA stamp); past this the region is body text and scanning it is wasted time.
_MAX_JUNK = 40


class _State:
    """Mutable scan state for one header region."""

    __slots__ = ("after_blank", "collectives", "junk", "office", "parts", "phase", "section")

    def __init__(self) -> None:
        self.parts = HeaderParts()
        self.phase = _PRE
        self.section: str | None = None
        self.after_blank = False
        self.office = False
        self.collectives: list[Addressee] = []
        self.junk = 0


def extract_header(text: str, start: int, end: int) -> HeaderParts:
    """Read FL1-FL9 (and the legacy print-format lines) from ``text[start:end]``.

    ``end`` is where the classification line begins; offsets in the result are absolute.
    """
    st = _State()
    pos = end
    for lm in _LINE.finditer(text, start, end):
        s, e = lm.span(1)
        if s == e:
            st.office = False
            continue
        if _pre_line(text, s, e, st):
            # the line is a plain prosign line: read it in the addressee loop below
            pos = lm.start()
            break
        if st.phase == _ADDR:
            pos = lm.end()
            break
        if st.junk > _MAX_JUNK:
            break
    # The addressee block. Hot loop: state kept in locals, the prosign's list looked up once
    # per prosign; what it does per line is _address_text + _add for a plain line.
    parts = st.parts
    fast = _FAST_LINE.match
    after_blank = False
    section = st.section
    target = _target(parts, section)
    while pos < end:
        # Fast path: one plain address line (the vast majority).
        f = fast(text, pos, end)
        if f is not None:
            kw, ri, name, prec, mcn, prec2, _ = f.groups()
            if kw is not None:
                if kw != section:
                    st.section = section = kw
                    target = _target(parts, kw)
            elif ri is None and (after_blank or _HEADER_AGAIN.match(text, f.start(3), f.start(7))):
                break
            pos = f.end()
            after_blank = False
            if "  " in name:
                name = _SPACES.sub(" ", name)
            prec = prec or prec2
            if prec is not None and "  " in prec:
                prec = _SPACES.sub(" ", prec)
            a = Addressee(name, ri, prec, mcn, False, [], f.start(2 if ri else 3), f.start(7))
            if target is not None:
                if (
                    "COLLECTIVE" in name
                    or name.startswith("ALL ")
                    or name.endswith("POSTS")
                    or "MEMBER STATES" in name
                ):
                    a.collective = True
                    st.collectives.append(a)
                target.append(a)
            else:
                _add(st, a)
            continue
        ln = _LINE.match(text, pos, end)
        assert ln is not None
        pos = ln.end()
        s, e = ln.span(1)
        if s == e:
            after_blank = True
            continue
        # Addressee block: a blank line or junk ends it (a date line, a repeated CSV header).
        if (
            (after_blank and not _STARTS_ADDRESS.match(text, s, e))
            or _LOWER.search(text, s, e)
            or _HEADER_AGAIN.match(text, s, e)
        ):
            break
        after_blank = False
        _address_text(text, s, e, st)
        if st.section != section:
            section = st.section
            target = _target(parts, section)
    return st.parts


def _target(parts: HeaderParts, section: str | None) -> list[Addressee] | None:
    """The list :func:`_add` files a plain address under, or None where it does more (FM, XMT)."""
    if section == "FM" or section == "XMT":
        return None
    return parts.to if section == "TO" else parts.info


def _pre_line(text: str, s: int, e: int, st: _State) -> bool:
    """One line before the addressees: FL1-FL5, legacy extras, or junk to skip.

    True when the line opens the addressees (FL6 on a line of its own) and is left unread.
    """
    h = st.parts.header
    s0 = s
    while s < e:
        if st.office:
            m = _OFFICE_LINE.match(text, s, e)
            if m:
                s = _office_tokens(text, s, e, h.info_offices, st)
                continue
            st.office = False
        c = text[s]
        if c == "V" and h.transmission_id is None and (m := _FL1.match(text, s, e)):
            h.transmission_id = m.group(0)
            h.channel, h.channel_serial = m.group(1), m.group(2)
            s = m.end()
        elif c == "R" and h.routing_indicators and h.station is None and _RI_LINE.match(text, s, e):
            h.routing_indicators.extend(_RI.findall(text, s, e))
            s = e
        elif (
            h.precedence_prosign is None
            and h.station is None
            and "A" <= c <= "Z"
            and (m := _FL2.match(text, s, e))
            and (h.transmission_id is not None or m.group(1)[0] == m.group(1)[1])
        ):
            h.precedence_prosign = m.group(1)
            h.routing_indicators.extend(m.group(2).split())
            s = e
        elif c == "D" and h.station is None and (m := _FL3.match(text, s, e)):
            h.station, h.station_serial = m.group(1), m.group(2)
            h.section = int(m.group(3)) if m.group(3) else None
            h.filing_time = m.group(4)
            s = m.end()
        elif c == "Z" and h.security is None and (m := _FL4.match(text, s, e)):
            h.security = f"{m.group(1)} {m.group(2)}"
            s = _signals(text, m.end(), e, h.operating_signals)
        elif h.dtg is None and c in "ZOPRYN" and (m := _FL5.match(text, s, e)):
            h.fl5_precedence = m.group(1).split()
            h.dtg = m.group(2)
            s = _signals(text, m.end(), e, h.fl5_signals)
        elif c == "P" and (m := _PAGE.match(text, s, e)):
            pm = _PAGE_LINE.match(text, s, e)
            assert pm is not None
            if h.page_line is None:
                h.page_line = _SPACES.sub(" ", pm.group(0))
            s = pm.end()
        elif c == "A" and (m := _ACTION.match(text, s, e)):
            h.action_offices.extend(m.group(1).split())
            s = m.end()
        elif c == "I" and (m := _OFFICE_INFO.match(text, s, e)):
            st.office = True
            s = _office_tokens(text, m.end(), e, h.info_offices, st)
        elif c == "-" and (m := _DASHES.match(text, s, e)):
            s = m.end()
        elif c in "FTIX" and _PROSIGN.match(text, s, e) and not _LOWER.search(text, s, e):
            st.phase = _ADDR
            if s == s0:
                return True
            _address_text(text, s, e, st)
            return False
        else:
            # Junk before the header proper (partial-extract notice, "CONFIDENTIAL PTQ2529",
            # a date line, body text when no classification line was found).
            st.junk += 1
            return False
        while s < e and text[s] == " ":
            s += 1
    return False


def _signals(text: str, s: int, e: int, out: list[str]) -> int:
    """Collect operating-signal groups up to the end of the line or a glued ``FM``."""
    g = _GLUED_PROSIGN.search(text, s, e)
    stop = g.start() if g is not None and g.group(1) == "FM" else e
    out.extend(_GROUP.findall(text, s, stop))
    return stop


def _office_tokens(text: str, s: int, e: int, out: list[str], st: _State) -> int:
    """Legacy ``INFO LOG-00 NP-00 ... /006W`` office symbols (kept as written, count included)."""
    m = _OFFICE_END.search(text, s, e)
    stop = m.start() if m else e
    out.extend(_OFFICE.findall(text, s, stop))
    if m:
        st.office = False
        return m.end()
    return e


def _address_text(text: str, s: int, e: int, st: _State) -> None:
    """An addressee line, possibly with a prosign, a PAGE continuation, or glued neighbours."""
    while s < e:
        if text[s] == "P" and _PAGE.match(text, s, e):
            pm = _PAGE_LINE.match(text, s, e)
            assert pm is not None
            s = pm.end()
        elif m := _PROSIGN.match(text, s, e):
            st.section = m.group(1)
            s = m.end()
        else:
            g = _GLUED_PROSIGN.search(text, s, e)
            stop = g.start() if g is not None else e
            _address_run(text, s, stop, st)
            s = stop
        while s < e and text[s] == " ":
            s += 1


def _address_run(text: str, s: int, e: int, st: _State) -> None:
    """One or more addresses written on one line (split where a new one plainly starts)."""
    piece = s
    for m in _SPLIT.finditer(text, s, e):
        cut = m.end()
        if cut <= piece or _HEAD_ONLY.match(text, piece, cut):
            continue
        _address(text, piece, cut, st)
        piece = cut
        while piece < e and text[piece] == " ":
            piece += 1
    if piece < e:
        _address(text, piece, e, st)


def _address(text: str, s: int, e: int, st: _State) -> None:
    while e > s and text[e - 1] == " ":
        e -= 1
    # "AMEMBASSY CAIRO EUROPEAN POLITICAL COLLECTIVE" (a glued run, 01VATICAN5693): a post and
    # a collective; split after the longest known PLAD (ACP 117 names) that leaves a collective.
    if _GLUED_COLLECTIVE.match(text, s, e):
        known = _known_plads()
        cuts = [m.start() for m in _TOKEN_GAP.finditer(text, s, e)]
        for cut in reversed(cuts[:4]):
            if _SPACES.sub(" ", text[s:cut]) in known:
                _address(text, s, cut, st)
                s = cut + 1
                while s < e and text[s] == " ":
                    s += 1
                break
    m = _ADDRESS.match(text, s, e)
    if m is None:
        return
    prec = m.group("prec") or m.group("prec2")
    name = m.group("name")
    a = Addressee(
        address=_SPACES.sub(" ", name) if "  " in name else name,
        routing_indicator=m.group("ri"),
        precedence=(_SPACES.sub(" ", prec) if "  " in prec else prec) if prec else None,
        mcn=m.group("mcn"),
        start=s,
        end=e,
    )
    _add(st, a)


def _add(st: _State, a: Addressee) -> None:
    """File one address under the current prosign (FL6 FM, FL7 TO, FL8 INFO, FL9 XMT)."""
    name = a.address
    a.collective = (
        "COLLECTIVE" in name
        or name.startswith("ALL ")
        or name.endswith("POSTS")
        or "MEMBER STATES" in name
    )
    parts = st.parts
    section = st.section
    if section == "FM":
        if parts.from_ is None:
            parts.from_ = a
        return
    if section == "XMT":
        # FL9 (ACP 127 §205b): posts exempted from the preceding collective address.
        parts.xmt.append(a)
        target = st.collectives[-1] if st.collectives else None
        if target is None:
            listed = parts.info or parts.to
            target = listed[-1] if listed else None
        if target is not None:
            target.collective = True
            if a.address not in target.excluded:
                target.excluded.append(a.address)
        return
    (parts.to if section == "TO" else parts.info).append(a)
    if a.collective:
        st.collectives.append(a)


def _known_plads() -> frozenset[str]:
    """Plain-language addresses named in ACP 117 (the routing-indicator table)."""
    from cabledesk.telegram.codes import plain_language_addresses

    return plain_language_addresses()


# --- conformance-facing ------------------------------------------------------------------------


def parse_recipients(header: str) -> list[Addressee]:
    """Action addressees (FL7, ``TO``) of a header text."""
    return extract_header(header, 0, len(header)).to


def parse_info_recipients(header: str) -> list[Addressee]:
    """Information addressees (FL8, ``INFO``) of a header text."""
    return extract_header(header, 0, len(header)).info


# --- dates -------------------------------------------------------------------------------------

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1
    )
}
_DTG = re.compile(r"\s*(\d{2})(\d{2})(\d{2})Z\s+([A-Za-z]{3})\s+(\d{4}|\d{2})\s*$")
_JULIAN = re.compile(r"\s*(\d{3})(\d{2})?(\d{2})?\s*$")


def _full_year(yy: str) -> int:
    """Two-digit DTG years (State kept them after 2006, format.md §3.5): 66-99 are 19xx."""
    y = int(yy)
    if len(yy) == 4:
        return y
    return 1900 + y if y >= 66 else 2000 + y


def dtg_to_datetime(dtg: str) -> dt.datetime | None:
    """``121523Z JAN 07`` -> 2007-01-12 15:23 UTC (ACP 127 §113); ``None`` if not a valid DTG."""
    m = _DTG.match(dtg)
    if m is None:
        return None
    month = _MONTHS.get(m.group(4).upper())
    if month is None:
        return None
    try:
        return dt.datetime(
            _full_year(m.group(5)),
            month,
            int(m.group(1)),
            int(m.group(2)),
            int(m.group(3)),
            tzinfo=dt.UTC,
        )
    except ValueError:
        return None


def julian_to_date(filing_time: str, year: int) -> dt.date | None:
    """FL3 filing time ``JJJHHMM`` (or just ``JJJ``) -> the calendar day in ``year`` (§115)."""
    m = _JULIAN.match(filing_time)
    if m is None or (m.group(2) is None) != (m.group(3) is None):
        return None
    day = int(m.group(1))
    if not 1 <= day <= 366 or not 1 <= year <= 9999:
        return None
    d = dt.date(year, 1, 1) + dt.timedelta(days=day - 1)
    return d if d.year == year else None
