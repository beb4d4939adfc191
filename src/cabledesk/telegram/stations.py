"""Posts (stations): canonical station names, publisher origin names and routing indicators.

A *station* is the originator as it appears in cable ids: the office short name of the
classification line with spaces removed (5 FAH-2 H-222; ``USUN NEW YORK`` -> ``USUNNEWYORK``).
The tables under ``data/`` are built from real data by ``scripts/build_stations.py`` (see
``data/SOURCES-stations.md``):

* ``stations.csv``: station -> publisher origin name, FL3 routing indicators (ACP 127 Annex B
  FL3: the RI of the station preparing the message), former names of the same post;
* ``station_aliases.csv``: abbreviations written in REF lines and ids (``RIO``, ``BA``,
  ``SECSTATE``), hand-curated;
* ``routing_indicators.csv`` (via ``codes``): ACP 117 routing indicator -> plain language address.

Names that are neither stations nor aliases are resolved by general rules
(:func:`canonical_station`): garbage prefixes, truncation, a dropped leading word, and typos
(one or two edits, ``Q`` standing for a lost letter as in WikiLeaks' damaged ids).
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources

from cabledesk.telegram.codes import routing_indicator_name

__all__ = [
    "canonical_station",
    "known_stations",
    "origin_name",
    "origin_name_from_address",
    "ri_name",
    "routing_indicators_for",
    "station_for_routing_indicator",
    "station_from_address",
    "station_of_originator",
]


@dataclass(slots=True)
class _Post:
    station: str
    origin: str
    routing_indicators: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Tables:
    posts: dict[str, _Post]
    aliases: dict[str, tuple[str, int | None]]
    """alias -> (station, first year the alias applies from, or None)."""
    ri_to_station: dict[str, str]
    by_length: dict[int, list[str]]


def _read(name: str) -> str:
    return resources.files("cabledesk.telegram").joinpath("data", name).read_text("utf-8")


@functools.cache
def _tables() -> _Tables:
    posts: dict[str, _Post] = {}
    aliases: dict[str, tuple[str, int | None]] = {}
    ri_to_station: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(_read("stations.csv"))):
        st = row["station"]
        ris = row["routing_indicators"].split()
        posts[st] = _Post(st, row["origin"], ris)
        for ri in ris:
            ri_to_station.setdefault(ri, st)
        for former in row["former_names"].split():
            aliases[former] = (st, None)
    for row in csv.DictReader(io.StringIO(_read("station_aliases.csv"))):
        since = int(row["since"]) if row["since"] else None
        aliases[row["alias"]] = (row["station"], since)
    by_length: dict[int, list[str]] = {}
    for st in posts:
        by_length.setdefault(len(st), []).append(st)
    return _Tables(posts, aliases, ri_to_station, by_length)


@functools.cache
def known_stations() -> frozenset[str]:
    """Every canonical station in the table."""
    return frozenset(_tables().posts)


# --- resolution rules -------------------------------------------------------------------------

_SQUASH = re.compile(r"[\s\-.'`’]+")
# Words glued before the station in damaged ids: captions and handling words (5 FAH-2 H-252),
# the sender's address prefix, and tails of the classification word (``SIFIED``).
_NOISE_WORDS = (
    "UNCLASSIFIED",
    "CONFIDENTIAL",
    "NOFORN",
    "SIPDIS",
    "EFTO",
    "LIMDIS",
    "EXDIS",
    "NODIS",
    "AMEMBASSY",
    "AMCONSUL",
    "USMISSION",
    "EMBASSY",
)
_NOISE_PREFIX = re.compile(
    "^(?:"
    + "|".join(
        sorted({w[i:] for w in _NOISE_WORDS for i in range(len(w) - 3)}, key=len, reverse=True)
    )
    + ")"
)
_WASH_SUFFIX = re.compile(r"(?:WASHINGTONDC|WASHDC|WASH)$")


def _squash(name: str) -> str:
    return _SQUASH.sub("", name.upper())


def _edit_distance(a: str, b: str, limit: int, wild: str = "Q") -> int:
    """Damerau-Levenshtein distance (adjacent transpositions), ``Q`` in ``a`` matches anything.

    WikiLeaks' damaged ids put ``Q`` where a letter was lost (``09SQCTION``, ``07QXICO``).
    Returns ``limit + 1`` as soon as the distance must exceed ``limit``.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        ca = a[i - 1]
        best = cur[0]
        for j in range(1, len(b) + 1):
            cb = b[j - 1]
            cost = 0 if ca in (cb, wild) else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
            best = min(best, v)
        if best > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[len(b)]


def _q_gap(name: str) -> str | None:
    """The one station matching ``name`` when each ``Q`` stands for a lost run of 1-3 letters.

    WikiLeaks' damaged ids put a ``Q`` where letters were lost: ``07QXICO`` (ME), ``07BUENOSQRES``
    (AI), ``10AQNA`` (STA), ``09SQCTION`` (E).
    """
    if "Q" not in name or len(name) < 4:
        return None
    pat = re.compile("".join("[A-Z]{1,3}" if c == "Q" else re.escape(c) for c in name))
    q = name.count("Q")
    lo, hi = len(name), len(name) + 2 * q  # each Q is one to three letters
    found = {_follow(p, None) for p in _tables().posts if lo <= len(p) <= hi and pat.fullmatch(p)}
    return _unique(found)


@functools.lru_cache(maxsize=4096)
def _fuzzy(name: str, damaged: bool) -> str | None:
    """The one station within one edit (two for names of 8+ letters) of ``name``.

    ``damaged`` (ids, not free text) lets ``Q`` stand for lost letters.
    """
    if damaged:
        hit = _q_gap(name)
        if hit:
            return hit
    wild = "Q" if damaged else ""
    limit = 2 if len(name) >= 8 else 1
    best: dict[int, set[str]] = {}
    index = _fuzzy_index()
    jokers = name.count("Q") if damaged else 0
    letters = Counter(name.replace("Q", "") if jokers else name)
    size = len(name)
    for length in range(size - limit, size + limit + 1):
        need = max(size, length) - limit
        for cand, cand_letters, target in index.get(length, ()):
            # Cheap exact bound: within ``limit`` edits the two names share at least
            # ``max(len) - limit`` letters (a joker ``Q`` pairs with any leftover letter).
            common = (letters & cand_letters).total()
            if common + min(jokers, length - common) < need:
                continue
            d = _edit_distance(name, cand, limit, wild)
            if d <= limit:
                best.setdefault(d, set()).add(target)
    for d in sorted(best):
        found = best[d]
        if len(found) == 1:
            return next(iter(found))
        return None
    return None


@functools.cache
def _fuzzy_index() -> dict[int, list[tuple[str, Counter[str], str]]]:
    """Posts and aliases of four letters or more by length, with their letter counts and the
    station each stands for: typo matching then looks only at names that could be near."""
    t = _tables()
    index: dict[int, list[tuple[str, Counter[str], str]]] = {}
    for cand in list(t.posts) + list(t.aliases):
        if len(cand) >= 4:
            index.setdefault(len(cand), []).append((cand, Counter(cand), _follow(cand, None)))
    return index


def _follow(name: str, year: int | None) -> str:
    t = _tables()
    if name in t.posts:
        return name
    hit = t.aliases.get(name)
    if hit and (hit[1] is None or year is None or year >= hit[1]):
        return hit[0]
    return name


def _unique(names: set[str]) -> str | None:
    return next(iter(names)) if len(names) == 1 else None


@functools.lru_cache(maxsize=8192)
def canonical_station(name: str, year: int | None = None, strict: bool = False) -> str:
    """Canonical station for a station name as written in an id, a REF line or an originator.

    Rules, in order: known station; alias (abbreviation, former name); trailing ``WASHDC``;
    garbage prefix glued by WikiLeaks (``EFTO``, ``NOFORN``, ``SIFIED``, ``AMEMBASSY``); unique
    truncation (``PHNOMPEN``, NARA's six-letter ``STOCKH``); unique dropped leading word
    (``HAGUE``, ``PARISFR``); one unique typo.  ``strict`` (free REF text) skips the garbage
    prefix rule and asks for five letters before truncation or typo rules apply.  ``year``
    (four digits) gates year-bound aliases (``TAIPEI`` is ``AITTAIPEI`` only from 1979).
    Unresolvable names come back squashed and upper-cased.
    """
    s = _squash(name)
    if not s:
        return s
    t = _tables()
    if s in t.posts:
        return s
    if s in t.aliases:
        return _follow(s, year)
    m = _WASH_SUFFIX.search(s)
    if m and m.start() > 0:
        base = s[: m.start()]
        if base in t.posts or base in t.aliases:
            return _follow(base, year)
    if not strict:
        rest = s
        while True:
            m = _NOISE_PREFIX.match(rest)
            if not m or m.end() >= len(rest):
                break
            word = rest[: m.end()]
            rest = rest[m.end() :]
            r = canonical_station(rest, year, True)
            if r in t.posts or word in _NOISE_WORDS:
                return r
    minimum = 5 if strict else 3
    if len(s) >= minimum:
        pre = {_follow(p, year) for p in t.posts if p.startswith(s)}
        hit = _unique(pre)
        if hit:
            return hit
        if len(s) >= 5:
            suf = {_follow(p, year) for p in t.posts if p.endswith(s) and p != s}
            suf |= {_follow(a, year) for a in t.aliases if a.endswith(s) and a != s}
            hit = _unique(suf)
            if hit:
                return hit
    if len(s) >= (5 if strict else 3):
        hit = _fuzzy(s, not strict)
        if hit:
            return hit
    return s


@functools.lru_cache(maxsize=8192)  # REF lines and addresses ask about the same names often
def is_known(name: str) -> bool:
    """Whether ``name`` (squashed) is a station or an alias as is."""
    s = _squash(name)
    t = _tables()
    return s in t.posts or s in t.aliases


# --- lookups ------------------------------------------------------------------------------------


def origin_name(station: str) -> str | None:
    """The publisher's origin name of a post (``MOSCOW`` -> ``Embassy Moscow``), or ``None``."""
    post = _tables().posts.get(canonical_station(station))
    return post.origin if post and post.origin else None


def station_for_routing_indicator(ri: str) -> str | None:
    """The post whose FL3 (``DE``) routing indicator is ``ri`` (``RUEHMO`` -> ``MOSCOW``)."""
    ri = ri.strip().upper()
    hit = _tables().ri_to_station.get(ri)
    if hit:
        return hit
    name = routing_indicator_name(ri)
    if name:
        return station_from_address(name)
    return None


def routing_indicators_for(station: str) -> list[str]:
    """The FL3 routing indicators seen for a post, most used first."""
    post = _tables().posts.get(canonical_station(station))
    return list(post.routing_indicators) if post else []


def ri_name(ri: str) -> str | None:
    """ACP 117 plain language address of a routing indicator (``RUEHMO`` -> ``AMEMBASSY MOSCOW``)."""
    return routing_indicator_name(ri)


# A PLAD (5 FAH-2 H-231) is an office-type word followed by the place.
_PLAD_PREFIX = re.compile(
    r"^(?:R[A-Z]{3,7}/)?\s*(?P<kind>AMEMBASSY|AMCONSUL(?:ATE)?|AMCONGEN|US\s?MISSION|USMISSIN|"
    r"USINT|USLO|USOFFICE|AMERICAN\s+EMBASSY|EMBASSY|CONSULATE|REO|APP)\b\s*(?P<rest>.*)$"
)
_STATE_PLAD = re.compile(r"^(?:R[A-Z]{3,7}/)?\s*(?:SECSTATE|DEPT\s+OF\s+STATE)\b")
_TRAILING = re.compile(
    r"\s+(?:(?:FLASH|NIACT|IMMEDIATE|PRIORITY|ROUTINE)\b.*|\d{4}(?:-\d{4})?)\s*$"
)


_DELEGATION = re.compile(r"//.*$")


def _plad_parts(plad: str) -> tuple[str | None, str]:
    p = " ".join(plad.upper().split())
    p = _TRAILING.sub("", _DELEGATION.sub("", p))
    m = _PLAD_PREFIX.match(p)
    if not m:
        return None, re.sub(r"^R[A-Z]{3,7}/", "", p).strip()
    kind = m.group("kind").replace(" ", "")
    return kind, m.group("rest").strip()


@functools.lru_cache(maxsize=8192)  # the same few hundred addresses recur in every header
def station_from_address(plad: str) -> str | None:
    """Canonical station of a plain language address (FM/TO/INFO line).

    ``AMEMBASSY MOSCOW`` -> ``MOSCOW``, ``SECSTATE WASHDC`` -> ``STATE``, ``USMISSION USUN NEW
    YORK`` -> ``USUNNEWYORK``.  A leading ``RI/`` and trailing precedence/MCN are ignored.  When
    the whole place is not a known post, trailing words (country or state codes, garbled
    additions) are dropped one at a time until it is.
    """
    if not plad or not plad.strip():
        return None
    if _STATE_PLAD.match(plad.upper().strip()):
        return "STATE"
    kind, rest = _plad_parts(plad)
    if not rest:
        return None
    words = rest.split()
    for n in range(len(words), 0, -1):
        cand = "".join(words[:n])
        if is_known(cand):
            return canonical_station(cand)
    station = canonical_station(rest, strict=True)
    if kind is None and station not in _tables().posts:
        return None  # neither a post nor an office-type PLAD: not an address
    return station


_KIND_NAMES = {
    "AMEMBASSY": "Embassy",
    "AMERICANEMBASSY": "Embassy",
    "EMBASSY": "Embassy",
    "AMCONSUL": "Consulate",
    "AMCONSULATE": "Consulate",
    "AMCONGEN": "Consulate",
    "CONSULATE": "Consulate",
    "USMISSION": "Mission",
    "USMISSIN": "Mission",
    "USINT": "US Interests Section",
    "USLO": "US Liaison Office",
    "USOFFICE": "US Office",
}


def _title(words: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in words.split())


def origin_name_from_address(plad: str) -> str | None:
    """A publisher-style origin name from a PLAD, for posts the table does not know.

    ``AMEMBASSY PORT AU PRINCE`` -> ``Embassy Port Au Prince`` (the publisher capitalises every
    word), ``AMCONSUL X`` -> ``Consulate X``, ``USMISSION X`` -> ``Mission X``.
    """
    if not plad or not plad.strip():
        return None
    if _STATE_PLAD.match(plad.upper().strip()):
        return "Secretary of State"
    kind, rest = _plad_parts(plad)
    if not rest:
        return None
    if kind is None:
        return _title(rest)
    return f"{_KIND_NAMES.get(kind, _title(kind))} {_title(rest)}"


# "SECTION 01 OF 03", also garbled as WikiLeaks' ids are ("ECTION 01 OF 02", "SECTION01 OF 03").
_SECTION_LEAD = re.compile(
    r"^\s*(?:[A-Z]{0,9}\s*[0-9OQ]{1,2}\s*(?:OF|GF|QF|0F|F|O)\s*\d{1,2}\s*)?(?:\d+\s+)?", re.I
)


def station_of_originator(originator: str) -> str:
    """Canonical station of the classification line's originator as written.

    ``USUN NEW YORK`` -> ``USUNNEWYORK``, ``THE HAGUE`` -> ``THEHAGUE``, ``SECSTATE`` -> ``STATE``.
    A leading ``SECTION nn OF mm`` or stray number (``75 LIBREVILLE``) is ignored.
    """
    s = originator or ""
    if s.isascii() and s.replace(" ", "").isalpha():
        s = s.lstrip(" ")  # without a digit only the leading ``\s*`` of _SECTION_LEAD can match
    else:
        # ``^`` without MULTILINE matches only at 0: one match, whose end is where to cut.
        s = s[_SECTION_LEAD.match(s).end() :]  # type: ignore[union-attr]  # always matches
    return canonical_station(s)
