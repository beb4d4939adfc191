"""Find the skeleton of a cable: preamble, classification line, and where header and body meet.

The field extractors each search a bounded region; this module decides the regions. It knows
the five shapes a cable reaches users in (format.md §1): bare telegram, WikiLeaks page preamble,
cables.csv record, legacy print / partial extract, and body only.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from cabledesk.telegram.model import ClassificationLine

__all__ = [
    "Preamble",
    "find_classification_line",
    "find_preamble",
    "parse_hint_date",
    "LEVELS",
]

PARTIAL_NOTICE = "This record is a partial extract of the original cable"

# Classification as the first word of the text (ACP 127 §209; 5 FAH-2 H-222): spaced letters,
# or the unspaced word in legacy and glued pages. Case-insensitive: some pages are lower-cased.
_SPACED = (
    r"T ?O ?P ?S ?E ?C ?R ?E ?T|S ?E ?C ?R ?E ?T|C ?O ?N ?F ?I ?D ?E ?N ?T ?I ?A ?L"
    r"|UNCLAS(?:SIFIED)?(?: ?E ?F ?T ?O)?|LIMITED OFFICIAL USE|L ?I ?M ?I ?T ?E ?D O ?F ?F ?I ?C ?I ?A ?L U ?S ?E"
)
_SECTION = r"S\s?E\s?C\s?T?\s?I?\s?O\s?N\s+(?P<sec>\d{1,2})\s+O\s?F\s+(?P<of>\d{1,2})"
_CLASS_LINE = re.compile(
    r"(?:(?<=\n)|(?<=^)|(?<=\d)|(?<=[ \]])|(?<=\n[A-Z]))"
    r"(?P<mark>" + _SPACED + r")"
    r"(?P<caveat>(?:\s*//\s*[A-Z][A-Z /]*?)?)"
    r"[ \t]+(?:" + _SECTION + r"[ \t]+)?"
    r"(?P<orig>[A-Za-z][A-Za-z .'&-]{1,40}?)[ \t]+(?P<serial>\d{3,8})"
    r"(?=[ \t]*(?:\n|$|[A-Z]))",
    re.IGNORECASE,
)
# A classification word standing alone on its line (no originator/serial), as a fallback.
_BARE_CLASS_LINE = re.compile(
    r"^[ \t]*(?P<mark>" + _SPACED + r")(?P<caveat>(?:\s*//\s*[A-Z][A-Z /]*)?)"
    r"(?:[ \t]+" + _SECTION + r")?[ \t]*$",
    re.MULTILINE,
)

LEVELS = {
    "TOPSECRET": "TOP SECRET",
    "SECRET": "SECRET",
    "CONFIDENTIAL": "CONFIDENTIAL",
    "UNCLAS": "UNCLASSIFIED",
    "UNCLASSIFIED": "UNCLASSIFIED",
    "UNCLASEFTO": "UNCLASSIFIED",
    "UNCLASSIFIEDEFTO": "UNCLASSIFIED",
    "LIMITEDOFFICIALUSE": "UNCLASSIFIED",
}


def level_of_marking(marking: str) -> str:
    """The level spelled out for a classification marking as written."""
    key = marking.upper().replace(" ", "")
    return LEVELS.get(key, "UNCLASSIFIED")


def find_classification_line(text: str, start: int, end: int) -> ClassificationLine | None:
    """The first classification line in ``text[start:end]``.

    Prefers the full form with originator and serial; falls back to a marking alone on its line.
    Unspaced words (``CONFIDENTIAL``) only count at the start of a line, since the word also
    closes legacy print pages (``CONFIDENTIAL PTQ2529``).
    """
    pos = start
    while True:
        m = _CLASS_LINE.search(text, pos, end)
        if m is None:
            break
        mark = m.group("mark")
        spaced = " " in mark.strip() and not mark.upper().startswith(("UNCLAS", "LIMITED"))
        at_line_start = (
            m.start() == 0
            or text[m.start() - 1] == "\n"
            or (text[text.rfind("\n", 0, m.start()) + 1 : m.start()].strip() == "")
        )
        orig = m.group("orig").strip()
        if (spaced or at_line_start) and not _looks_like_page_word(orig):
            return _class_line(m, mark, orig, m.group("serial"))
        pos = m.end()
    b = _BARE_CLASS_LINE.search(text, start, end)
    if b is None:
        return None
    return _class_line(b, b.group("mark"), None, None)


def _looks_like_page_word(orig: str) -> bool:
    # "CONFIDENTIAL PTQ2529" in legacy print pages: not an originator.
    return orig.upper().startswith(("PTQ", "PAGE"))


def _class_line(
    m: re.Match[str], mark: str, orig: str | None, serial: str | None
) -> ClassificationLine:
    sec = m.group("sec")
    of = m.group("of")
    return ClassificationLine(
        marking=" ".join(mark.split()),
        level=level_of_marking(mark),
        originator=" ".join(orig.upper().split()) if orig else None,
        serial=serial,
        section=int(sec) if sec else None,
        sections=int(of) if of else None,
        start=m.start(),
        end=m.end(),
    )


# --- preambles -----------------------------------------------------------------------------

_REFID = r"\d{2,4}[A-Z][A-Z0-9-]{1,40}\d+(?:_[a-z])?"
_WL_PREAMBLE = re.compile(
    r"\A\s*(?P<rid>" + _REFID + r")[ \t]*\n"
    r"(?P<subject>[^\n]*)\n"
    r"(?P<date>[A-Z][a-z]{2} [A-Z][a-z]{2} \d{1,2} \d\d:\d\d:\d\d [+-]\d{4} \d{4})[ \t]*\n"
    r"(?P<classification>[^\n]*)\n"
    r"(?P<origin>[^\n]*)\n"
)
_CSV_FIELD = re.compile(
    r"^(?P<key>id|date|refid|origin|classification|destination|header):[ \t]*(?P<value>[^\n]*)$",
    re.MULTILINE,
)
_HEADER_ENDS = re.compile(r"^-+ header ends -+[ \t]*$", re.MULTILINE)
_DATE_LINE = re.compile(
    r"^(?:Cable dated:(?P<iso>\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?)"
    r"|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (?P<day>\d{1,2}) "
    r"(?P<month>[A-Z][a-z]+) (?P<year>\d{4}), (?P<hh>\d\d):(?P<mm>\d\d))",
    re.MULTILINE,
)


@dataclass(slots=True)
class Preamble:
    """What came before the telegram proper."""

    shape: str = "telegram"
    partial: bool = False
    fields: dict[str, str] = field(default_factory=dict)
    end: int = 0
    date: dt.datetime | None = None
    date_end: int = 0


def find_preamble(text: str) -> Preamble:
    """Recognise the publisher's preambles and the partial-extract notice at the top of ``text``."""
    pre = Preamble()
    pos = 0
    head = text[:400]
    if PARTIAL_NOTICE in head:
        pre.partial = True
        pre.shape = "partial"
        pos = text.find("\n", text.find(PARTIAL_NOTICE)) + 1 or len(text)
    m = _WL_PREAMBLE.match(text)
    if m:
        pre.shape = "preamble"
        pre.fields = {
            "reference_id": m.group("rid"),
            "subject": m.group("subject").strip(),
            "date": m.group("date"),
            "classification": m.group("classification").strip(),
            "origin": m.group("origin").strip(),
        }
        pos = m.end()
    elif _CSV_FIELD.match(text, _skip_blank(text, pos)):
        fields: dict[str, str] = {}
        p = _skip_blank(text, pos)
        while True:
            f = _CSV_FIELD.match(text, p)
            if f is None:
                break
            fields[f.group("key")] = f.group("value").strip()
            p = _skip_blank(text, f.end())
            if f.group("key") == "header":
                break
        ends = _HEADER_ENDS.search(text, p, p + 2000)
        if ends:
            p = ends.end()
        pre.shape = "record"
        pre.fields = {
            "reference_id": fields.get("refid", ""),
            "date": fields.get("date", ""),
            "classification": fields.get("classification", ""),
            "origin": fields.get("origin", ""),
            "references": fields.get("destination", ""),
        }
        pos = p
    d = _DATE_LINE.search(text, pos, pos + 400)
    if d:
        pre.date = _date_line(d)
        pre.date_end = d.end()
    pre.end = pos
    return pre


def _skip_blank(text: str, pos: int) -> int:
    n = len(text)
    while pos < n and text[pos] in " \t\n":
        pos += 1
    return pos


_MONTHS = {
    m: i
    for i, m in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1
    )
}


def _date_line(m: re.Match[str]) -> dt.datetime | None:
    try:
        if m.group("iso"):
            return dt.datetime.fromisoformat(m.group("iso")).replace(tzinfo=dt.UTC)
        month = _MONTHS.get(m.group("month")[:3].upper())
        if month is None:
            return None
        return dt.datetime(
            int(m.group("year")),
            month,
            int(m.group("day")),
            int(m.group("hh")),
            int(m.group("mm")),
            tzinfo=dt.UTC,
        )
    except ValueError:
        return None


_HINT_FORMATS = (
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%a %b %d %H:%M:%S %z %Y",
)


def parse_hint_date(value: str) -> dt.datetime | None:
    """Read a date a caller or publisher gave: ISO 8601, cables.csv, or the WikiLeaks preamble form."""
    value = value.strip()
    if not value:
        return None
    d: dt.datetime | None
    try:
        d = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        d = None
        for fmt in _HINT_FORMATS:
            try:
                d = dt.datetime.strptime(value, fmt)
                break
            except ValueError:
                continue
    if d is None:
        return None
    if d.tzinfo is None:
        return d.replace(tzinfo=dt.UTC)
    return d.astimezone(dt.UTC)
