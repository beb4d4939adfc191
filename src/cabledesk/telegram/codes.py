"""Code tables of the telegram format: precedence, classification, captions, E.O. reasons, RIs.

The tables are CSV files under ``data/`` with a ``source`` column (see
``data/SOURCES-codes.md``); each is read once, on first use. The orders below are constants
because callers compare with them constantly; ``tests/test_codes.py`` checks them against the
tables.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

__all__ = [
    "CAPTIONS",
    "LEVEL_ORDER",
    "PRECEDENCE_ORDER",
    "Caption",
    "EOReason",
    "caption_info",
    "caption_meaning",
    "classification_level",
    "eo_reason",
    "highest_precedence",
    "level_of_fl4",
    "level_of_portion_mark",
    "level_rank",
    "plain_language_addresses",
    "precedence_from_prosign",
    "precedence_rank",
    "routing_indicator_name",
    "routing_indicator_names",
]

PRECEDENCE_ORDER: tuple[str, ...] = (
    "ROUTINE",
    "PRIORITY",
    "IMMEDIATE",
    "NIACT IMMEDIATE",
    "FLASH",
)
"""Precedence words, lowest first (ACP 127 §151; NIACT per 5 FAH-1 H-221)."""

LEVEL_ORDER: tuple[str, ...] = ("UNCLASSIFIED", "CONFIDENTIAL", "SECRET", "TOP SECRET")
"""Classification levels, lowest first (E.O. 13526 §1.2)."""

CAPTIONS: frozenset[str] = frozenset(
    {
        "SIPDIS",
        "NOFORN",
        "NO FOREIGN DISSEMINATION",
        "NOT FOR FOREIGN DISSEMINATION",
        "EXDIS",
        "NODIS",
        "LIMDIS",
        "STADIS",
        "CHEROKEE",
        "SPECAT",
        "SPECAT EXCLUSIVE",
        "SENSITIVE",
        "SENSITIVE BUT UNCLASSIFIED",
        "FOR OFFICIAL USE ONLY",
        "OFFICIAL INFORMAL",
        "C O R R E C T E D C O P Y",
    }
)
"""Caption names as written in the text (format.md §5.2); meanings in ``captions.csv``."""


@dataclass(frozen=True, slots=True)
class Caption:
    """One row of ``captions.csv``: the caption as written, its kind, meaning and source."""

    caption: str
    kind: str
    meaning: str
    source: str


@dataclass(frozen=True, slots=True)
class EOReason:
    """One classification category, in the wording of each order that had it."""

    letter: str
    eo12958_1995: str | None
    """E.O. 12958 (1995) §1.5; ``None`` for (h), added in 2003."""
    eo13292_2003: str
    """E.O. 12958 as amended by E.O. 13292 (2003) §1.4."""
    eo13526_2009: str
    """E.O. 13526 (2009) §1.4."""
    source: str

    @property
    def text(self) -> str:
        """The wording in force for Cablegate-era cables (2003-2010): E.O. 13292 §1.4."""
        return self.eo13292_2003


# --- table loading -----------------------------------------------------------------------------


def _rows(name: str) -> list[dict[str, str]]:
    raw = resources.files("cabledesk.telegram").joinpath("data", name).read_text("utf-8")
    return list(csv.DictReader(io.StringIO(raw)))


@functools.cache
def _precedence_table() -> tuple[dict[str, int], dict[str, str]]:
    """(rank by word, word by prosign letter or pair); the first row for a prosign wins."""
    ranks: dict[str, int] = {}
    by_prosign: dict[str, str] = {}
    for row in _rows("precedence.csv"):
        word = row["precedence"]
        if row["rank"]:
            ranks[word] = int(row["rank"])
        for key in (row["fl2_prosign"], row["fl5_prosign"]):
            by_prosign.setdefault(key, word)
    return ranks, by_prosign


@functools.cache
def _classification_table() -> dict[tuple[str, str], str | None]:
    return {(r["kind"], r["form"]): (r["level"] or None) for r in _rows("classification.csv")}


@functools.cache
def _marking_re() -> tuple[re.Pattern[str], tuple[str, ...]]:
    """One pattern for all markings, each letter-spaced or not, longest first; group i -> level."""
    items = sorted(
        (
            (form.replace(" ", ""), level)
            for (kind, form), level in _classification_table().items()
            if kind == "marking" and level
        ),
        key=lambda x: -len(x[0]),
    )
    alts = "|".join("(" + r"\s*".join(map(re.escape, form)) + ")" for form, _ in items)
    return re.compile(rf"\s*(?:{alts})(?![A-Z])"), tuple(level for _, level in items)


@functools.cache
def _caption_table() -> dict[str, Caption]:
    out = {}
    for r in _rows("captions.csv"):
        out[r["caption"].replace(" ", "")] = Caption(
            r["caption"], r["kind"], r["meaning"], r["source"]
        )
    return out


@functools.cache
def _eo_table() -> dict[str, EOReason]:
    return {
        r["letter"]: EOReason(
            r["letter"],
            r["eo12958_1995"] or None,
            r["eo13292_2003"],
            r["eo13526_2009"],
            r["source"],
        )
        for r in _rows("eo_reasons.csv")
    }


@functools.cache
def _ri_table() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in _rows("routing_indicators.csv"):
        names = out.setdefault(r["ri"], [])
        if r["name"] not in names:
            names.append(r["name"])
    return out


_CACHED = 4096
"""Distinct strings remembered per code lookup: a corpus uses a few hundred marks and words, and
these run for every paragraph and addressee of every cable."""


# --- precedence --------------------------------------------------------------------------------

_WS = re.compile(r"\s+")


@functools.lru_cache(maxsize=_CACHED)
def _norm(value: str) -> str:
    return _WS.sub(" ", value.strip().upper())


@functools.lru_cache(maxsize=_CACHED)
def precedence_from_prosign(prosign: str) -> str | None:
    """``O``/``OO`` -> IMMEDIATE, ``Z``/``ZZ`` -> FLASH ... (ACP 127 §151a).

    A dual pair written in FL2 (``RP``, ``PO``, a deviation from §152b) gives the higher one.
    """
    p = prosign.strip().upper()
    _, by_prosign = _precedence_table()
    word = by_prosign.get(p)
    if word is not None or len(p) != 2:
        return word
    return highest_precedence(by_prosign.get(c) for c in p if c in by_prosign)


def precedence_rank(word: str) -> int | None:
    """1 (ROUTINE) .. 5 (FLASH); ``None`` for an unknown or unranked precedence."""
    ranks, _ = _precedence_table()
    return ranks.get(_norm(word))


def highest_precedence(words: Iterable[str | None]) -> str | None:
    """The highest of addressee precedences (5 FAH-2 H-321.2-1b).

    ``None`` counts as ROUTINE (no word written); prosigns (``OO``, ``P``) are accepted too;
    unknown words are ignored. ``None`` when nothing known is given.
    """
    ranks, by_prosign = _precedence_table()
    best: str | None = None
    best_rank = 0
    for w in words:
        word = "ROUTINE" if w is None else _norm(w)
        if word not in ranks:
            word = by_prosign.get(word, word)
        rank = ranks.get(word, 0)
        if rank > best_rank:
            best, best_rank = word, rank
    return best


# --- classification ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=_CACHED)
def level_rank(level: str) -> int | None:
    """0 (UNCLASSIFIED) .. 3 (TOP SECRET); other markings are mapped first."""
    lv = _norm(level)
    if lv not in LEVEL_ORDER:
        lv = classification_level(level) or ""
    return LEVEL_ORDER.index(lv) if lv in LEVEL_ORDER else None


@functools.lru_cache(maxsize=_CACHED)
def classification_level(marking: str) -> str | None:
    """``S E C R E T``, ``CONFIDENTIAL//NOFORN``, ``UNCLAS E F T O``, ``LIMITED OFFICIAL USE`` ...
    -> UNCLASSIFIED / CONFIDENTIAL / SECRET / TOP SECRET (ACP 127 §209, 5 FAH-2 H-222).

    The marking may be letter-spaced and followed by caveats or the rest of the line; it must end
    at a word boundary (``SECRETARY`` is no marking).
    """
    pattern, levels = _marking_re()
    m = pattern.match(marking.upper())
    return levels[m.lastindex - 1] if m and m.lastindex else None


_PORTION = re.compile(r"[()\s]")
_PORTION_SPLIT = re.compile(r"/")


@functools.lru_cache(maxsize=_CACHED)
def level_of_portion_mark(mark: str) -> str | None:
    """``(S/NF)``, ``C``, ``SBU-N``, ``C/REL GBR``, ``TS`` -> the level (5 FAH-1 H-246.2c)."""
    m = _PORTION.sub("", mark).upper()
    table = _classification_table()
    first = _PORTION_SPLIT.split(m, 1)[0]
    for key in (first, first.split("-", 1)[0]):
        level = table.get(("portion", key))
        if level is not None:
            return level
    return None


def level_of_fl4(security: str) -> str | None:
    """``ZNY SSSSS`` (or ``SSSSS``, ``S``) -> SECRET (ACP 127 §203; ``EEEEE`` per 5 FAH-2 H-222).

    The level comes from the first letter of the group, so the corpus slips ``SSSAA`` and
    ``CCCC`` still read.
    """
    parts = security.split()
    if not parts:
        return None
    group = parts[1] if len(parts) > 1 and parts[0] in ("ZNY", "ZNR") else parts[0]
    if not group.isalpha():
        return None
    return _classification_table().get(("fl4", group[0].upper()))


# --- captions, E.O. reasons, routing indicators -------------------------------------------------


def caption_info(caption: str) -> Caption | None:
    """The table row for a caption as written (spacing and case do not matter).

    ``C O R R E C T E D C O P Y (TEXT)`` and ``CORRECTED COPY`` match their row by prefix.
    """
    key = _norm(caption).replace(" ", "")
    table = _caption_table()
    row = table.get(key)
    if row is None and key.startswith("CORRECTEDCOPY"):
        row = table.get("CORRECTEDCOPY")
    return row


def caption_meaning(caption: str) -> str | None:
    """What a caption means (format.md §5.2, 5 FAH-2 H-251/H-252, PlusD-HR)."""
    row = caption_info(caption)
    return row.meaning if row else None


_EO_LETTER = re.compile(r"^\s*(?:1\s*\.\s*[45]\s*)?\(?\s*([A-Ha-h])\s*\)?\s*$")


def eo_reason(letter: str) -> EOReason | None:
    """``b``, ``(B)``, ``1.4(b)``, ``1.5 B`` -> the classification category (E.O. 12958/13526)."""
    m = _EO_LETTER.match(letter)
    return _eo_table().get(m.group(1).lower()) if m else None


def routing_indicator_names(ri: str) -> list[str]:
    """All plain-language names ACP 117 (2010) gives a routing indicator (a few have several)."""
    return list(_ri_table().get(ri.strip().upper(), ()))


def routing_indicator_name(ri: str) -> str | None:
    """``RUEHMO`` -> ``AMEMBASSY MOSCOW`` (ACP 117, 2010); the first name when several."""
    names = _ri_table().get(ri.strip().upper())
    return names[0] if names else None


@functools.cache
def plain_language_addresses() -> frozenset[str]:
    """Every plain-language address ACP 117 (2010) names (5 FAH-2 H-231: PLADs)."""
    return frozenset(name for names in _ri_table().values() for name in names)
