"""The E.O. line: which executive order governs the classification and when it lapses.

Forms (format.md §5.3): ``E.O. 12958: DECL: 01/12/2016`` (E.O. 12958, 1995-2010),
``E.O. 12958: N/A`` (unclassified), legacy print ``EO 12958 DECL: 09/21/10``, exemption markings
``DECL: (X1)`` / ``X1`` (E.O. 12958 §1.6(d)), ``DECL: MR`` / ``25X1-human`` (E.O. 12958 as amended
§3.3), ``DECL: OADR`` (E.O. 12356), and the 1972-1978 codes ``GDS``, ``XGDS1``, ``ADS, DECLAS
12-31-74`` (E.O. 11652, TAGS-74 sec. 1a). Real cables misspell and glue this line, so the label
is matched loosely (``E.O.``, ``EO``, ``E. O.``, ``E.0.``, missing colon) and the value stops
before a glued ``TAGS``/``SUBJECT`` line.
"""

from __future__ import annotations

import datetime as dt
import re

from cabledesk.telegram.model import Declassification
from cabledesk.telegram.structure import FirstChar, LineStart, LiteralGate

__all__ = ["find_declassification", "parse_declassify_on"]

# The order label. "E.0." (digit zero) and "E. O." occur in the corpus; a pilcrow may precede it.
# Searched from each "1" (structure.FirstChar): the pattern opens with a look-behind.
_ORDER = FirstChar(re.compile(r"(?<!\d)1\d{4}(?!\d)"), "1")
# The label before the order number, matched backwards from the number (a plain digit search
# prefilters: an IGNORECASE scan of the whole front matter was the slow part).
_EO_LABEL_RE = re.compile(
    # strict "E.O." may be glued to the previous word ("FOR REAPE.O. 12958"); loose forms
    # ("EO 12958", "E. O.", "E.0.") must stand alone.
    r"(?:E\.[O0]\.:?|(?<![A-Za-z0-9])E[ \t]?\.?[ \t]?[O0][ \t]?\.?)[ \t]{0,3}:?[ \t]{0,3}$",
    re.IGNORECASE,
)
_AFTER_ORDER_RE = re.compile(r"[ \t]*[:.,;]?[ \t]*")
# A bare DECL line without the order (``DECL: OADR``), only at a line start.
_BARE_DECL_RE = LineStart(re.compile(r"^[ \t¶]*(?=DECL\b)", re.MULTILINE | re.IGNORECASE))

# An E.O. number cited as the classification reason (§5.5), not as the declassification line.
_NOT_DECL_RE = re.compile(r"CLASSIFIED\s+BY|\bREASON", re.IGNORECASE)
_REASON_RE = re.compile(r"(?:REASON|SECTION|SEC\.|1\.[45]\s*\(?[A-H]\b)", re.IGNORECASE)

# The keyword that introduces the declassification instruction.
_DECL_KW_RE = re.compile(
    r"(?:DECL(?:ASSIFY|AS)?[A-Za-z]?(?:\s+ON)?|DECLASSIFY\s+ON)\b[ \t]*:?[ \t]*", re.IGNORECASE
)
_NEXT_LINE_RE = re.compile(
    r"[ \t\\\u2028]*\r?\n[ \t]*(?=DECL|N/?A\b|\d{1,4}[/.-]\d)", re.IGNORECASE
)
# Where the statement ends on a glued line: the next front-matter label.
_STOP_RE = re.compile(
    r"[ \t]*(?:\bTAGS?\b\s*:?|\bSUBJ(?:ECT)?\b\s*:|\bREF(?:S|TEL)?\s*:|\bCLASSIFIED\s+BY\b|¶)",
    re.IGNORECASE,
)
_STOP_GATE = LiteralGate(_STOP_RE, ("TAG", "SUBJ", "REF", "CLASSIFIED"))

_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("JAN", "JANUARY"),
            ("FEB", "FEBRUARY"),
            ("MAR", "MARCH"),
            ("APR", "APRIL"),
            ("MAY",),
            ("JUN", "JUNE"),
            ("JUL", "JULY"),
            ("AUG", "AUGUST"),
            ("SEP", "SEPT", "SEPTEMBER"),
            ("OCT", "OCTOBER"),
            ("NOV", "NOVEMBER"),
            ("DEC", "DECEMBER"),
        ),
        start=1,
    )
    for m in names
}
_NUM_DATE_RE = re.compile(
    r"(?P<a>\d{1,4})\s?(?P<sep>[/.-])\s?(?P<b>\d{1,2})\s?(?P=sep)\s?(?P<c>\d{2,4})(?!\d)"
)
_WORD_DATE_RE = re.compile(
    r"(?:(?P<d1>\d{1,2})\s+(?P<m1>[A-Za-z]{3,9})\.?,?\s+(?P<y1>\d{4})"
    r"|(?P<m2>[A-Za-z]{3,9})\.?\s+(?P<d2>\d{1,2}),?\s+(?P<y2>\d{4}))(?!\d)"
)
_SCHEDULE_RE = re.compile(r"X?N?[GA]DS\d?", re.IGNORECASE)
# Orders before E.O. 12958 (1995): two-digit years there are 19YY.
_OLD_ORDERS = frozenset({"10501", "11652", "12065", "12356"})


def _year(raw: str, order: str | None) -> int:
    y = int(raw)
    if len(raw) == 4:
        return y
    if len(raw) == 3:
        return 2000 + y % 100
    if order in _OLD_ORDERS:
        return 1900 + y
    # format.md §5.3: E.O. 12958 dates are 20YY; a year in the 70s-90s can only be 19YY.
    return 2000 + y if y < 70 else 1900 + y


def _date(value: str, order: str | None) -> dt.date | None:
    """The first date in ``value``: MM/DD/YYYY, M/D/YY, YYYY/MM/DD, MM-DD-YY, 30 JUNE 2015 ..."""
    m = _NUM_DATE_RE.match(value)
    try:
        if m:
            a, b, c = m["a"], m["b"], m["c"]
            if len(a) == 4:  # year first: 2020/02/23
                return dt.date(_year(a, order), int(b), int(c))
            return dt.date(_year(c, order), int(a), int(b))
        w = _WORD_DATE_RE.match(value)
        if w:
            mon = _MONTHS.get((w["m1"] or w["m2"]).upper())
            if mon is None:
                return None
            day = int(w["d1"] or w["d2"])
            return dt.date(int(w["y1"] or w["y2"]), mon, day)
    except ValueError:  # month 13, 31 June ...: keep the text as an instruction instead
        return None
    return None


def _value_end(text: str, pos: int, end: int) -> int:
    """End of the statement's value: end of line or a glued next label, trailing blanks dropped."""
    nl = text.find("\n", pos, end)
    stop = end if nl < 0 else nl
    s = _STOP_GATE.search(text, pos, stop)
    if s:
        stop = s.start()
    while stop > pos and text[stop - 1] in " \t\r\\":
        stop -= 1
    return stop


def _build(text: str, start: int, order: str | None, vpos: int, end: int) -> Declassification:
    vend = _value_end(text, vpos, end)
    if vend == vpos:
        # "E.O. 12958:" with the value on the next line ("DECL: 06/09/2015", "N/A TAGS: ...")
        nxt = _NEXT_LINE_RE.match(text, vpos, end)
        if nxt is not None:
            vpos = nxt.end()
            vend = _value_end(text, vpos, end)
    value = text[vpos:vend]
    kw = _DECL_KW_RE.search(value)
    body = value[kw.end() :] if kw else value
    while kw is not None and (again := _DECL_KW_RE.match(body)) is not None:
        body = body[again.end() :]  # "DECL: DECL: 06/09/2016"
    date = _date(body.strip(), order)
    instruction: str | None = None
    if date is not None and kw is not None:
        # "ADS, DECLAS 12-31-74": keep the E.O. 11652 schedule code next to the date
        code = value[: kw.start()].strip(" ,;:")
        if _SCHEDULE_RE.fullmatch(code):
            instruction = code
    if date is None:
        if not kw:
            # "GDS 9/30/79 ...", "N/A", "AS AMENDED; DECLASSIFIED JUNE 21, 2006": keep the whole value
            body = value
        inst = " ".join(body.split()).rstrip(".")
        if inst.startswith("(") and inst.endswith(")") and inst.count("(") == 1:
            inst = inst[1:-1].strip()  # "(X1)" -> "X1"
        instruction = inst or None
    return Declassification(
        order=order, declassify_on=date, instruction=instruction, start=start, end=vend
    )


def find_declassification(
    text: str, start: int = 0, end: int | None = None
) -> Declassification | None:
    """The first E.O. statement in ``text[start:end]`` (the front matter before TAGS/SUBJECT).

    The caller bounds the region: inside the body ``E.O. 12958`` also appears in prose and in
    Classified By reasons, which are not declassification instructions.
    """
    if end is None:
        end = len(text)
    pos = start
    while (num := _ORDER.search(text, pos, end)) is not None:
        pos = num.end()
        lab = _EO_LABEL_RE.search(text, max(start, num.start() - 12), num.start())
        if lab is None:
            continue
        vpos = _AFTER_ORDER_RE.match(text, num.end(), end).end()  # type: ignore[union-attr]
        line_start = max(start, text.rfind("\n", start, lab.start()) + 1)
        vend = _value_end(text, vpos, end)
        if _NOT_DECL_RE.search(text, line_start, lab.start()) or (
            _REASON_RE.match(text, vpos, vend) and not _DECL_KW_RE.search(text, vpos, vend)
        ):
            continue  # "Classified By: ... E.O. 12958, reasons 1.4 (b)": a reason, not a DECL
        return _build(text, lab.start(), num.group(), vpos, end)
    b = _BARE_DECL_RE.search(text, start, end)
    if b:
        return _build(text, b.end(), None, b.end(), end)
    return None


def parse_declassify_on(text: str) -> dt.date | None:
    """Declassification date of the E.O. line in ``text`` (conformance: nondisclosure_deadline)."""
    decl = find_declassification(text, 0, len(text))
    return decl.declassify_on if decl else None
