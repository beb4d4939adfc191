"""The ACP-127 format lines 1-5 of a telegram, the legacy print-format lines and their dates.

Each line of the header region before the addressees is matched against the format-line
patterns of ACP 127 Annex B as State renders them (format.md §3): FL1 ``VZCZC...``, FL2
precedence and routing indicators, FL3 ``DE`` station, serial and Julian filing time, FL4
security warning, FL5 precedence and date-time group; plus the legacy print-format extras
(``PAGE 01 ...``, ``ACTION``/``INFO`` office lists, the dashed counter line; format.md §1.4).
A line glued to the next format element (``... /006W ---- O 291359Z NOV 00 FM AMEMBASSY HARARE
...``) is read on from where that element starts.
"""

from __future__ import annotations

import datetime as dt
import re

from cabledesk.telegram.addressees import (
    GLUED_PROSIGN,
    LOWER,
    PAGE,
    PAGE_LINE,
    PROSIGN,
    read_address_text,
)
from cabledesk.telegram.header_scan import ADDR, HeaderScan

__all__ = ["dtg_to_datetime", "julian_to_date", "read_format_line"]

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
_ACTION = re.compile(r"ACTION +([A-Z][A-Z0-9]*-\d{2}(?: +[A-Z][A-Z0-9]*-\d{2})*)")
_OFFICE = re.compile(r"[A-Z][A-Z0-9]*-\d{2}(?![\dA-Z])")
_OFFICE_INFO = re.compile(r"INFO +(?=[A-Z][A-Z0-9]*-\d{2}(?![\dA-Z]))")
_OFFICE_LINE = re.compile(r"[A-Z][A-Z0-9]*-\d{2}(?![\dA-Z])")
_OFFICE_END = re.compile(r"/ ?\d{3} ?W\b")
_DASHES = re.compile(r"-{6,}[ \t]*(?:[0-9A-F]{6}\b)?[ \t]*(?:\d{6}Z)?[ \t]*(?:/\d+)?")
_SPACES = re.compile(r" {2,}")


def read_format_line(text: str, s: int, e: int, st: HeaderScan) -> bool:
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
        elif c == "P" and (m := PAGE.match(text, s, e)):
            pm = PAGE_LINE.match(text, s, e)
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
        elif c in "FTIX" and PROSIGN.match(text, s, e) and not LOWER.search(text, s, e):
            st.phase = ADDR
            if s == s0:
                return True
            read_address_text(text, s, e, st)
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
    g = GLUED_PROSIGN.search(text, s, e)
    stop = g.start() if g is not None and g.group(1) == "FM" else e
    out.extend(_GROUP.findall(text, s, stop))
    return stop


def _office_tokens(text: str, s: int, e: int, out: list[str], st: HeaderScan) -> int:
    """Legacy ``INFO LOG-00 NP-00 ... /006W`` office symbols (kept as written, count included)."""
    m = _OFFICE_END.search(text, s, e)
    stop = m.start() if m else e
    out.extend(_OFFICE.findall(text, s, stop))
    if m:
        st.office = False
        return m.end()
    return e


# --- dates ---------------------------------------------------------------------------------

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
