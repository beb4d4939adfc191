"""BM25 of a one-word search computed in numpy from the archive's term counts.

FTS5's ``bm25()`` costs about a microsecond a hit, so a word in most cables costs a ranked
search a quarter of a second at 250,000 cables. For the words the archive keeps counts of
(archive/terms.py) this module computes the very same scores for every hit at once: FTS5's
formula, in its order of operations, from the same statistics (the index's row count and
token total, the word's document count, each cable's length and counts), so pages and ties
are those of ``bm25()``, bit for bit. Cables without counts (a character the counts do not
reproduce, a replaced text) are scored by FTS5 as before. Any inconsistency between the
counts and the index makes the search fall back to FTS5 altogether.
"""

from __future__ import annotations

import functools
import math
import re
import sqlite3
from typing import TYPE_CHECKING

import numpy as np

from cabledesk.services.ranking import Ids, Scores, best_scores

if TYPE_CHECKING:  # facet_index imports this module to check scores_agree()
    from cabledesk.services.facet_index import FacetIndex

__all__ = ["counted_word", "index_totals", "scores_agree", "word_scores"]

K1 = 1.2
B = 0.75
"""FTS5's BM25 constants (``fts5_aux.c``)."""

_WORD = re.compile(r'"([A-Za-z0-9]+)"')


def counted_word(index: FacetIndex, match: str, weight: float) -> str | None:
    """The word of an FTS5 expression that is one word the archive keeps counts of, else
    None. ``weight`` must be whole, so that FTS5's sum of weights per occurrence is exact."""
    found = _WORD.fullmatch(match)
    if found is None or not float(weight).is_integer():
        return None
    word = found.group(1).lower()
    return word if word in index.term_words else None


def _varints(blob: bytes) -> list[int]:
    """SQLite's varints (big-endian groups of 7 bits, a 9th byte of 8)."""
    values: list[int] = []
    i = 0
    while i < len(blob):
        value = 0
        for k in range(9):
            byte = blob[i]
            i += 1
            if k == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        values.append(value)
    return values


def _idf(rows: int, matches: int) -> float:
    """BM25's idf as FTS5 computes it (never below 1e-6)."""
    idf = math.log((rows - matches + 0.5) / (matches + 0.5))
    return idf if idf > 0.0 else 1e-6


def _bm25(freq: Scores, length: Scores, idf: float, avgdl: float) -> Scores:
    """FTS5's score (negated: lower is better), in the order of operations of
    ``fts5_aux.c``, which IEEE arithmetic makes give the same bits."""
    return -(idf * ((freq * (K1 + 1.0)) / (freq + K1 * ((1 - B) + (B * length) / avgdl))))


def index_totals(conn: sqlite3.Connection) -> tuple[int, int]:
    """FTS5's row count and token total over all columns (its "averages" record), which
    give BM25 its N and average length."""
    row = conn.execute("SELECT block FROM cables_fts_data WHERE id = 1").fetchone()
    values = _varints(bytes(row[0])) if row else []
    return (values[0], sum(values[1:])) if values else (0, 0)


def word_scores(
    conn: sqlite3.Connection,
    index: FacetIndex,
    word: str,
    match: str,
    weight: float,
    *,
    matches: int,
    hits: Ids,
    limit: int | None,
) -> tuple[Ids, Scores] | None:
    """Ids and BM25 scores of the ``limit`` best of ``hits`` (ascending ids), best first, as
    ``ranking.best_scores`` gives them (all, in no order, when ``limit`` is None).
    ``matches``: how many cables the word matches before any filter (its document count).
    None when the counts disagree with the index."""
    tokens = index.term_tokens
    counted = tokens[hits] >= 0
    ids = hits[counted]
    rows = conn.execute(
        "SELECT cables, subject, text FROM term_counts WHERE term = ? ORDER BY block", (word,)
    ).fetchall()
    owners = np.frombuffer(b"".join(r[0] for r in rows), dtype="<i4").astype(np.int64)
    subject = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.uint8)
    text = np.frombuffer(b"".join(r[2] for r in rows), dtype="<u2")
    at = np.searchsorted(owners, ids)
    if len(ids) and (at[-1] >= len(owners) or not np.array_equal(owners[at], ids)):
        return None  # a counted hit without counts: not the index's state
    n_rows, n_tokens = index_totals(conn)
    if n_rows <= 0:
        return None
    avgdl = float(n_tokens) / float(n_rows)
    freq = subject[at] * float(weight) + text[at]  # exact: whole weights, small counts
    scores = _bm25(freq, tokens[ids].astype(np.float64), _idf(n_rows, matches), avgdl)
    others = hits[~counted]
    if len(others):
        more = best_scores(conn, match, weight, hits=others, only=("IN", others), limit=limit)
        ids = np.concatenate([ids, more[0]])
        scores = np.concatenate([scores, more[1]])
    if limit is None:
        return ids, scores
    order = np.argsort(scores, kind="stable")[:limit]
    return ids[order], scores[order]


@functools.cache
def scores_agree() -> bool:
    """Whether this SQLite's ``bm25()`` gives the very scores computed here, tried on a small
    table of varied lengths and counts: a build whose C compiler fused a multiply and an add
    (as on some ARM machines) would differ in the last bit, and equal scores decide page
    order. Once per process."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5 (subject, text)")
        docs = [
            (i, "w " * (i % 3), " ".join(["w"] * (1 + i % 7) + ["x"] * (i * 37 % 211)))
            for i in range(1, 301)
        ]
        conn.executemany("INSERT INTO t (rowid, subject, text) VALUES (?, ?, ?)", docs)
        theirs = dict(conn.execute("SELECT rowid, bm25(t, 4.0, 1.0) FROM t WHERE t MATCH 'w'"))
    finally:
        conn.close()
    subject = np.array([len(s.split()) for _, s, _ in docs], dtype=np.float64)
    text = np.array([len(x.split()) for _, _, x in docs], dtype=np.float64)
    freq = subject * 4.0 + np.array([1 + i % 7 for i, _, _ in docs], dtype=np.float64)
    length = subject + text
    ours = _bm25(freq, length, _idf(len(docs), len(docs)), float(length.sum()) / len(docs))
    return ours.tolist() == [theirs[i] for i, _, _ in docs]
