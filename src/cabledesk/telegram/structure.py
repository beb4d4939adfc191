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
    "AnyLiteral",
    "FirstChar",
    "Preamble",
    "find_classification_line",
    "find_preamble",
    "parse_hint_date",
    "LEVELS",
    "LineStart",
    "LiteralGate",
]

PARTIAL_NOTICE = "This record is a partial extract of the original cable"

# Classification as the first word of the text (ACP 127 §209; 5 FAH-2 H-222): spaced letters,
# or the unspaced word in legacy and glued pages. Case-insensitive: some pages are lower-cased.
_SPACED = (
    r"T ?O ?P ?S ?E ?C ?R ?E ?T|S ?E ?C ?R ?E ?T|C ?O ?N ?F ?I ?D ?E ?N ?T ?I ?A ?L"
    r"|UNCLAS(?:SIFIED)?(?: ?E ?F ?T ?O)?|LIMITED OFFICIAL USE|L ?I ?M ?I ?T ?E ?D O ?F ?F ?I ?C ?I ?A ?L U ?S ?E"
)
_SECTION = r"S\s?E\s?C\s?T?\s?I?\s?O\s?N\s+(?P<sec>\d{1,2})\s+O\s?F\s+(?P<of>\d{1,2})"
# The context a classification line may follow, tested apart from the line itself (see
# _next_class_line): a pattern opening with look-behinds makes the engine try every position.
_CLASS_BEFORE = re.compile(r"(?:(?<=\n)|(?<=^)|(?<=\d)|(?<=[ \]])|(?<=\n[A-Z]))", re.IGNORECASE)
_CLASS_LINE = re.compile(
    r"(?P<mark>" + _SPACED + r")"
    r"(?P<caveat>(?:\s*//\s*[A-Z][A-Z /]*?)?)"
    r"[ \t]+(?:" + _SECTION + r"[ \t]+)?"
    r"(?P<orig>[A-Za-z][A-Za-z .'&-]{1,40}?)[ \t]+(?P<serial>\d{3,8})"
    r"(?=[ \t\\]*(?:\n|$|[A-Z]))",  # a stray backslash may end the line (cables.csv)
    re.IGNORECASE,
)
# Where a marking may start, in an upper-cased copy; chunk size and longest marking for the scan.
_MARK_UPPER = re.compile(_SPACED)
_CHUNK = 768
_MARK_MAX = 64
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
        m = _next_class_line(text, pos, end)
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


def _next_class_line(text: str, pos: int, end: int) -> re.Match[str] | None:
    """``_CLASS_LINE`` at the leftmost place in ``[pos, end)`` where ``_CLASS_BEFORE`` holds.

    A case-blind regex scan is slow, so marking candidates come from a case-sensitive scan of
    an upper-cased copy, chunk by chunk (the line is usually in the first few hundred
    characters).  A chunk whose upper-casing moves offsets (``ß`` -> ``SS``) or holds ``İ``
    (which matches ``I`` only case-blind) is scanned the slow way.
    """
    pos, end = max(pos, 0), min(end, len(text))  # as the regex engine clamps them
    while pos < end:
        stop = min(end, pos + _CHUNK)
        seg = text[pos:stop]
        upper = seg.upper()
        if len(upper) != len(seg) or "\u0130" in seg:
            break
        # a marking is at most 35 characters: candidates starting before ``accept`` are whole
        accept = stop if stop == end else stop - _MARK_MAX
        p = 0
        while True:
            c = _MARK_UPPER.search(upper, p)
            if c is None or pos + c.start() >= accept:
                break
            at = pos + c.start()
            if _CLASS_BEFORE.match(text, at) is not None:
                m = _CLASS_LINE.match(text, at, end)
                if m is not None:
                    return m
            p = c.start() + 1
        pos = accept
    while True:
        m = _CLASS_LINE.search(text, pos, end)
        if m is None or _CLASS_BEFORE.match(text, m.start()) is not None:
            return m
        pos = m.start() + 1


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


class LineStart:
    """A ``^``-anchored multi-line pattern, searched by the line feed before it.

    The regex engine tries a pattern opening with ``^`` at every position of the region, but
    scans for a literal first character in C.  The match returned is the pattern's own at the
    same place (the leftmost line start where it matches), so callers see no difference.
    """

    __slots__ = ("pattern", "_after_lf")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        if not (pattern.pattern.startswith("^") and pattern.flags & re.MULTILINE):
            raise ValueError("LineStart needs a '^...' pattern compiled with re.MULTILINE")
        self.pattern = pattern
        self._after_lf = re.compile("\n(?:" + pattern.pattern[1:] + ")", pattern.flags)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """Same as ``pattern.search(text, pos, endpos)``."""
        n = len(text)
        if endpos is None or endpos > n:
            endpos = n
        if not 0 <= pos <= endpos:
            return self.pattern.search(text, pos, endpos)  # unusual bounds: the plain way
        if pos == 0 or text[pos - 1] == "\n":
            m = self.pattern.match(text, pos, endpos)
            if m is not None:
                return m
        lf = self._after_lf.search(text, pos, endpos)
        return None if lf is None else self.pattern.match(text, lf.start() + 1, endpos)


class AnyLiteral:
    """The leftmost of a few literals, by ``str.find``: a cheap prefilter before a label regex.

    Once one literal is found, the others are looked for only where they could still start
    before it, so each call costs about one pass over the region.
    """

    __slots__ = ("literals", "_longest")

    def __init__(self, *literals: str) -> None:
        self.literals = literals
        self._longest = max(map(len, literals))

    def find(self, text: str, pos: int, end: int) -> int:
        """Position of the leftmost literal starting in ``text[pos:end]``, or -1."""
        best = -1
        lim = end
        for lit in self.literals:
            k = text.find(lit, pos, lim)
            if k >= 0 and (best < 0 or k < best):
                best = k
                lim = min(end, k - 1 + self._longest)
        return best


class FirstChar:
    """A pattern every match of which starts with one known character, searched by ``str.find``.

    The regex engine gets no literal-prefix scan for a pattern opening with a look-behind, so it
    tries every position; here only the places ``str.find`` gives are tried. The match is the
    pattern's own (look-behinds still see the text before ``pos``), so callers see no difference.
    """

    __slots__ = ("pattern", "char")

    def __init__(self, pattern: re.Pattern[str], char: str) -> None:
        self.pattern = pattern
        self.char = char

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """Same as ``pattern.search(text, pos, endpos)``."""
        if endpos is None:
            endpos = len(text)
        pos, endpos = (
            max(pos, 0),
            max(endpos, 0),
        )  # the regex engine clamps them; str.find would not
        find, match, char = text.find, self.pattern.match, self.char
        p = find(char, pos, endpos)
        while p >= 0:
            m = match(text, p, endpos)
            if m is not None:
                return m
            p = find(char, p + 1, endpos)
        return None


class LiteralGate:
    """A pattern every match of which contains one of a few literals, searched after a cheap test.

    An alternation opening with look-behinds, ``\\b`` or case-blind letters makes the regex
    engine try every position of the region.  When the region is ASCII (case folding cannot
    change lengths or map other characters onto ASCII letters), ``str.__contains__`` of each
    literal in the upper-cased region tells in C whether a match is possible at all; only then
    does the pattern run.  ``literals`` must be upper case and each match of ``pattern`` must
    consume one of them (compared case-blind), so the result is exactly ``pattern.search``'s.
    """

    __slots__ = ("pattern", "literals")

    def __init__(self, pattern: re.Pattern[str], literals: tuple[str, ...]) -> None:
        if not literals or any(lit != lit.upper() or not lit.isascii() for lit in literals):
            raise ValueError("LiteralGate needs upper-case ASCII literals")
        self.pattern = pattern
        self.literals = literals

    def possible(self, text: str, pos: int = 0, endpos: int | None = None) -> bool:
        """False only when no match can lie in ``text[pos:endpos]``."""
        seg = text if pos == 0 and (endpos is None or endpos >= len(text)) else text[pos:endpos]
        if not seg.isascii():
            return True
        up = seg.upper()
        for lit in self.literals:  # noqa: SIM110 - a loop beats any() over a generator here
            if lit in up:
                return True
        return False

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """Same as ``pattern.search(text, pos, endpos)``."""
        if endpos is None:
            endpos = len(text)
        if pos >= 0 and endpos >= 0 and not self.possible(text, pos, endpos):
            return None
        return self.pattern.search(text, pos, endpos)


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
# cables.csv values without their keys, one per line: row id, date, reference id, origin,
# classification and the referenced ids (2011 partial-extract pages, e.g. 03THEHAGUE2983).
_BARE_RECORD = LineStart(
    re.compile(
        r"^(?P<row>\d{1,7})[ \t]*\n\s*"
        r"(?P<date>\d{4}-\d\d-\d\d(?:[ T]\d\d:\d\d(?::\d\d)?)?)[ \t]*\n\s*"
        r"(?P<rid>" + _REFID + r")[ \t]*\n\s*"
        r"(?P<origin>[A-Z][^\n]{2,60}?)[ \t]*\n\s*"
        r"(?P<cls>(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|TOP SECRET)(?://[A-Z /]+)?)[ \t]*\n"
        r"(?:\s*(?P<refs>\d{2}[A-Z][A-Z0-9]*\d(?:[ |]+\d{2}[A-Z][A-Z0-9]*\d)*)[ \t]*\n)?",
        re.MULTILINE,
    )
)
_HEADER_ENDS = re.compile(r"^-+ header ends -+[ \t]*$", re.MULTILINE)
_DATE_LINE = LineStart(
    re.compile(
        r"^(?:Cable dated:(?P<iso>\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?)"
        r"|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (?P<day>\d{1,2}) "
        r"(?P<month>[A-Z][a-z]+) (?P<year>\d{4}), (?P<hh>\d\d):(?P<mm>\d\d))",
        re.MULTILINE,
    )
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
    elif pre.partial:
        # A truncated extract, then the cables.csv values one per line, then the full text:
        # parse the full text, with the record as the publisher's hints.
        r = _BARE_RECORD.search(text, pos, pos + 8000)
        if r is not None:
            pre.shape = "record"
            pre.fields = {
                "reference_id": r.group("rid"),
                "date": r.group("date"),
                "classification": r.group("cls"),
                "origin": r.group("origin").strip(),
                "references": (r.group("refs") or "").strip(),
            }
            pos = r.end()
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
