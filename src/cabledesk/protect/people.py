"""``cabledesk people``: the people an archive (or a set of cable files) names, as entities.

Reads each cable's current version, finds its person mentions (``mentions.find_mentions``) and
groups them across the corpus (``entities.EntityIndex``). It is computed on demand rather than
at ingest: the rules run at several hundred cables a second, the optional model far slower, and
an editor usually asks about a selection (one post, one year) rather than two million cables.
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor

from cabledesk.archive.store import Archive
from cabledesk.protect.entities import EntityIndex
from cabledesk.protect.mentions import NerModel, find_mentions, load_ner
from cabledesk.protect.model import Entity, Mention
from cabledesk.services.reading import get_cable
from cabledesk.telegram import Cable

__all__ = ["archive_ids", "people", "people_in_cables"]


def archive_ids(
    archive: Archive, origins: Iterable[str] = (), years: Iterable[int] = ()
) -> list[str]:
    """Reference ids of the archive's cables, optionally of some posts and years, in id order."""
    sql = "SELECT reference_id FROM cables"
    where: list[str] = []
    params: list[object] = []
    origins, years = list(origins), list(years)
    if origins:
        where.append(f"origin IN ({','.join('?' * len(origins))})")
        params += origins
    if years:
        where.append(f"year IN ({','.join('?' * len(years))})")
        params += years
    if where:
        sql += " WHERE " + " AND ".join(where)
    return [r for (r,) in archive.conn.execute(sql + " ORDER BY id", params)]


def people_in_cables(
    cables: Iterable[Cable],
    *,
    ner: NerModel | None = None,
    on_cable: Callable[[], None] | None = None,
) -> EntityIndex:
    """Entities of parsed cables (files given on the command line)."""
    index = EntityIndex()
    for cable in cables:
        ref_id = cable.reference_id or cable.canonical_id or "?"
        index.add(ref_id, find_mentions(cable, ner=ner))
        if on_cable is not None:
            on_cable()
    return index


_CHUNK = 50
"""Cables one worker reads per task: enough to amortise the task, small enough to balance."""


def _mentions_of(
    path: str, reference_ids: list[str], with_ner: bool
) -> list[tuple[str, list[Mention]]]:
    """A worker's task: the mentions of some cables, read from the archive at ``path``."""
    ner = _worker_ner() if with_ner else None
    out: list[tuple[str, list[Mention]]] = []
    with Archive.open(path, readonly=True) as archive:
        for ref_id in reference_ids:
            stored = get_cable(archive, ref_id)
            if stored is not None:
                out.append((ref_id, find_mentions(stored.cable, ner=ner)))
    return out


@functools.cache
def _worker_ner() -> NerModel | None:
    return load_ner()


def people(
    archive: Archive,
    reference_ids: Iterable[str] | None = None,
    *,
    ner: NerModel | None = None,
    on_cable: Callable[[], None] | None = None,
    workers: int = 0,
) -> list[Entity]:
    """Entities of an archive's cables (all, or the ids given), most widely named first.

    ``workers > 0`` reads the cables in that many processes (each opens the archive
    read-only); the merge follows the ids' order, so the answer does not depend on it. With
    workers, ``ner`` only says whether to use the model: each worker loads its own."""
    ids = archive_ids(archive) if reference_ids is None else list(reference_ids)
    if workers <= 0 or len(ids) <= _CHUNK:

        def cables() -> Iterable[Cable]:
            for ref_id in ids:
                stored = get_cable(archive, ref_id)
                if stored is not None:
                    yield stored.cable

        return people_in_cables(cables(), ner=ner, on_cable=on_cable).entities()
    index = EntityIndex()
    chunks = [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]
    path, with_ner = str(archive.path), ner is not None
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: deque[Future[list[tuple[str, list[Mention]]]]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(_mentions_of, path, chunk, with_ner))
            while len(pending) > 2 * workers:  # bounded: constant memory on any archive
                _merge(index, pending.popleft().result(), on_cable)
        while pending:
            _merge(index, pending.popleft().result(), on_cable)
    return index.entities()


def _merge(
    index: EntityIndex,
    found: list[tuple[str, list[Mention]]],
    on_cable: Callable[[], None] | None,
) -> None:
    for ref_id, mentions in found:
        index.add(ref_id, mentions)
        if on_cable is not None:
            on_cable()
