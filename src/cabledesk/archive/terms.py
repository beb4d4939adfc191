"""Term counts of a cable as the full-text index sees it, for ranking without FTS5's help.

FTS5 scores BM25 hit by hit (about a microsecond each), so a word in most cables costs a
broad search a quarter of a second at 250,000 cables. Kept beside the index, how often each
common word occurs in each cable's subject and text, and how many tokens the cable has, are
all BM25 needs: a search for one such word then scores every hit at once in numpy (the
archive's ``term_counts`` table, docs/term-counts.md).

The counts must be FTS5's own, token for token. The archive's tokenizer (``unicode61
remove_diacritics 2``) treats ASCII letters and digits as token characters, folds ASCII case
and, for ASCII, removes nothing; so a text whose other characters are all separators splits
exactly like ``bytes.translate`` + ``split`` below. Which non-ASCII characters are separators
is asked of SQLite's own tokenizer (once per character per process); a cable with any other
character gets no counts, and searches score it with FTS5 as before.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from array import array
from collections import Counter
from dataclasses import dataclass
from operator import itemgetter

__all__ = [
    "BLOCK_BITS",
    "Postings",
    "SELECT_FROM",
    "TOKENIZER",
    "TermCounts",
    "choose_and_count",
    "count_terms",
    "is_separator",
    "postings",
    "select_terms",
    "write_postings",
]

TOKENIZER = "unicode61 remove_diacritics 2"
"""The ``cables_fts`` tokenizer (schema.py), which these counts must reproduce."""

_FOLD = bytes.maketrans(
    bytes(range(256)),
    bytes(
        c + 32 if 65 <= c <= 90 else c if 48 <= c <= 57 or 97 <= c <= 122 else 32
        for c in range(256)
    ),
)
"""ASCII letters folded to lower case, digits kept, every other byte (UTF-8 bytes of non-ASCII
characters included) a space."""

_ASCII = bytes(range(128))

_separators: dict[str, bool] = {}
_probe: sqlite3.Connection | None = None
_probe_pid = 0


def is_separator(char: str) -> bool:
    """Whether the archive's tokenizer splits words at ``char`` (asked of SQLite once)."""
    known = _separators.get(char)
    if known is None:
        global _probe, _probe_pid
        if _probe is None or _probe_pid != os.getpid():  # never a connection across a fork
            _probe, _probe_pid = sqlite3.connect(":memory:"), os.getpid()
            _probe.execute(f"CREATE VIRTUAL TABLE t USING fts5 (x, tokenize = '{TOKENIZER}')")
            _probe.execute("CREATE VIRTUAL TABLE v USING fts5vocab (t, 'instance')")
        try:
            _probe.execute("INSERT INTO t (rowid, x) VALUES (1, ?)", (f"q{char}q",))
            terms = [r[0] for r in _probe.execute("SELECT term FROM v")]
            _probe.execute("DELETE FROM t")
        except sqlite3.Error:  # e.g. a lone surrogate SQLite cannot take
            terms = []
        known = terms == ["q", "q"]
        _separators[char] = known
    return known


@dataclass(frozen=True, slots=True)
class TermCounts:
    """One cable's tokens as FTS5 counts them: ``tokens`` over subject and text together
    (BM25's document length), and each word's occurrences in the subject and in the text."""

    tokens: int
    subject: Counter[bytes]
    text: Counter[bytes]
    subject_tokens: int = 0
    text_tokens: int = 0


def _tokens(value: str) -> list[bytes] | None:
    """``value`` split as the tokenizer splits it, or None (a character it keeps that
    ``_FOLD`` would drop)."""
    raw = value.encode("utf-8", "surrogatepass")
    if not value.isascii():
        others = raw.translate(None, _ASCII).decode("utf-8", "surrogatepass")
        if not all(is_separator(c) for c in set(others)):
            return None
    return raw.translate(_FOLD).split()


def count_terms(subject: str | None, text: str) -> TermCounts | None:
    """The cable's term counts, or None when a character of it is not a separator that
    ``bytes.translate`` handles (letters with accents, other scripts): FTS5 scores it."""
    head = _tokens(subject or "")
    body = _tokens(text) if head is not None else None
    if head is None or body is None:
        return None
    return TermCounts(len(head) + len(body), Counter(head), Counter(body), len(head), len(body))


SELECT_FROM = 256
"""The word set is chosen once the archive holds this many cables with counts (the first
ones by id, so a resumed ingest chooses the same set as an uninterrupted one)."""

SELECT_WITHIN = 4 * SELECT_FROM
"""When fewer of the first this many cables can be counted, the set is chosen from those, so
an archive of mostly uncountable cables does not look again at every batch."""

SELECT_SHARE = 0.4
"""A word is kept when at least this share of those cables have it: the words whose searches
FTS5 ranks slowest (a hit each), and few enough to store (about 180 postings a cable in the
synthetic corpus, 110 in the real sample)."""

MAX_TERMS = 2000
"""At most this many words are kept (the commonest), whatever the cables."""

BLOCK_BITS = 12
"""``term_counts`` rows hold the cables of one block of ``1 << BLOCK_BITS`` ids."""

_LIMITS = (255, 65535)
"""Largest subject and text count a posting stores (uint8, uint16); a cable beyond is left
to FTS5."""


def select_terms(counted: list[TermCounts]) -> list[bytes]:
    """The words at least ``SELECT_SHARE`` of ``counted`` have (most common first, at most
    ``MAX_TERMS``), sorted."""
    df: Counter[bytes] = Counter()
    for counts in counted:
        df.update(counts.subject.keys() | counts.text.keys())
    floor = SELECT_SHARE * len(counted)
    common = sorted(((-n, t) for t, n in df.items() if n >= floor))[:MAX_TERMS]
    return sorted(t for _, t in common)


@dataclass(frozen=True, slots=True)
class Postings:
    """One cable's counts of the kept words: ``positions`` in the word set (uint16), the
    word's ``subject`` (uint8) and ``text`` (uint16) counts, as little-endian bytes."""

    tokens: int
    positions: bytes
    subject: bytes
    text: bytes


def postings(counts: TermCounts | None, positions: dict[bytes, int]) -> Postings | None:
    """``counts`` restricted to the kept words, in no particular order (None: FTS5 scores
    this cable)."""
    if counts is None:
        return None
    head, body = counts.subject, counts.text
    if (counts.subject_tokens > _LIMITS[0] and max(head.values()) > _LIMITS[0]) or (
        counts.text_tokens > _LIMITS[1] and max(body.values()) > _LIMITS[1]
    ):
        return None
    kept = [*(positions.keys() & body.keys() | positions.keys() & head.keys())]
    if len(kept) < 2:  # itemgetter of one key gives the value, not a tuple
        kept.extend([b""] * (2 - len(kept)))
        found = [(positions[t], head[t], body[t]) for t in kept if t]
        return Postings(
            counts.tokens,
            _little(array("H", [f[0] for f in found])),
            bytes(f[1] for f in found),
            _little(array("H", [f[2] for f in found])),
        )
    get = itemgetter(*kept)
    return Postings(
        counts.tokens,
        _little(array("H", get(positions))),
        bytes(get(head)),
        _little(array("H", get(body))),
    )


def _little(values: array[int]) -> bytes:
    if sys.byteorder == "big":
        values.byteswap()
    return values.tobytes()


def write_postings(
    conn: sqlite3.Connection, terms: list[str], docs: list[tuple[int, Postings]]
) -> None:
    """Append the postings of ``docs`` (ascending cable ids, above every id already stored)
    to ``term_counts``, one row per word and block, and record their lengths in
    ``term_docs``. ``terms``: the word set by position."""
    if not docs:
        return
    conn.executemany(
        "INSERT OR REPLACE INTO term_docs (cable_id, tokens) VALUES (?, ?)",
        [(cable_id, p.tokens) for cable_id, p in docs],
    )
    start = 0
    while start < len(docs):
        block = docs[start][0] >> BLOCK_BITS
        stop = start
        while stop < len(docs) and docs[stop][0] >> BLOCK_BITS == block:
            stop += 1
        _write_block(conn, terms, block, docs[start:stop])
        start = stop


def _write_block(
    conn: sqlite3.Connection, terms: list[str], block: int, docs: list[tuple[int, Postings]]
) -> None:
    import numpy as np  # here: a command that only reads the archive need not load it

    positions = np.frombuffer(b"".join(p.positions for _, p in docs), dtype="<u2")
    subject = np.frombuffer(b"".join(p.subject for _, p in docs), dtype=np.uint8)
    text = np.frombuffer(b"".join(p.text for _, p in docs), dtype="<u2")
    owners = np.repeat(
        np.array([c for c, _ in docs], dtype="<i4"), [len(p.subject) for _, p in docs]
    )
    order = np.argsort(positions, kind="stable")  # by word, then cable id (docs ascend)
    positions, subject, text, owners = positions[order], subject[order], text[order], owners[order]
    cuts = [0, *(np.flatnonzero(np.diff(positions)) + 1).tolist(), len(positions)]
    rows = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a == b:
            continue
        term = terms[int(positions[a])]
        parts = [owners[a:b].tobytes(), subject[a:b].tobytes(), text[a:b].tobytes()]
        held = conn.execute(
            "SELECT cables, subject, text FROM term_counts WHERE term = ? AND block = ?",
            (term, block),
        ).fetchone()
        if held is not None:
            parts = [old + new for old, new in zip(held, parts, strict=True)]
        rows.append((term, block, *parts))
    conn.executemany(
        "INSERT OR REPLACE INTO term_counts (term, block, cables, subject, text) "
        "VALUES (?, ?, ?, ?, ?)",
        rows,
    )


_FIRST_TEXTS = (
    "SELECT c.id, c.subject, v.text FROM cables AS c "
    "JOIN versions AS v ON v.cable_id = c.id AND v.number = 1 WHERE c.version = 1 "
)
"""Cables whose indexed text is still their first: the only ones counted."""


def choose_and_count(conn: sqlite3.Connection) -> bool:
    """In the caller's transaction: choose the word set from the first ``SELECT_FROM``
    countable cables by id, once there are that many (or from those among the first
    ``SELECT_WITHIN`` cables, when most cannot be counted), and count every cable stored so
    far. Whether the set was chosen."""
    first: list[TermCounts] = []
    seen = 0
    for _, subject, text in conn.execute(_FIRST_TEXTS + "ORDER BY c.id"):
        seen += 1
        counts = count_terms(subject, text)
        if counts is not None:
            first.append(counts)
        if len(first) == SELECT_FROM or seen == SELECT_WITHIN:
            break
    if len(first) < SELECT_FROM and seen < SELECT_WITHIN:
        return False
    # "" (never a token) records that the choice was made when no word qualifies
    words = select_terms(first) or [b""]
    del first
    names = [w.decode("ascii") for w in words]
    conn.executemany(
        "INSERT INTO term_set (term, position) VALUES (?, ?)", [(n, i) for i, n in enumerate(names)]
    )
    positions = {w: i for i, w in enumerate(words)}
    last = 0
    while True:  # in slices of ids, so memory stays flat on a large archive
        rows = conn.execute(
            _FIRST_TEXTS + "AND c.id > ? ORDER BY c.id LIMIT 4096", (last,)
        ).fetchall()
        if not rows:
            return True
        last = rows[-1][0]
        docs = [
            (cable_id, p)
            for cable_id, subject, text in rows
            if (p := postings(count_terms(subject, text), positions))
        ]
        write_postings(conn, names, docs)
