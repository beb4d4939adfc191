"""BM25 scores of a search's hits from SQLite, split across the machine's cores when there are many.

FTS5 computes BM25 in C, about a microsecond per hit on this project's 2-core VM, and must score
every hit to find the best few: a word in most cables of a 250,000-cable archive costs a quarter
of a second, nearly all of a broad search's time. The hits are split into rowid ranges of equal
size, each scored on its own read-only connection in its own thread (SQLite lets go of the GIL
while it works), and the best of each range merged: the same page, since every range keeps its
best ``limit`` and the best ``limit`` overall are among them. BM25's statistics (document counts,
average length) come from the whole table whatever the range, so every score is the one a single
pass gives. A side connection is used only when it reads the same archive state as the search's
own transaction; otherwise its range is scored on the search's connection.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import chain
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from cabledesk.archive import Archive

__all__ = [
    "Ids",
    "PART_MIN",
    "Restriction",
    "Scores",
    "beside",
    "best_scores",
    "range_parts",
]

T = TypeVar("T")

Ids = npt.NDArray[np.int64]
Scores = npt.NDArray[np.float64]

Restriction = tuple[str, Ids] | None
"""``("IN", ids)`` or ``("NOT IN", ids)``: the matches the filters keep, by the shorter list."""

PART_MIN = 15_000
"""Hits per range below which a second thread costs more than it saves (a range pays BM25's
document-frequency pass over the whole table again)."""

_CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()
_local = threading.local()


def range_parts(hits: int, cores: int | None = None) -> int:
    """How many rowid ranges to score ``hits`` hits in: one per core (of ``cores``, default
    this process's), each of at least ``PART_MIN`` hits."""
    return max(1, min(_CORES if cores is None else cores, hits // PART_MIN))


def _scored(
    conn: sqlite3.Connection,
    match: str,
    weight: float,
    only: Restriction,
    limit: int | None,
    rowids: tuple[int, int | None] | None,
) -> tuple[Ids, Scores]:
    sql = (
        f"SELECT rowid, bm25(cables_fts, {float(weight)}, 1.0) AS score FROM cables_fts "
        "WHERE cables_fts MATCH ?"
    )
    params: list[object] = [match]
    if rowids is not None:
        sql += " AND rowid >= ?"
        params.append(rowids[0])
        if rowids[1] is not None:
            sql += " AND rowid < ?"
            params.append(rowids[1])
    if only is not None:
        # "+rowid": probe the set for each match, rather than one full-text lookup per id
        sql += f" AND +rowid {only[0]} (SELECT value FROM json_each(?))"
        params.append("[" + ",".join(map(str, only[1].tolist())) + "]")
    if limit is not None:
        sql += " ORDER BY score LIMIT ?"
        params.append(limit)
    flat = np.fromiter(chain.from_iterable(conn.execute(sql, params)), dtype=np.float64)
    return flat[0::2].astype(np.int64), flat[1::2]


_SIDE_FILES = 4
"""Archives a worker thread keeps a connection to (the least recently used is closed)."""


def _side_connection(path: str) -> sqlite3.Connection:
    """This worker thread's read-only connection to ``path``, opened on first use."""
    opened: OrderedDict[str, Archive] = _local.__dict__.setdefault("archives", OrderedDict())
    archive = opened.pop(path, None)
    if archive is None:
        archive = Archive.open(path, readonly=True)
        while len(opened) >= _SIDE_FILES:
            opened.popitem(last=False)[1].close()
    opened[path] = archive
    return archive.conn


def _forget_side_connection(path: str) -> None:
    """Close this thread's connection to ``path`` (the file may have been replaced)."""
    archive = _local.__dict__.get("archives", {}).pop(path, None)
    if archive is not None:
        with contextlib.suppress(sqlite3.Error):
            archive.close()


def _on_side(
    path: str,
    state_sql: str,
    state: tuple[object, ...],
    score: Callable[[sqlite3.Connection], tuple[Ids, Scores]],
) -> tuple[Ids, Scores] | None:
    """``score`` on a side connection, in one read transaction that sees ``state``; None when
    the archive has moved on, cannot be opened or read, and the caller must score it itself
    (an error in the query itself is then raised there)."""
    try:
        conn = _side_connection(path)
    except Exception:  # noqa: BLE001 - any failure just means scoring on the caller's connection
        return None
    try:
        conn.execute("BEGIN")
        try:
            same = tuple(conn.execute(state_sql).fetchone()) == state
            result = score(conn) if same else None
        finally:
            conn.execute("COMMIT")
    except sqlite3.Error:
        same, result = False, None
    if not same:  # a newer archive, another file by that name, or an unreadable one
        _forget_side_connection(path)
    return result


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=max(1, _CORES - 1), thread_name_prefix="cabledesk-bm25"
            )
        return _pool


def beside(work: Callable[[], T]) -> Callable[[], T]:
    """Start ``work`` on the pool's thread, beside the caller's own (SQLite and numpy let go of
    the GIL); the returned function gives its result, running it there and then if no thread
    was free to start it."""
    future = _executor().submit(work)

    def result() -> T:
        return work() if future.cancel() else future.result()

    return result


def _database_file(conn: sqlite3.Connection) -> str | None:
    for _, name, file in conn.execute("PRAGMA database_list"):
        if name == "main":
            return str(file) or None
    return None


def _slice(only: Restriction, lo: int, hi: int | None) -> Restriction:
    if only is None:
        return None
    ids = only[1]
    start = int(np.searchsorted(ids, lo))
    stop = len(ids) if hi is None else int(np.searchsorted(ids, hi))
    return (only[0], ids[start:stop])


def best_scores(
    conn: sqlite3.Connection,
    match: str,
    weight: float,
    *,
    hits: Ids,
    only: Restriction = None,
    limit: int | None,
    state: tuple[str, tuple[object, ...]] | None = None,
    parts: int | None = None,
) -> tuple[Ids, Scores]:
    """Ids and BM25 scores (lower is better) of the ``limit`` best-scoring matches of ``match``
    (all when None), restricted to what
    ``only`` names. ``hits``: the matches ``only`` keeps, ascending (they place the ranges).

    With ``state`` (an SQL statement and the row it gives in ``conn``'s transaction), ranges
    are scored in parallel on side connections that read that same state; ``parts`` overrides
    the number of ranges (default :func:`range_parts`)."""
    count = range_parts(len(hits)) if parts is None else max(1, min(parts, len(hits)))
    path = _database_file(conn) if state is not None and count > 1 else None
    if path is None or state is None or limit is None:
        return _scored(conn, match, weight, only, limit, None)
    cuts = [int(hits[len(hits) * i // count]) for i in range(1, count)]
    bounds = list(zip([int(hits[0]), *cuts], [*cuts, None], strict=True))

    def scorer(lo: int, hi: int | None) -> Callable[[sqlite3.Connection], tuple[Ids, Scores]]:
        part_only = _slice(only, lo, hi)
        return lambda c: _scored(c, match, weight, part_only, limit, (lo, hi))

    side: list[tuple[Future[tuple[Ids, Scores] | None], Callable[..., tuple[Ids, Scores]]]] = []
    for lo, hi in bounds[1:]:
        job = scorer(lo, hi)
        side.append((_executor().submit(_on_side, path, state[0], state[1], job), job))
    found = [scorer(*bounds[0])(conn)]
    for future, job in side:
        # a range no worker has started yet (others' searches keep them busy) is scored here
        result = None if future.cancel() else future.result()
        found.append(result if result is not None else job(conn))
    ids = np.concatenate([f[0] for f in found])
    scores = np.concatenate([f[1] for f in found])
    order = np.argsort(scores, kind="stable")[:limit]
    return ids[order], scores[order]
