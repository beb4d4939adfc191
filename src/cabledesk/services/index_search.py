"""A search's hits, page and facets computed over a :class:`FacetIndex`.

SQLite is asked for the ids the words match as one string (a Python row per hit would cost
more than the full-text search); filters are masks over the index, the total is a length,
the facets are bincounts and a dated page an argpartition. A ranked page is one more
full-text pass in which SQLite computes BM25 for every hit (left to the filters) but returns
only the best few. Only the page's cables are then read (search.py).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from itertools import chain

import numpy as np
import numpy.typing as npt

from cabledesk.services.facet_index import FacetIndex, Ids
from cabledesk.services.index_filters import filter_mask
from cabledesk.services.query import CompiledQuery

__all__ = ["IndexedHits", "indexed_hits"]

_RANK_SLACK = 16
"""Scores fetched beyond the page's last, to see whether equal scores straddle it."""

_FEW = 256
"""Up to this many hits, a ranked search fetches every id with its score in one full-text
pass; beyond, the ids in one pass and the best scores in another (a Python row per hit costs
more than a second pass over a large result)."""

Scores = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class IndexedHits:
    """The total, the page's ids in order, their scores (ranked pages) and the facets."""

    total: int
    page: list[int]
    scores: dict[int, float]
    facets: dict[str, dict[str, int]]


def _matches(conn: sqlite3.Connection, match: str) -> Ids:
    """The cables the FTS5 expression matches: one string of ids made by SQLite, far cheaper
    than a Python row per hit."""
    row = conn.execute(
        "SELECT group_concat(rowid) FROM cables_fts WHERE cables_fts MATCH ?", (match,)
    ).fetchone()
    return np.fromstring(row[0] or "", dtype=np.int64, sep=",")


Restriction = tuple[str, Ids] | None
"""``("IN", ids)`` or ``("NOT IN", ids)``: the matches the filters keep, by the shorter list."""


def _scored(
    conn: sqlite3.Connection,
    match: str,
    weight: float,
    only: Restriction,
    limit: int | None,
    *,
    best_first: bool = True,
) -> tuple[Ids, Scores]:
    """Ids and BM25 scores of the ``limit`` best-scoring matches (all when None; the first
    ``limit`` found unless ``best_first``), restricted to those ``only`` names. SQLite
    computes BM25 for each of them (the floor of a ranked search) but hands over only the
    best."""
    sql = (
        f"SELECT rowid, bm25(cables_fts, {float(weight)}, 1.0) AS score FROM cables_fts "
        "WHERE cables_fts MATCH ?"
    )
    params: list[object] = [match]
    if only is not None:
        # "+rowid": probe the set for each match, rather than one full-text lookup per id
        sql += f" AND +rowid {only[0]} (SELECT value FROM json_each(?))"
        params.append("[" + ",".join(map(str, only[1].tolist())) + "]")
    if limit is not None:
        sql += " ORDER BY score LIMIT ?" if best_first else " LIMIT ?"
        params.append(limit)
    flat = np.fromiter(chain.from_iterable(conn.execute(sql, params)), dtype=np.float64)
    return flat[0::2].astype(np.int64), flat[1::2]


def _ranked_page(
    conn: sqlite3.Connection,
    index: FacetIndex,
    match: str,
    weight: float,
    ids: Ids,
    only: Restriction,
    offset: int,
    per_page: int,
) -> tuple[list[int], dict[int, float]]:
    """The page by BM25, then date newest first, then reference id. Asks SQLite for the
    best ``offset + per_page`` scores and a few more; equal scores straddling that cut (rare)
    make it fetch every score instead."""
    end = offset + per_page
    best = None
    if len(ids) > end + _RANK_SLACK:
        best = _scored(conn, match, weight, only, end + _RANK_SLACK)
        if best[1][end - 1] == best[1][-1]:
            best = None
    if best is None:
        best = _scored(conn, match, weight, only, None)
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
    facets: bool,
    facet_limit: int | None,
) -> IndexedHits:
    """Run ``q`` over ``index`` (which must describe the snapshot ``conn`` reads): ranked by
    BM25 when ``subject_weight`` is given (the query has words), else by date."""
    only: Restriction = None
    known: Scores | None = None  # every hit's score, when there are few
    if q.match is not None:
        found: tuple[Ids, Scores] | None = None
        if subject_weight is not None:  # few hits: ids and scores in one pass
            found = _scored(conn, q.match, subject_weight, None, _FEW + 1, best_first=False)
        if found is not None and len(found[0]) <= _FEW:
            ids, known = found
        else:
            ids = _matches(conn, q.match)
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
            conn, index, q.match, subject_weight, ids, only, offset, per_page
        )
    else:
        page_ids = ids[index.dated_page(ids, offset, per_page, newest_first)].tolist()
    counts = index.count_facets(ids, facet_limit) if facets else {}
    return IndexedHits(len(ids), page_ids, scores, counts)
