"""Organisations and places a cable names, so ``cabledesk people --kind`` can list them too and
the person rules never take ``Buenos Aires`` or the ``Foreign Ministry`` for somebody.

Places: the country names of the TAGS table and the posts' city names (telegram layer data),
matched as whole words (any case in a capitals cable, capitalised otherwise). Organisations: a
capitalised run ending in an institution's head noun (``Ministry``, ``Party``, ``Bank``...) or
opening with ``Ministry of``/``Bank of``..., and the agency acronyms of the telegram layer's
tables written in capitals (``UNHCR``, ``NATO``).
"""

from __future__ import annotations

import bisect
import csv
import functools
import importlib.resources
import re
from collections.abc import Sequence

from cabledesk.protect.lexicon import acronyms
from cabledesk.protect.model import Mention
from cabledesk.protect.names import Token, is_common_word, mostly_upper, tokens

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
def _places() -> dict[str, frozenset[tuple[str, ...]]]:
    """Place names as tuples of folded words, indexed by their first word."""
    names: set[str] = set()
    data = importlib.resources.files("cabledesk.telegram") / "data"
    with (data / "tags_geo.csv").open(encoding="utf-8") as fh:
        names.update(row["name"] for row in csv.DictReader(fh) if row.get("kind") == "country")
    with (data / "stations.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            origin = row.get("origin") or ""
            names.add(origin.split(" ", 1)[1] if " " in origin else origin)
    by_first: dict[str, set[tuple[str, ...]]] = {}
    for n in names:
        if len(n.strip()) > 3 and "," not in n and n[:1].isupper():
            key = tuple(t.key for t in tokens(n))
            if key:
                by_first.setdefault(key[0], set()).add(key)
    return {k: frozenset(v) for k, v in by_first.items()}


def _place_spans(text: str, words: Sequence[Token], upper: bool) -> list[tuple[int, int]]:
    """Where ``words`` name a place: the longest gazetteer name at each word."""
    places = _places()
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        candidates = places.get(words[i].key)
        if candidates is None or not (upper or words[i].text[:1].isupper()):
            i += 1
            continue
        for name in sorted(candidates, key=len, reverse=True):
            run = words[i : i + len(name)]
            if (
                tuple(w.key for w in run) == name
                and all(b.start - a.end <= 2 for a, b in zip(run, run[1:], strict=False))
                and (upper or all(w.text[:1].isupper() or w.key in _JOINERS for w in run))
            ):
                spans.append((run[0].start, run[-1].end))
                i += len(name) - 1
                break
        i += 1
    return spans


_JOINERS = frozenset({"of", "and", "the", "de", "la", "el", "al", "es", "du"})


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
    text: str,
    begin: int = 0,
    taken: list[tuple[int, int]] | None = None,
    words: Sequence[Token] | None = None,
) -> list[Mention]:
    """Organisation and place mentions of ``text[begin:]``, in text order, not overlapping
    each other nor the spans already ``taken`` (people found first). ``words``: the text's
    ``names.tokens``, when the caller has them already."""
    if words is None:
        words = list(tokens(text))
    words = [w for w in words if w.start >= begin]
    upper = mostly_upper(text)
    found: list[Mention] = []
    taken = sorted(taken or ())

    def add(start: int, end: int, kind: str, rule: str, confidence: float) -> None:
        written = text[start:end].rstrip(" .")
        end = start + len(written)
        i = bisect.bisect_left(taken, (start, end))
        if (
            end <= start
            or (i > 0 and taken[i - 1][1] > start)
            or (i < len(taken) and taken[i][0] < end)
        ):
            return  # overlaps a span already taken
        taken.insert(i, (start, end))
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
    for start, end in _place_spans(text, words, upper):
        add(start, end, "place", "gazetteer", 0.9)
    known = acronyms()
    for m in _ACRONYM_RE.finditer(text, begin):
        if len(m.group()) > 2 and m.group() in known and not is_common_word(m.group().lower()):
            add(m.start(), m.end(), "organisation", "acronym", 0.7 if upper else 0.85)
    return sorted(found, key=lambda x: x.start)
