"""Finding every place a text names one of the people to protect.

An editor protects a person by name (``Chun Yung-woo``); a cable may write that person as
``Chun``, ``CHUN``, ``Chun's``, ``Mr. Chun``, ``Y. Chun``, across a line break, or in another
transliteration. The matcher reads the text's words once and finds *runs*: adjacent words that
all belong to one protected name (its tokens, its particles, an initial of one of its tokens).
A run is a mention unless a name-like word touches it that the protected name lacks
(``Hamad Al Khalifa`` is not ``Khalid bin Ahmed Al Khalifa``; ``Kim Dae-jung`` is not ``Kim
Jong-il``). Each match carries a confidence: the full name is near certain, a surname alone
likely, a given name alone or a common word (``Rice``) less so; an editor reviews the plan.

Recall comes first: a word shared by two protected names is planned for the one named most
recently before it, with a lower confidence, rather than left readable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cabledesk.protect.names import (
    PARTICLES,
    Token,
    core,
    is_common_word,
    is_place_word,
    is_title_word,
    mostly_upper,
    name_keys,
    same_token,
    significant,
    skeleton,
    tokens,
)

__all__ = ["Match", "Target", "TargetIndex", "find_matches", "targets"]

# What may separate two words of one name: spaces, one line break (names wrap), nothing else.
_GAP_RE = re.compile(r"[ \t]*(?:\r?\n[ \t]*)?")


@dataclass(frozen=True, slots=True)
class Target:
    """A protected name prepared for matching."""

    name: str
    keys: tuple[str, ...]
    """Folded tokens, particles included."""
    sig: tuple[str, ...]
    """Folded tokens that identify the person (no particles or initials)."""

    def owns(self, key: str) -> bool:
        """Whether a folded word is one of this name's identifying tokens."""
        return any(same_token(key, s) for s in self.sig)

    def allows(self, token: Token) -> bool:
        """Whether a word can stand inside a run of this name."""
        key = token.key
        if key in PARTICLES:
            return key in self.keys
        if token.is_initial:
            return key in self.keys or any(s[0] == key for s in self.sig)
        return self.owns(key)

    @property
    def initials(self) -> str:
        """``ASSK`` for Aung San Suu Kyi: cables abbreviate some leaders so."""
        return "".join(s[0] for s in self.sig) if len(self.sig) >= 3 else ""


class TargetIndex:
    """Protected names looked up by word: exact folded word, or consonant skeleton (checked
    with ``same_token``), or initialism. Matching a text costs one lookup per word."""

    def __init__(self, protected: Sequence[Target]) -> None:
        self.targets = list(protected)
        self._by_skeleton: dict[str, list[Target]] = {}
        self._by_initials: dict[str, list[Target]] = {}
        self._by_letter: dict[str, list[Target]] = {}  # initials a name allows: "Y." of Yung-woo
        for t in self.targets:
            for letter in sorted({s[0] for s in t.sig} | {k for k in t.keys if len(k) == 1}):
                self._by_letter.setdefault(letter, []).append(t)
            for key in t.sig:
                bucket = self._by_skeleton.setdefault(skeleton(core(key)), [])
                if t not in bucket:
                    bucket.append(t)
            if t.initials:
                self._by_initials.setdefault(t.initials, []).append(t)

    def owners(self, token: Token) -> list[Target]:
        """The protected names ``token`` may start a run of."""
        key = core(token.key)
        found = [t for t in self._by_skeleton.get(skeleton(key), ()) if t.owns(key)]
        if token.is_initial:
            found += [t for t in self._by_letter.get(key, ()) if t not in found]
        return found

    def initialism(self, token: Token) -> list[Target]:
        """Protected names ``token`` abbreviates (it must be written in capitals)."""
        if len(token.text) < 3 or not token.text.isupper():
            return []
        return self._by_initials.get(token.key, [])


@dataclass(frozen=True, slots=True)
class Match:
    """A run of words naming a protected person."""

    start: int
    end: int
    target: Target
    rule: str
    confidence: float


def targets(names: Iterable[str]) -> list[Target]:
    """Prepare protected names for matching; names with no identifying token are dropped."""
    out: list[Target] = []
    seen: set[tuple[str, ...]] = set()
    for name in names:
        keys = tuple(_split_particles(name_keys(name)))
        sig = tuple(significant(keys))
        if sig and keys not in seen:
            seen.add(keys)
            out.append(Target(name.strip(), keys, sig))
    return out


def _split_particles(keys: list[str]) -> list[str]:
    """``al-khalifa`` → ``al``, ``khalifa``: a name typed with a glued particle matches the
    particle written apart too."""
    out: list[str] = []
    for key in keys:
        while core(key) != key:
            head, _, key = key.partition("-")
            out.append(head)
        out.append(key)
    return out


def _capitalised(token: Token) -> bool:
    """Whether a word is written as a name: capital first letter, or after a glued particle
    (``al-Qadhafi``)."""
    if token.capitalised:
        return True
    head, sep, rest = token.text.partition("-")
    return bool(sep and rest[:1].isupper() and head.lower() in PARTICLES)


def _adjacent(text: str, a: Token, b: Token) -> bool:
    """Whether two words are neighbours within one name (only spaces or one line break between)."""
    m = _GAP_RE.fullmatch(text, a.end, b.start)
    return m is not None and (b.start > a.end or text[a.end : b.start] == "")


def _name_like(text: str, token: Token, upper: bool) -> bool:
    """Whether a word could be part of a person's name (so touching a run, it names someone
    else). Titles, particles, places, common words are not; in a mixed-case text neither is a
    word in capitals (``COO``, ``SSIS``: acronyms) nor the letters of ``U.S.``."""
    key = token.key
    if key in PARTICLES or is_title_word(key) or is_place_word(core(key)):
        return False
    if not upper and (not token.capitalised or (len(token.text) > 1 and token.text.isupper())):
        return False
    if token.is_initial:
        return token.start == 0 or text[token.start - 1] not in "./"  # U.S., U/S
    return not is_common_word(key)


def _confidence(run: Sequence[Token], target: Target, upper: bool, sentence_start: bool) -> float:
    owned = [t.key for t in run if t.key not in PARTICLES and not t.is_initial]
    distinct = {s for s in target.sig if any(same_token(k, s) for k in owned)}
    if len(distinct) >= 2 or len(target.sig) == 1 and len(distinct) == 1 and len(run) > 1:
        return 0.97
    key = owned[0] if owned else ""
    if len(target.sig) == 1:
        score = 0.9
    elif same_token(key, target.sig[-1]) or any(t.is_initial for t in run):
        score = 0.9  # a surname, or "Y. Chun"
    else:
        score = 0.75  # a given name (or a first-written family name) alone
    if is_common_word(key):
        score -= 0.25 if (upper or sentence_start) else 0.1
    return round(score, 2)


def _sentence_start(text: str, token: Token) -> bool:
    before = text[max(0, token.start - 4) : token.start].rstrip()
    return not before or before[-1] in ".!?:\n)" or before.endswith("¶")


def find_matches(text: str, protected: Sequence[Target] | TargetIndex) -> list[Match]:
    """Every run of ``text`` naming one of ``protected``, in text order, not overlapping."""
    index = protected if isinstance(protected, TargetIndex) else TargetIndex(protected)
    if not index.targets:
        return []
    upper = mostly_upper(text)
    words = list(tokens(text))
    seen = _Seen()
    _scan(text, words, index, upper, seen)  # first pass: who is named in full, and namesakes
    seen.last_named.clear()
    return _scan(text, words, index, upper, seen)


@dataclass(slots=True)
class _Seen:
    """What a first pass over a text learnt: the protected names written in full somewhere in
    it, the ones sharing a surname with someone else named in it, and (while scanning) where
    each was last written in full."""

    named: set[str] = field(default_factory=set)
    namesakes: set[str] = field(default_factory=set)
    last_named: dict[str, int] = field(default_factory=dict)


def _scan(
    text: str, words: list[Token], index: TargetIndex, upper: bool, seen: _Seen
) -> list[Match]:
    found: list[Match] = []
    last_named = seen.last_named
    i = 0
    while i < len(words):
        w = words[i]
        if not (upper or _capitalised(w)) or w.key in PARTICLES:
            i += 1
            continue
        best = _best_run(text, words, i, index, upper, seen)
        if best is None:
            abbreviated = index.initialism(w)
            if abbreviated:
                target = max(abbreviated, key=lambda t: last_named.get(t.name, -1))
                found.append(Match(w.start, w.end, target, "initials", 0.8))
            i += 1
            continue
        j, target, score = best
        k = i
        while k > 0 and words[k - 1].key in target.keys and words[k - 1].key in PARTICLES:
            if not _adjacent(text, words[k - 1], words[k]):
                break
            k -= 1  # "Al Khalifa": the particle belongs to the name
        run = words[k:j]
        rule = "full-name" if score >= 0.97 else "partial-name"
        if score >= 0.97:
            last_named[target.name] = w.start
            seen.named.add(target.name)
        found.append(Match(run[0].start, run[-1].end, target, rule, score))
        i = j
    return found


def _best_run(
    text: str,
    words: list[Token],
    i: int,
    index: TargetIndex,
    upper: bool,
    seen: _Seen,
) -> tuple[int, Target, float] | None:
    """The longest, most certain run of a protected name starting at word ``i``."""
    w = words[i]
    best: tuple[int, Target, float] | None = None
    for target in index.owners(w):
        j = _extend(text, words, i, target)
        run = words[i:j]
        if not any(target.owns(t.key) for t in run):
            continue
        start = _sentence_start(text, w)
        if (
            len(run) == 1
            and len(target.sig) > 1
            and not _lone_word_ok(words, i, target, upper, start, seen)
        ):
            continue
        if not _fits(text, words, i, j, target, upper):
            seen.namesakes.add(target.name)  # "Vilma Martinez" when protecting Perla Martinez
            continue
        score = _confidence(run, target, upper, start)
        if best is None or (j, score) > (best[0], best[2]):
            best = (j, target, score)
        elif (j, score) == (best[0], best[2]) and seen.last_named.get(
            target.name, -1
        ) > seen.last_named.get(best[1].name, -1):
            # Shared word: the name written most recently before it wins.
            best = (j, target, round(score - 0.15, 2))
    return best


def _lone_word_ok(
    words: list[Token], i: int, target: Target, upper: bool, start: bool, seen: _Seen
) -> bool:
    """Whether one word alone stands for a protected person of a longer name.

    A surname alone is the usual way cables refer back to someone; it is doubted when the word
    is also common or a place (``Brown`` opening a sentence, ``Valencia``) unless a title
    precedes it or the cable names the person in full somewhere; and dropped when the cable
    names someone else of that surname in full but never the protected person. A given name
    alone counts only as written and never when it is a place (``Jose`` of San Jose)."""
    key = core(words[i].key)
    vouched = _after_title(words, i) or target.name in seen.named
    if target.name in seen.namesakes and target.name not in seen.named:
        return False
    if is_common_word(key) and (upper or start) and not vouched:
        return False  # "WILL" in a capitals cable, "Young" opening a sentence
    surname = same_token(key, target.sig[-1])
    if not surname and (key not in target.sig or is_place_word(key)):
        return False  # a given name alone is only taken as written ("Paulo" is not Paul)
    return not (surname and is_place_word(key) and not vouched)


def _after_title(words: list[Token], i: int) -> bool:
    """Whether the word before ``words[i]`` is a title (``Mr. Young``, ``Secretary Rice``)."""
    return i > 0 and is_title_word(words[i - 1].key)


def _extend(text: str, words: list[Token], i: int, target: Target) -> int:
    """The end (exclusive word index) of the run of ``target`` starting at word ``i``."""
    j = i + 1
    while j < len(words) and _adjacent(text, words[j - 1], words[j]) and target.allows(words[j]):
        j += 1
    while j - 1 > i and words[j - 1].key in PARTICLES:
        j -= 1  # a run never ends on "al" or "bin"
    return j


def _fits(text: str, words: list[Token], i: int, j: int, target: Target, upper: bool) -> bool:
    """Whether the run ``words[i:j]`` stands alone: no other name-like word touches it,
    unless the protected name is a single word (an editor protecting "Chun" means every Chun)."""
    if len(target.sig) == 1:
        return True
    while i > 0 and words[i - 1].key in PARTICLES and _adjacent(text, words[i - 1], words[i]):
        i -= 1  # look past "bin", "al" to the word before them
    if (
        i > 0
        and _adjacent(text, words[i - 1], words[i])
        and _name_like(text, words[i - 1], upper)
        and not (upper and _sentence_start(text, words[i - 1]))
    ):
        return False
    return not (
        j < len(words)
        and _adjacent(text, words[j - 1], words[j])
        and _name_like(text, words[j], upper)
    )
