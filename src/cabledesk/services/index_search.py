"""A search's hits and page computed over a :class:`FacetIndex` (search.py counts the facets).

SQLite is asked for the ids the words match as one string (a Python row per hit would cost
more than the full-text search); filters are masks over the index, the total is a length,
the facets are bincounts and a dated page an argpartition. A ranked page is one more
full-text pass in which SQLite computes BM25 for every hit (left to the filters) but returns
only the best few, split across the cores for many hits (ranking.py); a word the archive keeps
counts of is scored in numpy instead, with the same scores (term_rank.py). Only the page's
cables are then read (search.py).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import numpy as np

from cabledesk.services.facet_index import STATE_SQL, FacetIndex, Ids
from cabledesk.services.index_filters import filter_mask
from cabledesk.services.query import CompiledQuery, has_prefix
from cabledesk.services.ranking import Restriction, Scores, best_scores
from cabledesk.services.term_rank import counted_word, word_scores

__all__ = ["IndexedHits", "indexed_hits"]

_RANK_SLACK = 16
"""Scores fetched beyond the page's last, to see whether equal scores straddle it."""

_FEW = 256
"""Up to this many hits, a ranked search scores every hit (a second, small pass); beyond, it
reads every id in one pass and only the best scores in another (a Python row per hit costs
more than a second pass over a large result)."""

_NONE: Ids = np.empty(0, dtype=np.int64)
_IDS = "SELECT group_concat(rowid) FROM cables_fts"
_IDS_EACH = "SELECT rowid AS id FROM cables_fts WHERE cables_fts MATCH ?"


@dataclass(frozen=True, slots=True)
class IndexedHits:
    """The total, the page's ids in order, their scores (ranked pages) and every hit's id
    (what the facets count)."""

    total: int
    page: list[int]
    scores: dict[int, float]
    ids: Ids


def _matches(conn: sqlite3.Connection, match: str, limit: int | None = None) -> Ids:
    """The cables the FTS5 expression matches (the first ``limit``): one string of ids made
    by SQLite, far cheaper than a Python row per hit. No BM25 here: its first call reads the
    document frequency of every phrase over the whole table, a waste when more hits follow."""
    params: tuple[object, ...] = (match,)
    if limit is None:
        sql = f"{_IDS} WHERE cables_fts MATCH ?"
    else:  # a subquery costs a fifth more over every hit, so only for a few
        sql, params = f"SELECT group_concat(id) FROM ({_IDS_EACH} LIMIT ?)", (match, limit)
    row = conn.execute(sql, params).fetchone()
    return np.fromstring(row[0] or "", dtype=np.int64, sep=",")


def _ranked_page(
    conn: sqlite3.Connection,
    index: FacetIndex,
    match: str,
    weight: float,
    ids: Ids,
    only: Restriction,
    offset: int,
    per_page: int,
    matches: int,
) -> tuple[list[int], dict[int, float]]:
    """The page by BM25, then date newest first, then reference id. Asks SQLite for the
    best ``offset + per_page`` scores and a few more; equal scores straddling that cut (rare)
    make it fetch every score instead. A word the archive keeps counts of is scored from
    them instead (term_rank.py); ``matches``: the cables it matches before filters."""
    end = offset + per_page
    best = None
    word = counted_word(index, match, weight)
    if word is not None:
        best = word_scores(conn, index, word, match, weight, matches=matches, hits=ids, limit=None)
    if best is None and len(ids) > end + _RANK_SLACK:
        state = (STATE_SQL, index.state)
        best = best_scores(
            conn, match, weight, hits=ids, only=only, limit=end + _RANK_SLACK, state=state
        )
        if best[1][end - 1] == best[1][-1]:
            best = None
    if best is None:
        best = best_scores(conn, match, weight, hits=ids, only=only, limit=None)
    found, scores = best
    page = index.ranked_page(found, scores, offset, per_page)
    page_ids = found[page].tolist()
    return page_ids, dict(zip(page_ids, scores[page].tolist(), strict=True))


def indexed_hits(
    conn: sqlite3.Connection,
    index: FacetIndex,
    q: CompiledQuery,
    *,
    subject_weight: float | None,
    newest_first: bool,
    offset: int,
    per_page: int,
) -> IndexedHits:
    """Run ``q`` over ``index`` (which must describe the snapshot ``conn`` reads): ranked by
    BM25 when ``subject_weight`` is given (the query has words), else by date."""
    only: Restriction = None
    known: Scores | None = None  # every hit's score, when there are few
    matches = 0
    if q.match is not None:
        # FTS5 expands a prefix over the whole index before its first id: a first look at a
        # few ids would cost as much as reading them all
        whole = has_prefix(q.match)
        ids = _NONE
        if subject_weight is not None:
            ids = _matches(conn, q.match, None if whole else _FEW + 1)
        if len(ids) and len(ids) <= _FEW:  # few hits: every score, in one more small pass
            ids, known = best_scores(conn, q.match, subject_weight or 0.0, hits=ids, limit=None)
        elif not (whole and subject_weight is not None):
            ids = _matches(conn, q.match)
        matches = len(ids)
        if q.filters is not None:
            keep = filter_mask(conn, index, q.filters)[ids]
            if not keep.all():
                kept, dropped = ids[keep], ids[~keep]
                only = ("IN", kept) if len(kept) <= len(dropped) else ("NOT IN", dropped)
                ids = kept
                known = known[keep] if known is not None else None
    else:
        if q.filters is not None:
            accepted = filter_mask(conn, index, q.filters)
        else:
            accepted = index.present.copy()
        if q.exclude is not None:
            accepted[_matches(conn, q.exclude)] = False
        ids = np.flatnonzero(accepted)
    page_ids: list[int] = []
    scores: dict[int, float] = {}
    if len(ids) <= offset:
        pass
    elif known is not None:
        page = index.ranked_page(ids, known, offset, per_page)
        page_ids = ids[page].tolist()
        scores = dict(zip(page_ids, known[page].tolist(), strict=True))
    elif subject_weight is not None and q.match is not None:
        page_ids, scores = _ranked_page(
            conn, index, q.match, subject_weight, ids, only, offset, per_page, matches
        )
    else:
        page_ids = ids[index.dated_page(ids, offset, per_page, newest_first)].tolist()
    return IndexedHits(len(ids), page_ids, scores, ids)
