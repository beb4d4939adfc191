"""TAGS codes: their kinds and meanings, from the tables under ``data/``.

Kinds by shape, then table (tags-geo.md §1): subject TAGS (5 FAH-3 H-110/H-111), program "K"
TAGS (5 FAH-3 H-612 b), FIPS 10 geographic digraphs and regions (TL:TAGS-1 1974 sec. 9-12),
organisations, and persons (a comma). Sources of each table: ``data/SOURCES-tags.md``.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from importlib import resources

__all__ = ["is_code", "is_known_tag", "tables", "tag_kind", "tag_meaning"]

_LETTERS = re.compile(r"[A-Z]+")

_K_SHAPE = re.compile(r"K[A-Z]{3}")

_TWO = re.compile(r"[A-Za-z]{2}")

_SUBJECT_SHAPE = re.compile(r"[ABCELMOPST][A-Z]{3}")


@dataclass(frozen=True, slots=True)
class _Tables:
    subject: dict[str, str]  # code -> meaning ('' when only the code is known)
    program: frozenset[str]  # listed K TAGS
    geo: dict[str, str]  # code -> country or region name
    org: dict[str, str]  # upper-cased code -> name ('' when unknown)
    typos: dict[str, str]  # written (words joined by one space) -> canonical
    phrases: dict[tuple[str, ...], str]  # word sequence -> canonical tag
    max_phrase: int
    phrase_pairs: frozenset[tuple[str, str]]  # adjacent words inside a phrase
    single_phrases: frozenset[str]  # one-word keyword TAGS (``POL``)
    phrase_starts: frozenset[str]  # first words of the phrases and persons of the fixes table
    keywords: frozenset[str]  # multi-word keyword TAGS (``phrase`` rows written as canonical)
    persons: dict[tuple[str, str], str]  # (LAST, FIRST) -> "LAST, FIRST MIDDLE"
    split_units: frozenset[str]  # codes a run-together token may be cut into
    long_units: frozenset[str]  # of these, the ones that anchor a split


def _read(name: str) -> str:
    return resources.files("cabledesk.telegram").joinpath("data", name).read_text("utf-8")


@functools.cache
def tables() -> _Tables:
    subject: dict[str, str] = {}
    program: set[str] = set()
    for row in csv.DictReader(io.StringIO(_read("tags_subject.csv"))):
        code = row["code"].strip().upper()
        if code.startswith("K"):
            program.add(code)
        subject[code] = row["meaning"].strip()
    geo: dict[str, str] = {}
    geo_split: set[str] = set()
    for row in csv.DictReader(io.StringIO(_read("tags_geo.csv"))):
        code = row["code"].strip().upper()
        geo[code] = row["name"].strip()
        if row["kind"] in ("country", "region", "legacy"):
            geo_split.add(code)
    org: dict[str, str] = {}
    for line in _read("tags_org.txt").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, _, name = line.partition("\t")
        key = code.strip().upper()
        if name.strip() or key not in org:
            org[key] = name.strip()
    typos: dict[str, str] = {}
    phrases: dict[tuple[str, ...], str] = {}
    keywords: set[str] = set()
    for row in csv.DictReader(io.StringIO(_read("tags_fixes.csv"))):
        written = " ".join(row["written"].upper().split())
        canonical = row["canonical"].strip()
        if row["kind"] == "typo" and " " not in written:
            typos[written] = canonical
        else:
            phrases[tuple(written.split())] = canonical
            if row["kind"] == "phrase" and " " in written and canonical == written:
                keywords.add(canonical)
    persons: dict[tuple[str, str], str] = {}
    clash: set[tuple[str, str]] = set()
    for line in _read("tags_person.txt").splitlines():
        words = line.upper().split()
        if len(words) < 2 or not all(_LETTERS.fullmatch(w.strip(".-'")) for w in words):
            continue
        pkey = (words[-1], words[0])
        value = f"{words[-1]}, {' '.join(words[:-1])}"
        if pkey in persons and persons[pkey] != value:
            clash.add(pkey)
        persons[pkey] = value
    for pkey in clash:
        del persons[pkey]
    pairs = {(p[i], p[i + 1]) for p in phrases for i in range(len(p) - 1)}
    long_units = {c for c in subject if len(c) == 4} | {
        c for c in org if len(c) >= 3 and _LETTERS.fullmatch(c)
    }
    return _Tables(
        subject=subject,
        program=frozenset(program),
        geo=geo,
        org=org,
        typos=typos,
        phrases=phrases,
        max_phrase=max((len(p) for p in phrases), default=1),
        phrase_pairs=frozenset(pairs),
        single_phrases=frozenset(p[0] for p in phrases if len(p) == 1),
        phrase_starts=frozenset(p[0] for p in phrases),
        keywords=frozenset(keywords),
        persons=persons,
        split_units=frozenset(long_units | geo_split),
        long_units=frozenset(long_units),
    )


def is_code(word: str) -> bool:
    """A word that is a TAG by itself: listed subject, program, geo or organisation code."""
    t = tables()
    return word in t.subject or word in t.geo or word in t.org or bool(_K_SHAPE.fullmatch(word))


def tag_kind(code: str, default: str = "unknown") -> str:
    """``subject``, ``geographic``, ``program``, ``person``, ``organisation`` or ``default``.

    Shape first, then the tables (tags-geo.md §1): a comma makes a person; two letters a FIPS
    10 digraph or region (unless the digraph is only known as an organisation, ``UN``); a
    listed organisation wins over the four-letter shapes (``NASA``, ``KEDO``); ``K`` plus three
    letters is a program TAG (5 FAH-3 H-612 b); listed subject codes, then unlisted four-letter
    codes whose first letter is a subject category (5 FAH-3 H-111), are subject TAGS.
    """
    c = " ".join(code.split()).upper()
    if not c:
        return default
    t = tables()
    if "," in c:
        return "person"
    if _TWO.fullmatch(c):
        if c in t.org and c not in t.geo:
            return "organisation"
        return "geographic"
    if c in t.subject and not c.startswith("K"):
        return "subject"
    if c in t.org:
        return "organisation"
    if _K_SHAPE.fullmatch(c):
        return "program"
    if _SUBJECT_SHAPE.fullmatch(c):
        return "subject"
    return default


def tag_meaning(code: str) -> str | None:
    """Meaning of a TAG when the tables know it: subject meaning, country/region, organisation."""
    c = " ".join(code.split()).upper()
    t = tables()
    for table in (t.subject, t.geo, t.org):
        meaning = table.get(c)
        if meaning:
            return meaning
    return None


@functools.lru_cache(maxsize=8192)  # every TAGS entry of every cable asks
def is_known_tag(code: str) -> bool:
    """Whether a TAG is listed (subject, program, geo, organisation) or is a person name.

    Unlisted ``K`` codes count as known: program TAGS have no complete public list
    (tags-geo.md §3), so their shape is all a validator can check.
    """
    c = " ".join(code.split()).upper()
    if not c:
        return False
    return "," in c or is_code(c)
