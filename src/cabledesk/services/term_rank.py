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

import math
import re
import sqlite3

import numpy as np

from cabledesk.services.facet_index import FacetIndex, Ids
from cabledesk.services.ranking import Scores, best_scores

__all__ = ["counted_word", "index_totals", "word_scores"]

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
    idf = math.log((n_rows - matches + 0.5) / (matches + 0.5))
    if idf <= 0.0:
        idf = 1e-6
    avgdl = float(n_tokens) / float(n_rows)
    freq = subject[at] * float(weight) + text[at]  # exact: whole weights, small counts
    length = tokens[ids].astype(np.float64)
    scores = -(idf * ((freq * (K1 + 1.0)) / (freq + K1 * ((1 - B) + (B * length) / avgdl))))
    others = hits[~counted]
    if len(others):
        more = best_scores(conn, match, weight, hits=others, only=("IN", others), limit=limit)
        ids = np.concatenate([ids, more[0]])
        scores = np.concatenate([scores, more[1]])
    if limit is None:
        return ids, scores
    order = np.argsort(scores, kind="stable")[:limit]
    return ids[order], scores[order]
