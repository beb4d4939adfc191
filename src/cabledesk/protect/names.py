"""How cables write people's names, as data and small pure functions shared by every step.

A name is compared token by token after *folding* (accents removed, lower case, apostrophes
and dots dropped), and tokens written in different transliterations (``Qadhafi``/``Gaddafi``,
``Mohammed``/``Muhammad``) meet on a consonant *skeleton*. Words the corpus writes in lower case
and places (the word lists of ``protect.lexicon``) are not names on their own; titles (``Ambassador``, ``Foreign Minister``, ``Sheikh``) come before names and are
kept out of a name's span.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from cabledesk.protect.lexicon import common_words, place_words, post_words

__all__ = [
    "PARTICLES",
    "Token",
    "core",
    "fold",
    "is_common_word",
    "is_place_word",
    "is_title_word",
    "mostly_upper",
    "name_keys",
    "same_token",
    "significant",
    "skeleton",
    "tokens",
]

PARTICLES = frozenset(
    {
        *("al", "el", "ul", "bin", "ben", "bint", "ibn", "abu", "abd", "abdel", "abdul", "ould"),
        *("van", "von", "der", "den", "de", "da", "do", "dos", "das", "del", "della", "di", "du"),
        *("la", "le", "y", "e", "mac", "st"),
    }
)
"""Lower-case parts of names (``bin Laden``, ``van Rompuy``, ``da Silva``): inside a name run,
never a name on their own."""

# A word: letters with inner apostrophes, hyphens or dots (O'Brien, al-Maliki, Yung-woo),
# or an initial ("G.").
_TOKEN_RE = re.compile(r"[^\W\d_](?:[\w'’-]*[^\W\d_])?\.?", re.UNICODE)

_SKELETON_SUBS = (
    (re.compile(r"(ph)"), "f"),
    (re.compile(r"(dh|th|kh|gh|sh|ch|zh)"), lambda m: m.group(1)[0]),
    (re.compile(r"[qgc]"), "k"),
    (re.compile(r"[aeiouyhw'’-]"), ""),
    (re.compile(r"(.)\1+"), r"\1"),
)


class Token(NamedTuple):
    """A word of a text with its position; ``key`` is its folded form. (A named tuple: a
    cable has thousands of words and a tuple is the cheapest object to make.)"""

    start: int
    end: int
    text: str
    key: str

    @property
    def is_initial(self) -> bool:
        return len(self.key) == 1 and self.text[:1].isupper()

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


_POSSESSIVE_RE = re.compile(r"['’]s$")
_PUNCT_RE = re.compile(r"['’.]")


@functools.lru_cache(maxsize=262144)
def fold(text: str) -> str:
    """Lower case without accents, apostrophes, dots or a possessive: the form names compare in.
    Cached: a corpus repeats its words."""
    if text.isascii():
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return _PUNCT_RE.sub("", _POSSESSIVE_RE.sub("", text))


@functools.lru_cache(maxsize=65536)
def skeleton(key: str) -> str:
    """Consonant skeleton of a folded token, so transliterations meet (qadhafi, gaddafi → kdf)."""
    s = key
    for pattern, repl in _SKELETON_SUBS:
        s = pattern.sub(repl, s)
    return s


def core(key: str) -> str:
    """A folded token without a glued particle (``al-qadhafi`` → ``qadhafi``), so ``Al-Khalifa``,
    ``Al Khalifa`` and ``Khalifa`` meet."""
    head, sep, rest = key.partition("-")
    if sep and rest and head in PARTICLES:
        return core(rest)
    return key


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (returning ``limit + 1``) once it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def same_token(a: str, b: str) -> bool:
    """Whether two folded name tokens are the same name: equal (particles aside), or two
    spellings of it: the same consonant skeleton and at most one edit apart (two for long
    names: ``qadhafi``/``gaddafi``, ``ahmed``/``ahmad``). Words the corpus writes in lower
    case, and places, never meet by spelling (``summary`` is not ``samir``)."""
    a, b = core(a), core(b)
    if a == b:
        return True
    if len(a) < 4 or len(b) < 4 or is_common_word(a) or is_common_word(b):
        return False
    if is_place_word(a) or is_place_word(b):
        return False  # "Angola" is not "Angela", "Saudi" not "Saud"
    if skeleton(a) != skeleton(b):
        return False
    limit = 2 if min(len(a), len(b)) >= 7 else 1
    return _distance(a, b, limit) <= limit


def tokens(text: str, start: int = 0, end: int | None = None) -> Iterator[Token]:
    """The words of ``text[start:end]``, with absolute positions; a trailing possessive
    (``Chun's``, ``Wells'``) and a sentence's full stop are left out of the token."""
    for m in _TOKEN_RE.finditer(text, start, len(text) if end is None else end):
        word = m.group()
        last = word[-1]
        if last == "." or last == "'" or last == "’" or word[-2:-1] in ("'", "’"):
            s, e = m.span()
            if last == "." and len(word) > 2:
                word, e = word[:-1], e - 1  # "Wells." at a sentence's end
            if word[-2:] in ("'s", "’s"):
                word, e = word[:-2], e - 2
            elif word[-1:] in ("'", "’"):
                word, e = word[:-1], e - 1
            if word:
                yield Token(s, e, word, fold(word))
        else:
            yield Token(m.start(), m.end(), word, fold(word))


_UPPER_RE = re.compile(r"[A-Z]")
_LOWER_RE = re.compile(r"[a-z]")


def mostly_upper(text: str) -> bool:
    """Whether a text is written in capitals (old telegrams): then case says nothing about names.
    (ASCII letters decide: counting them by regex is fast on long cables.)"""
    upper = len(_UPPER_RE.findall(text))
    lower = len(_LOWER_RE.findall(text))
    return upper + lower > 0 and upper > 4 * lower


@functools.cache
def _titles() -> frozenset[str]:
    ref = importlib.resources.files("cabledesk.protect") / "data" / "person_titles.txt"
    with ref.open(encoding="utf-8") as fh:
        return frozenset(
            fold(w.strip()) for w in fh if w.strip() and not w.lstrip().startswith("#")
        )


def is_common_word(key: str) -> bool:
    """A folded word the corpus writes in lower case: not a name on its own."""
    return key in common_words() or key in PARTICLES


def is_place_word(key: str) -> bool:
    """A folded word of a country, city or nationality name (``afghanistan``, ``aires``)."""
    return key in place_words() or key in post_words()


def is_title_word(key: str) -> bool:
    """A folded word that is (part of) a title written before a name."""
    return key in _titles()


def name_keys(name: str) -> list[str]:
    """The folded tokens of a name as an editor types it, titles dropped
    (``Foreign Minister Sergey Lavrov`` → ``['sergey', 'lavrov']``)."""
    keys = [t.key for t in tokens(name)]
    while len(keys) > 1 and is_title_word(keys[0]):
        keys.pop(0)
    return keys


def significant(keys: Iterable[str]) -> list[str]:
    """The tokens of a name that identify it: particles and initials left out."""
    return [k for k in keys if k not in PARTICLES and len(k) > 1]
