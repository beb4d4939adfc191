"""Cable-like prose for synthetic cables, recombined from clauses of the real corpus.

Why clauses: scale tests need millions of bodies at thousands of cables per second, and a
word-by-word chain costs about a microsecond per word (a real cable has ~1,300 words). The
profile (``synth_profile.json``, built by ``scripts/build_synth_profile.py``) holds a bank of
clauses, the pieces between commas of real sentences, as openers, middles and closers; a
sentence is an opener, sometimes a middle and a closer. That reads like cable prose and keeps no
corpus sentence whole. Paragraphs draw their sentences from a pool of 2**16 such combinations
with 16-bit random indices gathered in C (``random.choices`` spends ~0.2 µs per item in Python),
and each cable swaps a few pool sentences for new ones, so a long run never stops varying.
Subject lines and headings come from a small word-bigram model of real subjects.

The bank holds two slot characters: ``NAME_SLOT`` where the corpus had a person's name after a
title (``Minister ...``) and ``REDACTION_SLOT`` where it had ``XXXXXXXXXXXX``. :meth:`Prose.fill`
puts a cable's own cast of people in them (Title Case, or surnames in capitals as some posts
write them) or, in redacted cables, the redaction run.
"""

from __future__ import annotations

import array
import bisect
import itertools
import operator
import random
import re
from collections.abc import Sequence
from typing import Any, TypeVar

__all__ = [
    "Bigram",
    "NAME_SLOT",
    "Prose",
    "REDACTION",
    "REDACTION_SLOT",
    "Weighted",
    "cumulative",
    "wrap",
]

NAME_SLOT = "\x01"
REDACTION_SLOT = "\x02"
REDACTION = "XXXXXXXXXXXX"
T = TypeVar("T")
_MAX_WORDS = 40
_POOL = 1 << 16  # sentences ready to draw (about 10 MB); 16-bit random indices address it
_REFRESH = 4  # pool sentences replaced per cable
_SUBJECTS = 4096  # subject lines ready to draw; one in four draws replaces one
_TRAILING = ",;:-/&(\"'“"
# Lines of at most 66 columns; never start one with what the parser reads as structure (a
# paragraph number ``12.``, a portion mark ``(C)``, a ``--`` item, a pilcrow).
_LINE = re.compile(r"(.{1,66})(?: +(?![\d(¶-])|$)")


def cumulative(weights: Sequence[int | float]) -> list[float]:
    """Cumulative weights for ``bisect`` draws (``random.choices`` with ``cum_weights``)."""
    return list(itertools.accumulate(float(w) for w in weights))


class Weighted:
    """Items with weights, drawn by one ``bisect``: several times faster than ``choices(k=1)``."""

    __slots__ = ("cw", "items", "last", "total")

    def __init__(self, items: Sequence[Any], weights: Sequence[int | float]) -> None:
        if not items or len(items) != len(weights):
            raise ValueError("need as many weights as items, at least one")
        self.items = list(items)
        self.cw = cumulative(weights)
        self.total = self.cw[-1]
        self.last = len(self.items) - 1

    @classmethod
    def of(cls, pairs: Sequence[Sequence[Any]]) -> Weighted:
        """From ``[[item, weight], ...]`` (the profile's top-N lists)."""
        return cls([p[0] for p in pairs], [p[1] for p in pairs])

    def draw(self, rnd: random.Random) -> Any:
        i = bisect.bisect(self.cw, rnd.random() * self.total)
        return self.items[i if i <= self.last else self.last]

    def draws(self, rnd: random.Random, k: int) -> list[Any]:
        """``k`` independent draws in one call."""
        return rnd.choices(self.items, cum_weights=self.cw, k=k)


def wrap(text: str) -> str:
    """Hard-wrap one paragraph at about 66 columns, as pre-2011 releases print cables.

    A paragraph that cannot be wrapped without losing text (a word longer than a line) stays
    one line, as post-2011 releases print them.
    """
    lines = _LINE.findall(text)
    if sum(map(len, lines)) + len(lines) - 1 != len(text):
        return text
    return "\n".join(lines)


class Bigram:
    """A word-bigram chain (subject lines): weighted openings, per word its weighted successors."""

    __slots__ = ("next", "start_cw", "start_ids", "vocab")

    def __init__(self, model: dict[str, Any]) -> None:
        self.vocab: list[str] = model["vocab"]
        starts: list[int] = model["starts"]
        self.start_ids: list[int] = starts[0::2]
        self.start_cw = cumulative(starts[1::2])
        self.next: list[tuple[list[int], list[float]]] = [
            (pairs[0::2], cumulative(pairs[1::2])) for pairs in model["next"]
        ]

    def walk(self, rnd: random.Random, max_words: int = _MAX_WORDS) -> list[str]:
        """One chain of words from an opening to an end (or ``max_words``)."""
        draw = rnd.random
        cw = self.start_cw
        i = self.start_ids[bisect.bisect(cw, draw() * cw[-1])]
        vocab, nxt = self.vocab, self.next
        words = [vocab[i]]
        for _ in range(max_words - 1):
            ids, cw = nxt[i]
            if not ids:
                break
            i = ids[min(bisect.bisect(cw, draw() * cw[-1]), len(ids) - 1)]
            if i < 0:
                break
            words.append(vocab[i])
        return words


def _indices(rnd: random.Random, k: int) -> array.array[int]:
    """``k`` uniform random indices below 2**16, made in C (``random.choices`` costs ~0.2 µs
    per item in Python)."""
    return array.array("H", rnd.randbytes(2 * k))


def _pick(items: Sequence[T], indices: array.array[int]) -> tuple[T, ...]:
    """The items at ``indices``, gathered in C."""
    if len(indices) < 2:  # itemgetter takes one index to mean one item, not a tuple
        return tuple(items[i] for i in indices)
    picked: tuple[T, ...] = operator.itemgetter(*indices)(items)
    return picked


class Prose:
    """Paragraphs, subjects and headings for one generator run (one seeded ``random.Random``)."""

    def __init__(self, profile: dict[str, Any], rnd: random.Random) -> None:
        self.rnd = rnd
        bank: dict[str, list[str]] = profile["text"]
        self.openers = bank["openers"]
        self.closers = [", " + c for c in bank["closers"]]
        # Empty entries make the middle optional: about 45% of sentences get one.
        self.middles = [", " + m for m in bank["middles"]] + [""] * (len(bank["middles"]) * 6 // 5)
        self.subjects = Bigram(profile["subject"])
        quantiles: list[int] = profile["body"]["paragraph_chars"]
        self.cuts = [40, *quantiles, int(quantiles[-1] * 1.6)]
        self.first: list[str] = profile["names"]["first"]
        self.last: list[str] = profile["names"]["last"]
        self.pool = self.sentences(_POOL)
        self.subject_pool = [self._new_subject() for _ in range(_SUBJECTS)]
        # Per sentence drawn: its characters, less the share of body text that real cables
        # hold outside numbered paragraphs (``body_scale``), which longer paragraphs stand for.
        scale = float(profile["body"].get("body_scale", 1.0))
        self.mean = (sum(map(len, self.pool)) / len(self.pool) + 1) / scale
        # Sentences per paragraph for 2**16 evenly spaced quantiles of the length distribution:
        # drawn by 16-bit indices like the pool.
        self.sizes = [
            self.sentence_count(self.paragraph_chars((i + 0.5) / _POOL)) for i in range(_POOL)
        ]

    def paragraph_chars(self, quantile: float) -> int:
        """The paragraph length at ``quantile`` of the corpus's ventiles (linear within each)."""
        u = quantile * (len(self.cuts) - 1)
        i = int(u)
        lo, hi = self.cuts[i], self.cuts[i + 1]
        return int(lo + (hi - lo) * (u - i))

    def sentences(self, k: int) -> list[str]:
        """``k`` sentences (slots unfilled), each an opener, maybe a middle, and a closer."""
        choices = self.rnd.choices
        return [
            o + m + c
            for o, m, c in zip(
                choices(self.openers, k=k),
                choices(self.middles, k=k),
                choices(self.closers, k=k),
                strict=True,
            )
        ]

    def _refresh(self, count: int) -> None:
        """Replace ``count`` random pool sentences by new combinations."""
        pool = self.pool
        for i, sentence in zip(_indices(self.rnd, count), self.sentences(count), strict=True):
            pool[i] = sentence

    def sentence_count(self, chars: int) -> int:
        return max(1, round(chars / self.mean))

    def paragraphs(self, count: int) -> list[str]:
        """``count`` paragraphs of corpus-like lengths, drawn in one batch (slots unfilled).

        Sentences come from the pool (one draw each instead of three); every call then swaps
        a few pool sentences for new combinations, so a long run never stops varying.
        """
        rnd = self.rnd
        sizes = _pick(self.sizes, _indices(rnd, count))
        pool = _pick(self.pool, _indices(rnd, sum(sizes)))
        self._refresh(_REFRESH)
        out, at = [], 0
        for k in sizes:
            out.append(" ".join(pool[at : at + k]))
            at += k
        return out

    def cast(self, caps: bool, size: int = 4) -> list[str]:
        """The people of one cable: full names then surnames alone, for later mentions."""
        firsts = self.rnd.choices(self.first, k=size)
        lasts = self.rnd.choices(self.last, k=size)
        if caps:
            lasts = [s.upper() for s in lasts]
        return [f"{f} {s}" for f, s in zip(firsts, lasts, strict=True)] + lasts

    def fill(self, text: str, cast: list[str], redacted: bool) -> str:
        """Put the cast (or the redaction run) in the name and redaction slots of ``text``."""
        if REDACTION_SLOT in text:
            text = text.replace(REDACTION_SLOT, REDACTION if redacted else NAME_SLOT)
        if NAME_SLOT not in text:
            return text
        parts = text.split(NAME_SLOT)
        names = self.rnd.choices(cast, k=len(parts) - 1)
        names.append("")
        return "".join(itertools.chain.from_iterable(zip(parts, names, strict=True)))

    def subject(self) -> str:
        """An upper-case SUBJECT line of three to fourteen words (from the subject pool)."""
        rnd = self.rnd
        i = int(rnd.random() * _SUBJECTS)
        line = self.subject_pool[i]
        if rnd.random() < 0.25:
            self.subject_pool[i] = self._new_subject()
        return line

    def _new_subject(self) -> str:
        words: list[str] = []
        for _ in range(20):
            words = self.subjects.walk(self.rnd, 14)
            if len(words) >= 3:
                break
        text = " ".join(words).rstrip(_TRAILING + " .")
        return text[:110].rsplit(" ", 1)[0] if len(text) > 110 else text

    def heading(self) -> str:
        """A short Title Case heading (underlined with dashes by the caller)."""
        words = [w for w in self.subjects.walk(self.rnd, 5) if w.isalpha()][:4] or ["Background"]
        return " ".join(w.capitalize() for w in words)
