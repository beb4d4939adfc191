"""Organisations and places a cable names, so ``cabledesk people --kind`` can list them too and
the person rules never take ``Buenos Aires`` or the ``Foreign Ministry`` for somebody.

Places: the country names of the TAGS table and the posts' city names (telegram layer data),
matched as whole words (any case in a capitals cable, capitalised otherwise). Organisations: a
capitalised run ending in an institution's head noun (``Ministry``, ``Party``, ``Bank``...) or
opening with ``Ministry of``/``Bank of``..., and the agency acronyms of the telegram layer's
tables written in capitals (``UNHCR``, ``NATO``).
"""

from __future__ import annotations

import csv
import functools
import importlib.resources
import re

from cabledesk.protect.lexicon import acronyms
from cabledesk.protect.model import Mention
from cabledesk.protect.names import is_common_word, mostly_upper

__all__ = ["find_orgs_and_places"]

_HEADS = (
    "Ministry|Party|Bank|Council|Committee|Commission|University|Embassy|Consulate|Agency|"
    "Company|Corporation|Corp|Group|Front|Movement|Union|Association|Court|Parliament|Assembly|"
    "Army|Navy|Police|Office|Department|Foundation|Institute|Organization|Organisation|"
    "Federation|Service|Authority|Fund|Forces|Alliance|League|Congress|Church|Chamber|Tribunal|"
    "Directorate|Secretariat|Cabinet|Senate|Guard|Brigade|Bureau|Center|Centre|Coalition"
)
_CAP = r"[A-Z][\w'&.-]*"
_JOIN = r"(?:[ \t]+(?:of|for|and|the|de|del|al)?[ \t]*)"
_ORG_RE = re.compile(
    rf"\b(?:{_CAP}{_JOIN})*?(?P<head>{_HEADS})\b(?:[ \t]+(?:of|for)[ \t]+(?:the[ \t]+)?{_CAP}"
    rf"(?:[ \t]+{_CAP})*)?"
)
_ORG_UPPER_RE = re.compile(
    rf"\b(?:[A-Z'&.-]+[ \t]+){{0,2}}(?P<head>{_HEADS.upper()})\b"
    rf"(?:[ \t]+OF[ \t]+(?:THE[ \t]+)?[A-Z'&.-]+)?"
)
_ACRONYM_RE = re.compile(r"\b[A-Z][A-Z&/-]{1,9}\b")


@functools.cache
def _place_re() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Place names as two patterns: written capitalised, and any case."""
    names: set[str] = set()
    data = importlib.resources.files("cabledesk.telegram") / "data"
    with (data / "tags_geo.csv").open(encoding="utf-8") as fh:
        names.update(row["name"] for row in csv.DictReader(fh) if row.get("kind") == "country")
    with (data / "stations.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            origin = row.get("origin") or ""
            names.add(origin.split(" ", 1)[1] if " " in origin else origin)
    names = {n.strip() for n in names if len(n.strip()) > 3 and "," not in n and n[:1].isupper()}
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternation})\b"), re.compile(
        rf"\b(?:{alternation})\b", re.IGNORECASE
    )


def _leading(word: str) -> bool:
    """A word that opens an institution's run without belonging to its name."""
    key = word.lower()
    return key in ("the", "a", "an") or (is_common_word(key) and key not in _NAME_WORDS)


_NAME_WORDS = frozenset(
    {"foreign", "national", "central", "supreme", "state", "federal", "interior", "defense",
     "defence", "justice", "finance", "security", "united", "european", "islamic", "world",
     "international", "socialist", "democratic", "liberal", "conservative", "labour", "labor",
     "communist", "people's", "popular", "republican", "constitutional", "general", "public",
     "economic", "trade", "health", "education", "energy", "oil", "petroleum", "agriculture"}
)  # fmt: skip
"""Common words that are part of institutions' names (Foreign Ministry, Central Bank)."""


def find_orgs_and_places(
    text: str, begin: int = 0, taken: list[tuple[int, int]] | None = None
) -> list[Mention]:
    """Organisation and place mentions of ``text[begin:]``, in text order, not overlapping
    each other nor the spans already ``taken`` (people found first)."""
    upper = mostly_upper(text)
    found: list[Mention] = []
    taken = list(taken or ())

    def add(start: int, end: int, kind: str, rule: str, confidence: float) -> None:
        written = text[start:end].rstrip(" .")
        end = start + len(written)
        if end <= start or any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        name = " ".join(written.split())
        found.append(Mention(start, end, written, kind, rule, confidence, name))

    for m in (_ORG_UPPER_RE if upper else _ORG_RE).finditer(text, begin):
        start = m.start()
        for w in re.finditer(r"\S+", text[m.start() : m.start("head")]):
            if not _leading(w.group()):
                break
            start = m.start() + w.end()  # "The", "BY", "APPROVED OUR" drop off
        start += len(text[start : m.end()]) - len(text[start : m.end()].lstrip())
        if len(text[start : m.end()].split()) > 1 or not upper:
            add(start, m.end(), "organisation", "institution", 0.8)
    cased, anycase = _place_re()
    for m in (anycase if upper else cased).finditer(text, begin):
        add(m.start(), m.end(), "place", "gazetteer", 0.9)
    known = acronyms()
    for m in _ACRONYM_RE.finditer(text, begin):
        if len(m.group()) > 2 and m.group() in known and not is_common_word(m.group().lower()):
            add(m.start(), m.end(), "organisation", "acronym", 0.7 if upper else 0.85)
    return sorted(found, key=lambda x: x.start)
