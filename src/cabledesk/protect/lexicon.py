"""Word lists the audit uses to tell a person's name from other capitalised words.

``common_words``: words the corpus writes in lower case (``data/lowercase_words.txt``, built by
``scripts/build_name_lexicon.py``), so "Embassy" or "Ministry" at a sentence start is not a name.
``place_words``: country, region and post names (the telegram layer's GeoNames tag table and the
station list), so "according to Moscow" is not a leaked source. ``acronyms``: agency and
organisation acronyms (``NATO``, ``OFAC``) from the telegram layer's tables.
"""

from __future__ import annotations

import csv
import functools
import importlib.resources
from pathlib import Path

from cabledesk.telegram.stations import known_stations

__all__ = [
    "FUNCTION_WORDS",
    "MONTHS_AND_DAYS",
    "acronyms",
    "common_words",
    "place_words",
    "post_words",
]

_DATA = Path(__file__).parent / "data"

# Nationalities and faiths whose form no rule derives from the country name.
_DEMONYMS = frozenset(
    [
        "turkish",
        "dutch",
        "british",
        "english",
        "french",
        "irish",
        "scottish",
        "welsh",
        "danish",
        "swedish",
        "finnish",
        "polish",
        "spanish",
        "portuguese",
        "chinese",
        "japanese",
        "vietnamese",
        "lebanese",
        "sudanese",
        "burmese",
        "taiwanese",
        "nepalese",
        "senegalese",
        "congolese",
        "togolese",
        "maltese",
        "yemeni",
        "iraqi",
        "israeli",
        "pakistani",
        "kuwaiti",
        "saudi",
        "omani",
        "qatari",
        "emirati",
        "bahraini",
        "afghan",
        "kazakh",
        "uzbek",
        "tajik",
        "kyrgyz",
        "turkmen",
        "thai",
        "greek",
        "swiss",
        "arab",
        "arabic",
        "islamic",
        "muslim",
        "christian",
        "catholic",
        "orthodox",
        "kurdish",
        "shia",
        "shiite",
        "shi'a",
        "sunni",
        "asian",
        "african",
        "european",
        "american",
        "latin",
        "western",
        "eastern",
        "northern",
        "southern",
        "balkan",
        "caucasus",
        "persian",
        "slavic",
        "nordic",
        "baltic",
        "hispanic",
        "jewish",
        "hindu",
        "buddhist",
        "sikh",
        "coptic",
        "druze",
        "maronite",
    ]
)


MONTHS_AND_DAYS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
    ]
)
"""Month and weekday names and their abbreviations: capitalised, never a name."""

FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "as",
        "from",
        "into",
        "about",
        "than",
        "that",
        "which",
        "who",
        "whom",
        "whose",
        "this",
        "these",
        "those",
        "is",
        "was",
        "were",
        "are",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "will",
        "would",
        "may",
        "might",
        "can",
        "could",
        "should",
        "shall",
        "do",
        "did",
        "does",
        "not",
        "no",
        "he",
        "she",
        "it",
        "they",
        "we",
        "his",
        "her",
        "its",
        "their",
        "our",
        "s",
        "also",
        "both",
        "however",
        "although",
        "though",
        "while",
        "when",
        "if",
        "since",
        "because",
        "nevertheless",
        "still",
        "further",
        "separately",
        "then",
        "there",
        "here",
        "what",
        "where",
        "why",
        "how",
        "all",
        "any",
        "some",
        "such",
        "like",
        "including",
        "between",
        "among",
        "during",
        "after",
        "before",
        "over",
        "under",
        "against",
        "through",
        "(",
        ")",
        "x",
        "xx",
    ]
)
"""Words that carry no meaning of their own: a frame or a context made only of them says
nothing about who stands in it ("of XXXX", "XXXX and", "the XXXX")."""


@functools.cache
def common_words() -> frozenset[str]:
    """Lower-case words of running text: a capitalised one alone is no name."""
    path = _DATA / "lowercase_words.txt"
    if not path.is_file():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


@functools.cache
def acronyms() -> frozenset[str]:
    """Upper-case acronyms of agencies and organisations (acronyms.txt, tags_org.txt)."""
    out: set[str] = set()
    for name in ("acronyms.txt", "tags_org.txt"):
        ref = importlib.resources.files("cabledesk.telegram.data").joinpath(name)
        for line in ref.read_text(encoding="utf-8").splitlines():
            word = line.strip().strip("()")
            if word and not word.startswith("#"):
                out.add(word.upper())
    return frozenset(out)


@functools.cache
def place_words() -> frozenset[str]:
    """Lower-cased place names: countries and regions (tags_geo.csv) and posts (stations)."""
    words: set[str] = {s.lower() for s in known_stations()}
    ref = importlib.resources.files("cabledesk.telegram.data").joinpath("tags_geo.csv")
    with ref.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name = (row.get("name") or "").lower()
            words.add(name)
            words.update(w for w in name.split() if len(w) > 3)
            if " " not in name and len(name) > 3:  # Bulgaria -> Bulgarian, Brazil -> Brazilian
                stem = name[:-1] if name.endswith(("a", "e", "o", "y")) else name
                words.update({name + "n", stem + "an", stem + "ian", name + "ian", stem + "ese"})
    words.update(_DEMONYMS)
    extra = _DATA / "places.txt"  # the person extractor's nationalities and regions
    if extra.is_file():
        lines = extra.read_text(encoding="utf-8").splitlines()
        words.update(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))
    return frozenset(words)


@functools.cache
def post_words() -> frozenset[str]:
    """Words of the posts' names as written (``Embassy Buenos Aires`` → buenos, aires). Kept
    apart from ``place_words``: some are surnames too (Mazar-e Sharif), so only the matcher's
    neighbour test uses them, never the person finder."""
    ref = importlib.resources.files("cabledesk.telegram.data").joinpath("stations.csv")
    words: set[str] = set()
    with ref.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            origin = (row.get("origin") or "").lower().split()
            words.update(w for w in origin[1:] if len(w) > 2)
    return frozenset(words)
