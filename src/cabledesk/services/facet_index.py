"""A columnar, in-memory copy of what a search counts, filters and sorts on, for long-lived
processes (the web app's :class:`~cabledesk.services.context.ArchivePool`, bench/search.py).

With it a search reads from SQLite only the matching ids (with their BM25 scores when ranked)
and the page's cables: each facet is a numpy ``bincount`` over the hits' codes, a filter is a
boolean mask over every cable, and a page sorted by date or rank is an ``argpartition`` over
the hits. Without it every hit costs index seeks per facet (docs/search.md).

Building reads the archive's compact indexes once (about a second for 250,000 cables), so a
one-off command does not build one: ``search()`` without an index runs in SQL alone. An index
holds one state of the archive, ``(max cables.id, max versions.rowid)``: an ingest adds cables
or versions and never deletes, so any change a search could see moves one of them; ``search()``
uses an index only when the state it reads in its own transaction is the index's.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections import Counter
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt

from cabledesk.services.facets import FACETS, ordered_counts
from cabledesk.services.term_rank import scores_agree

__all__ = [
    "Codes",
    "FacetIndex",
    "Ids",
    "Lists",
    "STATE_SQL",
    "build_facet_index",
    "index_state",
]

Ids = npt.NDArray[np.int64]
"""Cable ids (``cables.id``), which index every per-cable array."""

IndexState = tuple[int | None, int | None]

STATE_SQL = "SELECT (SELECT max(id) FROM cables), (SELECT max(rowid) FROM versions)"

_GATHER_SHARE = 2
"""A list facet (tags, captions) is gathered hit by hit for fewer hits than half the archive,
else counted over every cable's entries through a mask (the crossover measured on 250,000
cables: 0.3 against 3.4 ms for 3,900 hits, even at 125,000)."""


def index_state(conn: sqlite3.Connection) -> IndexState:
    """The archive's state as an index sees it, in two index seeks."""
    row = conn.execute(STATE_SQL).fetchone()
    return (row[0], row[1])


@dataclass(frozen=True, eq=False, slots=True)
class Codes:
    """One value per cable: ``codes[id]`` indexes ``values``; ``len(values)`` means none."""

    codes: npt.NDArray[np.int32]
    values: tuple[str, ...]

    def mask(self, wanted: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
        """Cables whose value is wanted (``wanted[i]`` for ``values[i]``); none never is."""
        return np.append(wanted, False)[self.codes]

    def counts(self, ids: Ids) -> Counter[str]:
        found = np.bincount(self.codes[ids], minlength=len(self.values) + 1)
        return _named(found[:-1], self.values)


@dataclass(frozen=True, eq=False, slots=True)
class Lists:
    """Several values per cable (compressed rows): cable ``i`` has
    ``codes[offsets[i]:offsets[i + 1]]`` (in the order of ``values``), and ``owners`` gives
    each entry's cable."""

    offsets: npt.NDArray[np.int64]
    codes: npt.NDArray[np.int32]
    owners: npt.NDArray[np.int64]
    values: tuple[str, ...]

    def having(self, value: str, size: int) -> npt.NDArray[np.bool_]:
        """Cables with this value among theirs."""
        found = np.zeros(size, dtype=bool)
        if value in self.values:
            found[self.owners[self.codes == self.values.index(value)]] = True
        return found

    def counts(self, ids: Ids, size: int) -> Counter[str]:
        if len(ids) * _GATHER_SHARE < size:
            starts = self.offsets[ids]
            lengths = self.offsets[ids + 1] - starts
            ends = np.cumsum(lengths)
            entries = np.arange(int(ends[-1]) if len(ends) else 0) + np.repeat(
                starts - ends + lengths, lengths
            )
            codes = self.codes[entries]
        else:
            hit = np.zeros(size, dtype=bool)
            hit[ids] = True
            codes = self.codes[hit[self.owners]]
        return _named(np.bincount(codes, minlength=len(self.values)), self.values)


def _named(counts: npt.NDArray[np.int64], values: tuple[str, ...]) -> Counter[str]:
    """Non-zero counts by value; the empty value is never counted (as in SQL)."""
    return Counter(
        {values[i]: int(counts[i]) for i in np.flatnonzero(counts).tolist() if values[i] != ""}
    )


@dataclass(frozen=True, eq=False, slots=True, repr=False)
class FacetIndex:
    """The archive's facets, filters and sort keys as arrays indexed by cable id.

    ``date_rank`` orders the cables by date then reference id, undated ones after them (by
    reference id); ``days`` is the date's first ten characters in that order, for date
    filters. ``tie_rank`` orders by date newest first (undated last), then reference id: the
    tie-break of equal BM25 scores."""

    state: IndexState
    size: int
    present: npt.NDArray[np.bool_]
    cables: int
    origin: Codes
    classification: Codes
    year: Codes
    years: npt.NDArray[np.int64]
    tags: Lists
    captions: Lists
    redacted: npt.NDArray[np.bool_]
    date_rank: npt.NDArray[np.int64]
    dated: int
    days: npt.NDArray[np.str_]
    tie_rank: npt.NDArray[np.int64]
    term_tokens: npt.NDArray[np.int32]
    """Each cable's BM25 length where the archive keeps its term counts, else -1."""
    term_words: frozenset[str]
    """The words the archive keeps counts of (archive/terms.py)."""

    def __repr__(self) -> str:
        return f"FacetIndex(state={self.state}, cables={self.cables:,}, {self.nbytes:,} bytes)"

    def arrays(self) -> tuple[npt.NDArray[Any], ...]:
        """Every array the index holds."""
        return (
            self.present, self.origin.codes, self.classification.codes, self.year.codes,
            self.years, self.tags.offsets, self.tags.codes, self.tags.owners,
            self.captions.offsets, self.captions.codes, self.captions.owners, self.redacted,
            self.date_rank, self.days, self.tie_rank, self.term_tokens,
        )  # fmt: skip

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays."""
        return sum(a.nbytes for a in self.arrays())

    def describes(self, conn: sqlite3.Connection) -> bool:
        """Whether the archive, as ``conn`` reads it now, is in this index's state."""
        return index_state(conn) == self.state

    def count_facets(self, ids: Ids, limit: int | None = None) -> dict[str, dict[str, int]]:
        """The facet counts over the cables ``ids`` (distinct), as ``count_facets`` gives."""
        counters = {
            "origin": self.origin.counts(ids),
            "tag": self.tags.counts(ids, self.size),
            "classification": self.classification.counts(ids),
            "year": self.year.counts(ids),
            "caption": self.captions.counts(ids, self.size),
        }
        return {name: ordered_counts(counters[name], limit) for name in FACETS}

    def dated_page(
        self, ids: Ids, offset: int, per_page: int, newest_first: bool
    ) -> npt.NDArray[np.intp]:
        """Positions in ``ids`` of the page by date then reference id (both reversed for
        newest first), undated cables last."""
        rank = self.date_rank[ids]
        if newest_first:
            last = self.cables - 1
            rank = np.where(rank < self.dated, self.dated - 1 - rank, self.dated + last - rank)
        return _smallest(rank, offset + per_page)[offset:]

    def ranked_page(
        self, ids: Ids, scores: npt.NDArray[np.float64], offset: int, per_page: int
    ) -> npt.NDArray[np.intp]:
        """Positions in ``ids`` of the page by score (lower is better), then date newest
        first, then reference id."""
        end = offset + per_page
        if end < len(ids):
            bound = np.partition(scores, end - 1)[end - 1]
            best = np.flatnonzero(scores <= bound)
        else:
            best = np.arange(len(ids))
        order = np.lexsort((self.tie_rank[ids[best]], scores[best]))
        return best[order[offset:end]]


def _smallest(keys: npt.NDArray[np.int64], count: int) -> npt.NDArray[np.intp]:
    """Positions of the ``count`` smallest distinct keys, smallest first."""
    if count < len(keys):
        first = np.argpartition(keys, count - 1)[:count]
        return first[np.argsort(keys[first])]
    return np.argsort(keys)


def _ids(rows: sqlite3.Cursor) -> Ids:
    return np.fromiter(chain.from_iterable(rows), dtype=np.int64)


def _has_term_counts(conn: sqlite3.Connection) -> bool:
    """Whether the archive has the term count tables (migration 3): an older archive opened
    read-only has not."""
    sql = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'term_docs'"
    return bool(conn.execute(sql).fetchone()[0])


def _term_tokens(conn: sqlite3.Connection, size: int) -> npt.NDArray[np.int32]:
    lengths = np.full(size, -1, dtype=np.int32)
    if not _has_term_counts(conn):
        return lengths
    flat = np.fromiter(
        chain.from_iterable(conn.execute("SELECT cable_id, tokens FROM term_docs")), dtype=np.int64
    )
    lengths[flat[0::2]] = flat[1::2]
    return lengths


def _term_words(conn: sqlite3.Connection) -> frozenset[str]:
    if not _has_term_counts(conn):
        return frozenset()
    return frozenset(r[0] for r in conn.execute("SELECT term FROM term_set"))


def build_facet_index(conn: sqlite3.Connection) -> FacetIndex:
    """Read the index of the archive as it is now (one snapshot)."""
    own_transaction = not conn.in_transaction
    if own_transaction:
        conn.execute("BEGIN")
    try:
        return _build(conn)
    finally:
        if own_transaction:
            conn.execute("COMMIT")


def _build(conn: sqlite3.Connection) -> FacetIndex:
    state = index_state(conn)
    size = (state[0] or 0) + 1
    dated_rows = conn.execute(
        "SELECT id, date FROM cables INDEXED BY cables_date WHERE date IS NOT NULL "
        "ORDER BY date, reference_id"
    ).fetchall()
    undated = _ids(
        conn.execute(
            "SELECT id FROM cables INDEXED BY cables_date WHERE date IS NULL "
            "ORDER BY date, reference_id"
        )
    )
    dated_ids = np.fromiter((r[0] for r in dated_rows), dtype=np.int64, count=len(dated_rows))
    dates = [r[1] for r in dated_rows]
    del dated_rows
    order = np.concatenate([dated_ids, undated])
    present = np.zeros(size, dtype=bool)
    present[order] = True
    date_rank = np.full(size, -1, dtype=np.int64)
    date_rank[order] = np.arange(len(order))
    # Equal dates form a group; newest group first, reference id ascending inside it.
    changed = np.fromiter(
        (a != b for a, b in zip(dates, dates[1:], strict=False)), dtype=bool, count=len(dates) - 1
    ) if len(dates) > 1 else np.zeros(0, dtype=bool)  # fmt: skip
    group = np.concatenate([[0], np.cumsum(changed)]) if dates else np.zeros(0, np.int64)
    dated_order = np.lexsort((np.arange(len(dates)), -group))
    tie_rank = np.full(size, -1, dtype=np.int64)
    tie_rank[np.concatenate([dated_ids[dated_order], undated])] = np.arange(len(order))
    years = Codes(*_column(conn, "year", size))
    index = FacetIndex(
        state=state,
        size=size,
        present=present,
        cables=len(order),
        origin=Codes(*_column(conn, "origin", size)),
        classification=Codes(*_column(conn, "classification", size)),
        year=years,
        years=np.array([int(v) for v in years.values], dtype=np.int64),
        tags=_lists(conn, "tags", "code", size),
        captions=_lists(conn, "captions", "caption", size),
        redacted=_flags(conn, "SELECT DISTINCT cable_id FROM redactions", size),
        date_rank=date_rank,
        dated=len(dates),
        days=np.array([d[:10] for d in dates], dtype=str) if dates else np.zeros(0, "U10"),
        tie_rank=tie_rank,
        term_tokens=_term_tokens(conn, size),
        term_words=_term_words(conn),
    )
    for array in index.arrays():
        array.flags.writeable = False  # shared by every thread's searches
    if index.term_words and not scores_agree():
        return dataclasses.replace(index, term_words=frozenset())  # FTS5 ranks every search
    return index


def _column(
    conn: sqlite3.Connection, column: str, size: int
) -> tuple[npt.NDArray[np.int32], tuple[str, ...]]:
    """Codes of one ``cables`` column, read value by value through its index."""
    # column is one of the fixed names above, never user text
    groups = conn.execute(
        f"SELECT {column}, group_concat(id) FROM cables INDEXED BY cables_{column} "
        f"WHERE {column} IS NOT NULL GROUP BY 1 ORDER BY 1"
    ).fetchall()
    values = tuple(str(value) for value, _ in groups)
    codes = np.full(size, len(values), dtype=np.int32)
    for code, (_, ids) in enumerate(groups):
        codes[np.fromstring(ids, dtype=np.int64, sep=",")] = code
    return codes, values


def _lists(conn: sqlite3.Connection, table: str, column: str, size: int) -> Lists:
    """A child table's values per cable, read value by value through its index."""
    # table and column are fixed names above, never user text
    groups = conn.execute(
        f"SELECT {column}, group_concat(cable_id) FROM {table} INDEXED BY {table}_{column} "
        "GROUP BY 1 ORDER BY 1"
    ).fetchall()
    parts = [np.fromstring(ids, dtype=np.int64, sep=",") for _, ids in groups]
    owners = np.concatenate(parts) if parts else np.zeros(0, np.int64)
    codes = np.repeat(np.arange(len(parts), dtype=np.int32), [len(p) for p in parts])
    order = np.argsort(owners, kind="stable")
    owners, codes = owners[order], codes[order]
    offsets = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(owners, minlength=size), out=offsets[1:])
    return Lists(offsets, codes, owners, tuple(str(value) for value, _ in groups))


def _flags(conn: sqlite3.Connection, sql: str, size: int) -> npt.NDArray[np.bool_]:
    flags = np.zeros(size, dtype=bool)
    flags[_ids(conn.execute(sql))] = True
    return flags
