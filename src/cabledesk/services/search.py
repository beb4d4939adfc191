"""Search the archive: the query language plus filters, ranked or dated pages, facets, snippets.

One function, :func:`search`, serves the command line and the web app alike. Given the
archive's :class:`~cabledesk.services.facet_index.FacetIndex` (kept by a long-lived process),
the total, the page order and the facets are computed in memory (index_search.py). Without
one, in SQL: the matching cables are computed once into a temporary table of ids (with their
BM25 score when ranking); the total, the page and every facet are then read from that table,
so the full-text index is evaluated once per search however many facets are counted.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cabledesk.archive.store import Archive
from cabledesk.services.facets import count_facets
from cabledesk.services.filters import driver_size, filter_condition, id_set_sql
from cabledesk.services.query import (
    And,
    CompiledQuery,
    Filter,
    Node,
    QueryError,
    compile_query,
    has_prefix,
)
from cabledesk.services.snippets import HIT_END, HIT_START, fallback_snippet, tidy_snippet

if TYPE_CHECKING:  # numpy is imported only by a process that keeps an index
    from cabledesk.services.facet_index import FacetIndex

__all__ = [
    "MAX_PER_PAGE",
    "MAX_WINDOW",
    "SORTS",
    "SUBJECT_WEIGHT",
    "Hit",
    "SearchResult",
    "search",
]

MAX_PER_PAGE = 100
"""Larger ``per_page`` values are capped to this."""

MAX_WINDOW = 10_000
"""Results beyond this position are not served (narrow the query instead)."""

SORTS = ("rank", "date", "-date")
"""``rank``: best BM25 score first; ``date``: oldest first; ``-date``: newest first."""

SUBJECT_WEIGHT = 4.0
"""BM25 weight of a hit in the subject line, relative to 1.0 for the text."""

FILTER_DRIVES = 3
"""With words and filters, a filter drives the search when it names fewer than a third as many
cables as the words match (reading a cable's row for the filters costs about as much as
building the filter's set; measured on 250,000 cables, bench/search.py)."""

SNIPPET_TOKENS = 24
"""Words around the hits in a snippet."""


@dataclass(frozen=True, slots=True)
class Hit:
    """One cable of a result page. ``snippet`` marks each hit as ``«word»`` (« and » never occur
    otherwise: the cable's own guillemets are shown as ‹ and ›); ``score`` is the BM25 score
    (lower is better) or None when the page is not ranked."""

    reference_id: str
    subject: str | None
    date: str | None
    origin: str | None
    classification: str | None
    tags: tuple[str, ...]
    snippet: str
    score: float | None

    def to_dict(self) -> dict[str, object]:
        return {
            "reference_id": self.reference_id,
            "subject": self.subject,
            "date": self.date,
            "origin": self.origin,
            "classification": self.classification,
            "tags": list(self.tags),
            "snippet": self.snippet,
            "score": self.score,
        }


@dataclass(frozen=True, slots=True)
class SearchResult:
    """A page of hits, the total number of matching cables and the facet counts over all of
    them (empty dicts when facets were not asked for)."""

    query: str
    total: int
    page: int
    per_page: int
    sort: str
    hits: tuple[Hit, ...]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return -(-self.total // self.per_page)

    def to_dict(self) -> dict[str, object]:
        """The ``--json`` shape: total, results, facets, page, per_page, sort, query."""
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "per_page": self.per_page,
            "sort": self.sort,
            "results": [h.to_dict() for h in self.hits],
            "facets": self.facets,
        }


def _values(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _option_filters(
    origin: str | Sequence[str] | None,
    tag: str | Sequence[str] | None,
    classification: str | Sequence[str] | None,
    caption: str | Sequence[str] | None,
    date_from: str | None,
    date_to: str | None,
    has_redactions: bool,
) -> list[Node]:
    nodes: list[Node] = []
    for name, value in (
        ("origin", origin),
        ("tag", tag),
        ("classification", classification),
        ("caption", caption),
    ):
        nodes.extend(Filter(name, " ".join(v.split())) for v in _values(value) if v.strip())
    if date_from or date_to:
        nodes.append(Filter("date", f"{date_from or ''}..{date_to or ''}"))
    if has_redactions:
        nodes.append(Filter("has", "redactions"))
    return nodes


def _check_page(page: int, per_page: int) -> int:
    if page < 1:
        raise QueryError(f"page {page}: pages are numbered from 1")
    if per_page < 1:
        raise QueryError(f"per_page {per_page}: must be at least 1")
    per_page = min(per_page, MAX_PER_PAGE)
    if (page - 1) * per_page >= MAX_WINDOW:
        raise QueryError(
            f"page {page} starts beyond the first {MAX_WINDOW:,} results; narrow the query"
        )
    return per_page


def search(
    archive: Archive,
    query: str = "",
    *,
    origin: str | Sequence[str] | None = None,
    tag: str | Sequence[str] | None = None,
    classification: str | Sequence[str] | None = None,
    caption: str | Sequence[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    has_redactions: bool = False,
    sort: str = "rank",
    page: int = 1,
    per_page: int = 20,
    facets: bool = True,
    facet_limit: int | None = None,
    index: FacetIndex | None = None,
) -> SearchResult:
    """Find cables: ``query`` in the query language (docs/search.md), ANDed with the filter
    options (each may be repeated as a list; all must hold). ``sort="rank"`` falls back to
    newest first when the query has no words to rank by. Raises QueryError for a query or
    option that cannot be understood; never an SQLite error for any query text.

    ``index``: the archive's :class:`FacetIndex`, kept by a long-lived process; used when it
    describes the archive as this search reads it (same results, computed in memory)."""
    if sort not in SORTS:
        raise QueryError(f"sort {sort!r}: use one of {', '.join(SORTS)}")
    per_page = _check_page(page, per_page)
    compiled = compile_query(query)
    extra = _option_filters(
        origin, tag, classification, caption, date_from, date_to, has_redactions
    )
    if extra:
        items = [*([compiled.filters] if compiled.filters else []), *extra]
        compiled = CompiledQuery(
            compiled.match,
            compiled.exclude,
            items[0] if len(items) == 1 else And(tuple(items)),
        )
    if compiled.match is None and sort == "rank":
        sort = "-date"
    conn = archive.conn
    own_transaction = not conn.in_transaction
    if own_transaction:
        conn.execute("BEGIN")  # one snapshot for the total, the page and the facets
    try:
        if index is not None and index.describes(conn):
            return _run_indexed(
                conn, index, query, compiled, sort, page, per_page, facets, facet_limit
            )
        return _run(conn, query, compiled, sort, page, per_page, facets, facet_limit)
    finally:
        if own_transaction:
            conn.execute("COMMIT")


def _hit_set_sql(
    conn: sqlite3.Connection, q: CompiledQuery, ranked: bool
) -> tuple[str, list[object]]:
    """``SELECT id[, score]`` of the matching cables (``score`` only when ``ranked``).

    Words and filters together: the full-text index drives and each hit's filters are checked
    by seeks, unless one filter names far fewer cables than the words match; then that
    filter's cables are collected first and each full-text hit is probed against them."""
    bm25 = f", bm25(cables_fts, {SUBJECT_WEIGHT}, 1.0)" if ranked else ""
    if q.match is not None:
        sql = f"SELECT cables_fts.rowid{bm25} FROM cables_fts"
        if q.filters is None:
            return sql + " WHERE cables_fts MATCH ?", [q.match]
        words = conn.execute(
            "SELECT count(*) FROM cables_fts WHERE cables_fts MATCH ?", (q.match,)
        ).fetchone()[0]
        cap = words // FILTER_DRIVES
        size = driver_size(conn, q.filters, cap) if cap else None
        if size is not None and size < cap:
            ids, params = id_set_sql(conn, q.filters)
            # "+rowid": probe the set, rather than one full-text lookup per id in it
            sql += f" WHERE cables_fts MATCH ? AND +cables_fts.rowid IN ({ids})"
        else:
            cond, params = filter_condition(conn, q.filters, drive=False)
            sql += (
                " CROSS JOIN cables AS c ON c.id = cables_fts.rowid "
                f"WHERE cables_fts MATCH ? AND {cond}"
            )
        return sql, [q.match, *params]
    sql, params = (
        ("SELECT c.id AS id FROM cables AS c", [])
        if q.filters is None
        else id_set_sql(conn, q.filters)
    )
    if q.exclude is not None:
        sql = (
            f"SELECT id FROM ({sql}) WHERE id NOT IN "
            "(SELECT rowid FROM cables_fts WHERE cables_fts MATCH ?)"
        )
        params.append(q.exclude)
    return sql, params


def _run_indexed(
    conn: sqlite3.Connection,
    index: FacetIndex,
    query: str,
    q: CompiledQuery,
    sort: str,
    page: int,
    per_page: int,
    want_facets: bool,
    facet_limit: int | None,
) -> SearchResult:
    from cabledesk.services.index_search import indexed_hits
    from cabledesk.services.ranking import beside

    found = indexed_hits(
        conn,
        index,
        q,
        subject_weight=SUBJECT_WEIGHT if sort == "rank" else None,
        newest_first=sort == "-date",
        offset=(page - 1) * per_page,
        per_page=per_page,
    )
    # the facets are counted on another thread while SQLite reads the page and its snippets
    facets = beside(lambda: index.count_facets(found.ids, facet_limit)) if want_facets else None
    hit_rows = _hits(conn, found.page, q.match, found.scores)
    counts = facets() if facets is not None else {}
    return SearchResult(query, found.total, page, per_page, sort, hit_rows, counts)


def _run(
    conn: sqlite3.Connection,
    query: str,
    q: CompiledQuery,
    sort: str,
    page: int,
    per_page: int,
    want_facets: bool,
    facet_limit: int | None,
) -> SearchResult:
    archive_size = conn.execute("SELECT coalesce(max(id), 0) FROM cables").fetchone()[0]
    everything = q.match is None and q.exclude is None and q.filters is None
    hits: str | None = None
    try:
        if everything:
            total = conn.execute("SELECT count(*) FROM cables").fetchone()[0]
        else:
            # One table per thread, kept (empty) between searches: the schema does not change,
            # so the connection's cached statements stay prepared.
            hits = f"temp.cabledesk_hits_{threading.get_ident()}"
            conn.execute(f"CREATE TABLE IF NOT EXISTS {hits} (id INTEGER PRIMARY KEY, score REAL)")
            sql, params = _hit_set_sql(conn, q, ranked=sort == "rank")
            into = f"{hits} (id, score)" if sort == "rank" else f"{hits} (id)"
            total = conn.execute(f"INSERT OR IGNORE INTO {into} {sql}", params).rowcount
        offset = (page - 1) * per_page
        if sort == "rank":
            assert hits is not None
            ids = _ranked_page(conn, hits, offset, per_page)
        else:
            ids = _dated_page(conn, hits, total, archive_size, offset, per_page, sort == "-date")
        scores: dict[int, float] = {}
        if sort == "rank" and hits is not None and ids:
            marks = ", ".join("?" * len(ids))
            sql = f"SELECT id, score FROM {hits} WHERE id IN ({marks})"
            scores = dict(conn.execute(sql, ids).fetchall())
        hit_rows = _hits(conn, ids, q.match, scores)
        facet_counts = (
            count_facets(conn, hits, total, archive_size, limit=facet_limit) if want_facets else {}
        )
    finally:
        if hits is not None:
            conn.execute(f"DELETE FROM {hits}")
    return SearchResult(query, total, page, per_page, sort, hit_rows, facet_counts)


def _ranked_page(conn: sqlite3.Connection, hits: str, offset: int, per_page: int) -> list[int]:
    """Best score first; equal scores newest first, then by reference id. Only the hits that
    score at least as well as the page's last one are looked up and ordered in Python."""
    end = offset + per_page
    bound = conn.execute(
        f"SELECT score FROM {hits} ORDER BY score LIMIT 1 OFFSET ?", (end - 1,)
    ).fetchone()
    sql = (
        f"SELECT h.id, h.score, c.date, c.reference_id FROM {hits} AS h "
        "CROSS JOIN cables AS c ON c.id = h.id"
    )
    rows = conn.execute(
        sql + " WHERE h.score <= ?" if bound else sql, (bound[0],) if bound else ()
    ).fetchall()
    rows.sort(key=lambda r: r[3])
    rows.sort(key=lambda r: r[2] or "", reverse=True)
    rows.sort(key=lambda r: r[1])
    return [r[0] for r in rows[offset:end]]


def _dated_page(
    conn: sqlite3.Connection,
    hits: str | None,
    total: int,
    archive_size: int,
    offset: int,
    per_page: int,
    newest_first: bool,
) -> list[int]:
    """By date then reference id (both reversed for newest first); undated cables last."""
    if total <= offset:
        return []
    end = offset + per_page
    if hits is not None and total * total * 10 < end * archive_size:
        rows = conn.execute(
            f"SELECT c.id, c.date, c.reference_id FROM {hits} AS h "
            "CROSS JOIN cables AS c ON c.id = h.id"
        ).fetchall()
        rows.sort(key=lambda r: (r[1] or "", r[2]), reverse=newest_first)
        rows.sort(key=lambda r: r[1] is None)
        return [r[0] for r in rows[offset:end]]
    # Many hits: walk the date index in order and stop after the page.
    direction = "DESC" if newest_first else "ASC"
    member = f"AND id IN (SELECT id FROM {hits})" if hits else ""
    dated = conn.execute(
        f"SELECT id FROM cables INDEXED BY cables_date WHERE date IS NOT NULL {member} "
        f"ORDER BY date {direction}, reference_id {direction} LIMIT ? OFFSET ?",
        (per_page, offset),
    ).fetchall()
    ids = [r[0] for r in dated]
    if len(ids) < per_page:
        undated_total = conn.execute(
            f"SELECT count(*) FROM cables INDEXED BY cables_date WHERE date IS NULL {member}"
        ).fetchone()[0]
        skip = max(0, offset - (total - undated_total))
        ids += [
            r[0]
            for r in conn.execute(
                f"SELECT id FROM cables WHERE date IS NULL {member} "
                f"ORDER BY reference_id {direction} LIMIT ? OFFSET ?",
                (per_page - len(ids), skip),
            )
        ]
    return ids


def _hits(
    conn: sqlite3.Connection, ids: list[int], match: str | None, scores: dict[int, float]
) -> tuple[Hit, ...]:
    """The page's cables, in ``ids`` order, with their tags, ``scores`` and snippets."""
    if not ids:
        return ()
    marks = ", ".join("?" * len(ids))
    rows = {
        r[0]: r
        for r in conn.execute(
            "SELECT c.id, reference_id, subject, date, origin, classification, "
            "coalesce(summary, substr(v.text, 1 + coalesce((SELECT p.start FROM paragraphs AS p "
            "WHERE p.cable_id = c.id ORDER BY p.position LIMIT 1), 0), 600)) "
            "FROM cables AS c JOIN versions AS v ON v.cable_id = c.id AND v.number = c.version "
            f"WHERE c.id IN ({marks})",
            ids,
        )
    }
    tags: dict[int, list[str]] = {}
    for cable_id, code in conn.execute(
        f"SELECT cable_id, code FROM tags WHERE cable_id IN ({marks}) ORDER BY cable_id, position",
        ids,
    ):
        tags.setdefault(cable_id, []).append(code)
    snippets: dict[int, str] = {}
    if match is not None:
        # A prefix term is expanded again at each full-text lookup of one id (40 ms for
        # "respo*" at 250,000 cables): one pass over its hits, probing the page, costs less.
        probe = "+rowid" if has_prefix(match) else "rowid"
        for rowid, snippet in conn.execute(
            "SELECT rowid, snippet(cables_fts, -1, ?, ?, '…', ?) FROM cables_fts "
            f"WHERE cables_fts MATCH ? AND {probe} IN ({marks})",
            (HIT_START, HIT_END, SNIPPET_TOKENS, match, *ids),
        ):
            snippets[rowid] = tidy_snippet(snippet or "")
    return tuple(
        Hit(
            reference_id=rows[i][1],
            subject=rows[i][2],
            date=rows[i][3],
            origin=rows[i][4],
            classification=rows[i][5],
            tags=tuple(tags.get(i, ())),
            snippet=snippets.get(i) or fallback_snippet(rows[i][6] or ""),
            score=scores.get(i),
        )
        for i in ids
        if i in rows
    )
