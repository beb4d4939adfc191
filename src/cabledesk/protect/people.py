"""``cabledesk people``: the people an archive (or a set of cable files) names, as entities.

Reads each cable's current version, finds its person mentions (``mentions.find_mentions``) and
groups them across the corpus (``entities.EntityIndex``). It is computed on demand rather than
at ingest: the rules run at several hundred cables a second, the optional model far slower, and
an editor usually asks about a selection (one post, one year) rather than two million cables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from cabledesk.archive.store import Archive
from cabledesk.protect.entities import EntityIndex
from cabledesk.protect.mentions import NerModel, find_mentions
from cabledesk.protect.model import Entity
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


def people(
    archive: Archive,
    reference_ids: Iterable[str] | None = None,
    *,
    ner: NerModel | None = None,
    on_cable: Callable[[], None] | None = None,
) -> list[Entity]:
    """Entities of an archive's cables (all, or the ids given), most widely named first."""
    ids = archive_ids(archive) if reference_ids is None else list(reference_ids)

    def cables() -> Iterable[Cable]:
        for ref_id in ids:
            stored = get_cable(archive, ref_id)
            if stored is not None:
                yield stored.cable

    return people_in_cables(cables(), ner=ner, on_cable=on_cable).entities()
