"""The one way the web app reads an archive: a read context per request, carrying its viewer.

Every page and HTTP endpoint gets a :class:`ReadContext` and calls its methods (search, cable,
refs, graph, stats, export...); nothing above the services layer touches SQLite. The archive is
opened read-only, one connection per worker thread (search keeps a per-thread temporary table,
docs/search.md, and a connection is not shared between threads mid-statement). The context
carries the :class:`Viewer` asking: today everyone is anonymous; roles and clearance will be
checked in these methods alone, so no page or endpoint can forget them.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from cabledesk.archive.store import Archive
from cabledesk.errors import CabledeskError
from cabledesk.services.export import COLUMNS, csv_value, iter_records, json_line, search_hit_ids
from cabledesk.services.facet_index import FacetIndex, build_facet_index, index_state
from cabledesk.services.graph import Neighbourhood, neighbourhood
from cabledesk.services.origin_profile import OriginProfile, origin_profile
from cabledesk.services.reading import StoredCable, require_cable, version_diff
from cabledesk.services.refs import CableReferences, CitingCable, cable_references, cited_by
from cabledesk.services.refs import held_cables as _held_cables
from cabledesk.services.search import SearchResult, search
from cabledesk.services.selection import Selection
from cabledesk.services.stats import ArchiveStats, archive_stats

__all__ = [
    "ANONYMOUS",
    "ArchivePool",
    "EDITOR",
    "EXPORT_FORMATS",
    "Forbidden",
    "InvalidRequest",
    "ReadContext",
    "ResultCache",
    "Viewer",
]

T = TypeVar("T")

EXPORT_FORMATS = ("csv", "jsonl")
"""Formats an export can be streamed in (Parquet needs a whole file: use the CLI)."""

_EXPORT_CHUNK = 200
"""Cables encoded per streamed piece: small enough to start at once, big enough to be cheap."""

CACHE_SIZE = 256
"""Answers kept by a pool's :class:`ResultCache`."""

_STATE = (
    "SELECT (SELECT max(id) FROM cables), (SELECT max(rowid) FROM versions), "
    "(SELECT max(id) FROM quarantine)"
)
"""The archive's state in three index seeks: an ingest adds cables, versions or quarantined
records (it never deletes), so any change moves one of these."""


class InvalidRequest(CabledeskError, ValueError):
    """A request the archive cannot answer as asked (an unknown post, a malformed date)."""


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is reading. The access rules (roles, clearance) read this object in
    :class:`ReadContext`'s methods alone. Today: the anonymous viewer, or the editor of an
    editor's own server (``cabledesk serve --editor``)."""

    name: str = "anonymous"
    authenticated: bool = False
    roles: frozenset[str] = frozenset()


ANONYMOUS = Viewer()
EDITOR = Viewer(name="editor", roles=frozenset({"editor"}))
"""The viewer of ``cabledesk serve --editor``: the one who protects the sources."""


class Forbidden(CabledeskError, PermissionError):
    """The viewer lacks the role a request needs."""


class ResultCache:
    """The most recent answers of costly reads (a search's facets over 100,000 hits, a post's
    profile, whole-archive statistics), keyed by who asked what and the archive's state, so a
    repeated request (the front page, page 2 of a search) is not computed again and an ingest
    into the archive is seen at once. Thread-safe; least recently used answers go first."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> object | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: object) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


class ArchivePool:
    """Read-only connections to one archive file: one per thread, opened on first use.

    Opening checks the file at once, so a server never starts on a missing or foreign file.
    ``dedicated()`` gives a connection of its own to a reader that outlives one thread (a
    streamed export is read from whichever thread the server picks for each piece). The pool
    keeps the archive's :class:`FacetIndex` for its searches (``facet_index()``).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        Archive.open(self.path, readonly=True).close()  # raises ArchiveError now
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened: list[Archive] = []
        self.cache = ResultCache()
        self._index: FacetIndex | None = None
        self._building = threading.Lock()

    def archive(self) -> Archive:
        """This thread's connection."""
        archive: Archive | None = getattr(self._local, "archive", None)
        if archive is None:
            archive = Archive.open(self.path, readonly=True)
            self._local.archive = archive
            with self._lock:
                self._opened.append(archive)
        return archive

    def state(self, archive: Archive) -> tuple[object, ...]:
        """What the archive holds now, as far as a cached answer is concerned."""
        return tuple(archive.conn.execute(_STATE).fetchone())

    def facet_index(self, archive: Archive) -> FacetIndex | None:
        """The facet index of the archive as ``archive`` sees it now: built by the first search
        (about a second at 250,000 cables) and again by the first after an ingest changed the
        archive. None while another thread builds it: that search runs in SQL meanwhile."""
        index = self._index
        if index is not None and index.state == index_state(archive.conn):
            return index
        if not self._building.acquire(blocking=False):
            return None
        try:
            index = self._index
            if index is None or index.state != index_state(archive.conn):
                index = self._index = build_facet_index(archive.conn)
            return index
        finally:
            self._building.release()

    def dedicated(self) -> Archive:
        """A connection of its own; the caller closes it."""
        return Archive.open(self.path, readonly=True)

    def close(self) -> None:
        """Close every thread's connection (at server shutdown)."""
        with self._lock:
            opened, self._opened = self._opened, []
        for archive in opened:
            archive.close()
        self._local = threading.local()


def _selection(origins: Sequence[str], since: str | None, until: str | None) -> Selection:
    try:
        return Selection(origins=tuple(o for o in origins if o.strip()), since=since, until=until)
    except ValueError as exc:
        raise InvalidRequest(str(exc).replace("--since", "from").replace("--until", "to")) from None


@dataclass(slots=True)
class ReadContext:
    """What one request may read, and who is asking. Every method reads through this thread's
    connection, so a context is used from the thread that calls it."""

    pool: ArchivePool
    viewer: Viewer = field(default=ANONYMOUS)

    @property
    def _archive(self) -> Archive:
        return self.pool.archive()

    def search(
        self,
        query: str = "",
        *,
        origin: Sequence[str] = (),
        tag: Sequence[str] = (),
        classification: Sequence[str] = (),
        caption: Sequence[str] = (),
        date_from: str | None = None,
        date_to: str | None = None,
        has_redactions: bool = False,
        sort: str = "rank",
        page: int = 1,
        per_page: int = 20,
        facets: bool = True,
        facet_limit: int | None = None,
    ) -> SearchResult:
        """``services.search.search``; raises QueryError for what it cannot understand.

        Answers are cached (:class:`ResultCache`), and so are the facets of each query and
        filters, so another page or order of the same search skips counting them."""
        archive = self._archive
        cache = self.pool.cache
        state = self.pool.state(archive)
        asked = (
            query,
            tuple(origin),
            tuple(tag),
            tuple(classification),
            tuple(caption),
            date_from or None,
            date_to or None,
            has_redactions,
        )
        key = ("search", self.viewer, asked, sort, page, per_page, facets, facet_limit, state)
        cached = cache.get(key)
        if isinstance(cached, SearchResult):
            return cached
        facets_key = ("facets", self.viewer, asked, facet_limit, state)
        known = cache.get(facets_key) if facets else None
        result = search(
            archive,
            query,
            origin=list(origin),
            tag=list(tag),
            classification=list(classification),
            caption=list(caption),
            date_from=date_from or None,
            date_to=date_to or None,
            has_redactions=has_redactions,
            sort=sort,
            page=page,
            per_page=per_page,
            facets=facets and known is None,
            facet_limit=facet_limit,
            index=self.pool.facet_index(archive),
        )
        if isinstance(known, dict):
            result = dataclasses.replace(result, facets=known)
        elif facets:
            cache.put(facets_key, result.facets)
        cache.put(key, result)
        return result

    def cable(self, reference_id: str, version: int | None = None) -> StoredCable:
        """The stored cable (any spelling of its id); raises CableNotFound."""
        return require_cable(self._archive, reference_id, version)

    def held(self, reference_ids: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
        """(date, subject) of each of these cable ids the archive holds."""
        return _held_cables(self._archive, sorted(set(reference_ids)))

    def refs(self, reference_id: str) -> CableReferences:
        """What the cable cites (with status and mentions) and what cites it."""
        return cable_references(self._archive, reference_id)

    def cited_by(self, reference_id: str) -> list[CitingCable]:
        """The cables citing ``reference_id`` (a canonical id), oldest first."""
        return cited_by(self._archive, reference_id)

    def graph(self, reference_id: str, depth: int = 2, max_nodes: int = 300) -> Neighbourhood:
        """The citation neighbourhood of a cable; raises CableNotFound."""
        return neighbourhood(self._archive, reference_id, depth=depth, max_nodes=max_nodes)

    def diff(self, reference_id: str, old: int, new: int) -> str:
        """Unified diff between two versions of a cable; raises CableNotFound."""
        return version_diff(self._archive, reference_id, old, new)

    def stats(self, origins: Sequence[str] = ()) -> ArchiveStats:
        """Archive counts, and origins, months and coverage for ``origins`` (default all)."""
        selection = _selection(origins, None, None)
        self._check_origins(selection)
        key = ("stats", self.viewer, selection, self.pool.state(self._archive))
        cached = self.pool.cache.get(key)
        if isinstance(cached, ArchiveStats):
            return cached
        stats = archive_stats(self._archive, selection)
        self.pool.cache.put(key, stats)
        return stats

    def origin(self, name: str) -> OriginProfile:
        """Traffic, coverage, TAGS and correspondents of one post; raises OriginNotFound."""
        key = ("origin", self.viewer, name, self.pool.state(self._archive))
        cached = self.pool.cache.get(key)
        if isinstance(cached, OriginProfile):
            return cached
        profile = origin_profile(self._archive, name)
        self.pool.cache.put(key, profile)
        return profile

    def export(
        self,
        fmt: str,
        *,
        query: str = "",
        origin: Sequence[str] = (),
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> Iterator[str]:
        """The export records encoded as ``jsonl`` or ``csv`` text, piece by piece.

        Everything that can be refused (format, query, post, dates, a search over 10,000
        hits) is refused before this returns, so a streamed response never breaks off with an
        error. The stream reads through a connection of its own, closed when it ends.
        """
        if fmt not in EXPORT_FORMATS:
            raise InvalidRequest(f"format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")
        archive = self.pool.dedicated()
        try:
            if query.strip():
                ids: Iterator[str] = search_hit_ids(
                    archive,
                    query,
                    origin=[o for o in origin if o.strip()] or None,
                    date_from=date_from or None,
                    date_to=date_to or None,
                )
                first = next(ids, None)  # runs the first page: a bad query raises here
                records = iter_records(archive, ids=_prepend(first, ids), chunk=_EXPORT_CHUNK)
            else:
                selection = _selection(origin, date_from or None, date_to or None)
                self._check_origins(selection, archive)
                records = iter_records(archive, selection, chunk=_EXPORT_CHUNK)
        except BaseException:
            archive.close()
            raise
        return _encoded(fmt, records, archive)

    def as_editor(self, read: Callable[[Archive], T]) -> T:
        """Run ``read`` on the archive for an editor only: source protection's reads (people,
        the protect list, plans, releases, audits) name the people to protect, so anyone else
        gets :class:`Forbidden`."""
        self._require_editor()
        return read(self._archive)

    def write_as_editor(self, write: Callable[[Archive], T]) -> T:
        """Run ``write`` for an editor only, on a connection of its own that may write (the
        protect list); the pool's read-only connections see the change at their next read."""
        self._require_editor()
        with Archive.open(self.pool.path, create=False) as archive:
            return write(archive)

    def _require_editor(self) -> None:
        if "editor" not in self.viewer.roles:
            raise Forbidden(
                "source protection is served to editors only (start the server with --editor)"
            )

    def _check_origins(self, selection: Selection, archive: Archive | None = None) -> None:
        conn = (archive or self._archive).conn
        unknown = selection.unknown_origins(conn)
        if unknown:
            raise InvalidRequest(f"origin {unknown[0]!r}: no post of the archive has that name")


def _prepend(first: str | None, rest: Iterator[str]) -> Iterator[str]:
    if first is not None:
        yield first
        yield from rest


def _encoded(fmt: str, records: Iterator[dict[str, object]], archive: Archive) -> Iterator[str]:
    """JSON Lines or CSV (as ``cabledesk export`` writes them) in pieces of a few hundred
    cables; closes ``archive`` at the end, or when the client goes away."""
    try:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        if fmt == "csv":
            writer.writerow(COLUMNS)
        for count, record in enumerate(records, 1):
            if fmt == "csv":
                writer.writerow([csv_value(name, record[name]) for name in COLUMNS])
            else:
                buffer.write(json_line(record))
            if count % _EXPORT_CHUNK == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        if buffer.tell():
            yield buffer.getvalue()
    finally:
        archive.close()
