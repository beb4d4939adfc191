"""Cable citations in a REF block: ``<ORIGIN> <serial>`` and the year each one means.

A cable reference names the originating post and its serial, the year implied by the citing
cable unless written (``06 STATE 12345``, ``STATE 12345 OF 2006``, ``ASUNCION 701 (08)``,
``QUITO 4525-91``); more serials of the same post may follow (``BRASILIA 2799 AND 2764``), a
lettered item may hold only a serial (``B. 2962``: the post of the item before) and a few
cables write the serial first (``1234 PARIS``). The post is resolved against the station
tables (``stations.py``), skipping filler words (``REF``, ``EMBASSY``, ``SEE``).

Year rule: a year-less cable reference takes the citing cable's year, except a reference to
the citing post itself whose serial is higher than the citing cable's own serial: serials run
up through the year, so it must be from the year before (``09THEHAGUE2`` citing
``THE HAGUE 276`` means ``08THEHAGUE276``).
"""

from __future__ import annotations

import functools
import re

from .ids import canonical_id, split_id
from .stations import canonical_station, is_known, known_stations

__all__ = [
    "BARE",
    "CABLE",
    "FILLER",
    "MORE",
    "REVERSE",
    "WORDS",
    "CitationYears",
    "resolve_station",
    "year2",
]

_WORD = r"(?:[A-Za-z][A-Za-z'’&-]*[A-Za-z]\.?|[A-Za-z](?=[ \t\n]))"
WORDS = re.compile(_WORD)
CABLE = re.compile(
    r"(?<![A-Za-z0-9/])"
    r"(?:(?:(?P<y4>(?:19|20)\d\d)|'?(?P<y2>[0O]?\d{1,2})|\((?P<yp>\d\d)\))[\s-]*)?"
    rf"(?P<st>{_WORD}(?:\s+{_WORD}){{0,5}})"
    r"[ \t]*(?:\((?P<ym>\d\d)\)[ \t]*|\([A-Z]\)[ \t]*)?[\s,:#-]*"
    r"(?P<ser>[O0-9]?\d{1,7})(?![A-Za-z0-9])"
    r"(?:/(?P<ys>\d\d)(?![\d/])|-(?P<yd>\d\d)(?!\d)|[ \t]+\((?P<yb>\d\d)\)"
    r"|[ \t]+(?P<yt>\d\d)(?![\d/])(?![ \t]*[A-Za-z])|[ \t]+OF[ \t]+(?P<yo>(?:19|20)\d\d))?"
)
MORE = re.compile(
    r"(?:\s*(?:,|/|\band\b|\bAND\b|&)\s*)(?P<ser>\d{3,7})(?![\dA-Za-z])"
    r"(?:[ \t]*\((?P<y>(?:19|20)?\d\d)\))?"
)
# The first digit leads (the engine skips to it); the look-behind after it tests the character
# before the number.
REVERSE = re.compile(
    r"(?P<ser>\d(?<![\w/.-]\d)\d{1,6})[ \t]+(?P<st>[A-Za-z][A-Za-z'-]+)(?=\s*(?:[,;]|$))"
)
# A bare serial opening a lettered item ("B. 2962 AND PREVIOUS"): same post as the item before.
BARE = re.compile(r"[ \t]*(?P<ser>\d{3,7})(?![\dA-Za-z/.-])(?=[ \t]*(?:$|\n|[,;]|AND\b|\(|and\b))")
FILLER = frozenset(
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


def resolve_station(words: list[str]) -> tuple[str, int] | None:
    """(canonical station, index of its first word) for the words before a serial."""
    return _resolve(tuple(words))


# A pure function of the written words (the station tables never change at run time), and the
# same few hundred spellings (``STATE``, ``REF A BEIJING``) recur in the REF blocks of every
# archive: cached. The result is an immutable tuple, so sharing it is safe.
@functools.lru_cache(maxsize=8192)
def _resolve(words: tuple[str, ...]) -> tuple[str, int] | None:
    upper = [w.upper().rstrip(".") for w in words]
    while upper and upper[-1] in _TRAILING_FILLER:
        upper.pop()
    if not upper:
        return None
    starts = []
    for i in range(len(upper)):
        starts.append(i)
        if not (upper[i] in FILLER or len(upper[i]) == 1):
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


def year2(text: str | None) -> int | None:
    """A written year (``06``, ``'06``, ``2006``, ``O6``) as two digits, or None."""
    if not text:
        return None
    digits = text.replace("O", "0").replace("'", "")
    if not digits.isdigit():
        return None
    return int(digits[-2:])


class CitationYears:
    """The year rule for one citing cable: a year-less serial takes the citing cable's year,
    one year earlier for the citing post's own serials above the citing cable's serial."""

    __slots__ = ("year", "own")

    def __init__(self, year: int | None, reference_id: str | None) -> None:
        self.year = year
        self.own: tuple[str, str, int, str] | None = None
        if reference_id:
            sp = split_id(reference_id)
            if sp and sp[2].isdigit():
                self.own = (canonical_id(reference_id), sp[1], int(sp[2]), reference_id)

    def cable_id(self, station: str, serial: str, yy: int | None) -> str | None:
        """The canonical id of ``station`` ``serial``, ``yy`` the year as written (or None)."""
        num = int(serial)
        if yy is None:
            if self.year is None:
                return None
            y = self.year
            if self.own and self.own[1] == station and num > self.own[2]:
                y -= 1
            yy = y % 100
        return f"{yy:02d}{station}{num}"
