"""The archive file: open it (creating and migrating the schema), write batches atomically.

One ``Archive`` wraps one SQLite connection. Every write goes through ``write_batch``, which
stores a batch of prepared cables and quarantined records in one transaction: a run killed at
any moment leaves whole batches or nothing, never a half-written cable.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from cabledesk.archive import terms
from cabledesk.archive.rows import CableRows, Failure
from cabledesk.archive.schema import MIGRATIONS, SCHEMA_VERSION
from cabledesk.errors import CabledeskError

__all__ = ["Archive", "ArchiveError", "BatchResult"]

_CABLE_COLUMNS = (
    "reference_id, published_id, date, year, origin, station, serial, classification, "
    "precedence, subject, summary, declassify_on, shape, partial, truncated, signers, "
    "redaction_count"
)
_CABLE_MARKS = ", ".join("?" * 17)
_CHILDREN: dict[str, str] = {
    "addressees": "cable_id, role, position, routing_indicator, address, precedence, mcn",
    "tags": "cable_id, position, code, kind",
    "captions": "cable_id, caption",
    "refs": 'cable_id, position, letter, kind, text, cited_id, start, "end"',
    "ref_mentions": 'cable_id, position, kind, letter, ref_position, text, start, "end"',
    "paragraphs": 'cable_id, position, number, mark, start, "end"',
    "redactions": 'cable_id, position, start, "end"',
    "findings": 'cable_id, position, code, severity, message, start, "end"',
}
_CHILD_INSERTS = {
    table: f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * (columns.count(',') + 1))})"
    for table, columns in _CHILDREN.items()
}


FTS_HASH_BYTES = 64 * 1024 * 1024
"""FTS5's in-memory table of pending terms (its ``hashsize``; SQLite's default is 1 MiB): at
the default a batch of new cables is flushed as several small segments that must be merged
again; with room for the whole batch it becomes one."""

BULK_CHECKPOINT_PAGES = 262_144
"""WAL size (pages of 4 KiB: 1 GiB) at which a bulk ingest checkpoints anyway."""


class ArchiveError(CabledeskError):
    """The file is not a cabledesk archive, or was written by a newer cabledesk."""


@dataclass(slots=True)
class BatchResult:
    """What one batch did: new cables, new versions of known cables, texts already held
    (``unchanged``), and records sent to quarantine."""

    added: int = 0
    new_versions: int = 0
    unchanged: int = 0
    quarantined: int = 0

    def __iadd__(self, other: BatchResult) -> BatchResult:
        self.added += other.added
        self.new_versions += other.new_versions
        self.unchanged += other.unchanged
        self.quarantined += other.quarantined
        return self


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Archive:
    """An open archive file. Use as a context manager; ``conn`` is for read queries."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._fts_pending: list[tuple[int, str | None, str]] = []
        self._children_pending: dict[str, list[tuple[object, ...]]] = {t: [] for t in _CHILDREN}
        # A batch's state (write_batch): new cables queued for one statement per table, the
        # text hashes and cables already held, the next free cable id.
        self._new_pending: dict[str, list[tuple[object, ...]]] = _no_new()
        self._batch_seen: set[str] = set()
        self._batch_known: dict[str, tuple[int, int]] = {}
        self._batch_queued: set[str] = set()
        # Term counts (archive/terms.py): new cables indexed by this batch, cables whose
        # indexed text was replaced, and the archive's word set once chosen.
        self._terms_pending: list[tuple[int, CableRows]] = []
        self._terms_dropped: list[int] = []
        self._term_words: list[str] | None = None
        self._term_positions: dict[bytes, int] | None = None
        self._next_id = 1

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True, readonly: bool = False) -> Archive:
        """Open (and, unless ``readonly``, create and migrate) the archive at ``path``."""
        path = Path(path)
        if (readonly or not create) and not path.exists():
            raise ArchiveError(f"{path}: no such archive (run `cabledesk ingest` first)")
        # as_uri() percent-encodes, so a folder named "drafts #2?" opens the right file
        uri = f"{path.resolve().as_uri()}?mode=ro" if readonly else str(path)
        try:
            conn = sqlite3.connect(uri, uri=readonly, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA busy_timeout = 10000")
            if not readonly:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute("PRAGMA cache_size = -65536")  # 64 MiB: FTS5 segment merges
            archive = cls(conn, path)
            if not readonly:
                archive.migrate()
            else:
                archive.check_version(readonly=True)
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(f"{path}: not a cabledesk archive ({exc})") from None
        return archive

    def __enter__(self) -> Archive:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def check_version(self, *, readonly: bool = False) -> None:
        """Refuse a file this cabledesk cannot use: a newer schema, another program's SQLite
        file, or (to read) an empty file."""
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise ArchiveError(
                f"{self.path}: schema version {version} is newer than this cabledesk "
                f"({SCHEMA_VERSION}); upgrade cabledesk"
            )
        if version == 0 and self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise ArchiveError(f"{self.path}: an SQLite file, but not a cabledesk archive")
        if version == 0 and readonly:  # empty: SQLite reads it as a database with nothing in it
            raise ArchiveError(
                f"{self.path}: an empty file, not a cabledesk archive (run `cabledesk ingest` first)"
            )

    def migrate(self) -> None:
        """Apply the migrations this file lacks, each in its own transaction."""
        self.check_version()
        for number in range(self.schema_version + 1, SCHEMA_VERSION + 1):
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _statements(MIGRATIONS[number - 1]):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {number}")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    @contextlib.contextmanager
    def bulk_writes(self) -> Iterator[None]:
        """Defer WAL checkpoints while a long ingest runs, then checkpoint once; let FTS5 hold
        a whole batch's new terms in memory (``FTS_HASH_BYTES``, kept in the index's config).

        Checkpointing every few megabytes (SQLite's default) copies FTS5 pages that the next
        batches rewrite anyway, and syncs each time: a third of the writer's time. Durability
        is unchanged: every committed batch is in the WAL, which survives a killed process.
        """
        self.conn.execute(f"PRAGMA wal_autocheckpoint = {BULK_CHECKPOINT_PAGES}")
        with contextlib.suppress(sqlite3.OperationalError):  # an SQLite without the option
            self.conn.execute(
                "INSERT INTO cables_fts (cables_fts, rank) VALUES ('hashsize', ?)",
                (FTS_HASH_BYTES,),
            )
        try:
            yield
        finally:
            self.conn.execute("PRAGMA wal_autocheckpoint = 1000")
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # -- reads used while writing ------------------------------------------------------------

    def seen(self, hashes: Sequence[str]) -> set[str]:
        """Which of these exact-text hashes are already stored."""
        found: set[str] = set()
        for i in range(0, len(hashes), 500):
            chunk = hashes[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                row[0]
                for row in self.conn.execute(
                    f"SELECT text_hash FROM texts_seen WHERE text_hash IN ({marks})", chunk
                )
            )
        return found

    def counts(self) -> dict[str, int]:
        """``cables``, ``versions`` and ``quarantined`` row counts."""
        one = self.conn.execute
        return {
            "cables": one("SELECT count(*) FROM cables").fetchone()[0],
            "versions": one("SELECT count(*) FROM versions").fetchone()[0],
            "quarantined": one("SELECT count(*) FROM quarantine").fetchone()[0],
        }

    def term_positions(self) -> dict[bytes, int] | None:
        """The archive's word set (word -> position), None until chosen (archive/terms.py)."""
        if self._term_positions is None:
            words = [r[0] for r in self.conn.execute("SELECT term FROM term_set ORDER BY position")]
            if words:
                self._term_words = words
                self._term_positions = {w.encode("ascii"): i for i, w in enumerate(words)}
        return self._term_positions

    # -- writes --------------------------------------------------------------------------------

    def write_batch(self, items: Iterable[CableRows | Failure]) -> BatchResult:
        """Store prepared cables and quarantine failures, all in one transaction.

        New cables (the common case) take the fast path: what the batch already holds is
        looked up once for the whole batch, their ids are assigned here, and their rows are
        written with one statement per table. A cable the archive (or the batch) already has
        takes the careful path, row by row, after the queued rows are written."""
        result = BatchResult()
        now = _now()
        batch = list(items)
        self._fts_pending = []
        self._children_pending = {table: [] for table in _CHILDREN}
        self._new_pending = _no_new()
        self._terms_pending = []
        self._terms_dropped = []
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            rows = [item for item in batch if not isinstance(item, Failure)]
            self._batch_seen = self.seen([r.text_hash for r in rows])
            self._batch_known = self._known([r.reference_id for r in rows])
            self._batch_queued = set()
            self._next_id = (self.conn.execute("SELECT max(id) FROM cables").fetchone()[0] or 0) + 1
            for item in batch:
                if isinstance(item, Failure):
                    cur = self.conn.execute(
                        "INSERT OR IGNORE INTO quarantine (source, line, reason, quarantined_at) "
                        "VALUES (?, ?, ?, ?)",
                        (item.source, item.line, item.reason, now),
                    )
                    result.quarantined += 1
                    del cur
                else:
                    self._store(item, now, result)
            self._index_pending()
            self._index_terms()
        except BaseException:
            self.conn.execute("ROLLBACK")
            self._term_words = self._term_positions = None  # as the file has it
            raise
        self.conn.execute("COMMIT")
        return result

    def _known(self, reference_ids: Sequence[str]) -> dict[str, tuple[int, int]]:
        """Which of these cables the archive holds: reference id -> (id, current version)."""
        found: dict[str, tuple[int, int]] = {}
        unique = sorted(set(reference_ids))
        for i in range(0, len(unique), 500):
            part = unique[i : i + 500]
            marks = ", ".join("?" * len(part))
            for ref, cable_id, version in self.conn.execute(
                f"SELECT reference_id, id, version FROM cables WHERE reference_id IN ({marks})",
                part,
            ):
                found[ref] = (cable_id, version)
        return found

    def _write_new(self) -> None:
        """Write the queued new cables: their rows first, their versions, their hashes."""
        pending = self._new_pending
        if pending["cables"]:
            self.conn.executemany(
                f"INSERT INTO cables (id, {_CABLE_COLUMNS}, version) VALUES (?, {_CABLE_MARKS}, 1)",
                pending["cables"],
            )
            self.conn.executemany(_VERSION_INSERT, pending["versions"])
            self.conn.executemany(_SEEN_INSERT, pending["texts_seen"])
        self._new_pending = _no_new()
        self._batch_queued = set()

    def _store(self, rows: CableRows, now: str, result: BatchResult) -> None:
        execute = self.conn.execute
        if rows.text_hash in self._batch_seen:
            result.unchanged += 1
            return
        self._batch_seen.add(rows.text_hash)
        found = self._batch_known.get(rows.reference_id)
        if found is None:  # new: queued, written with the batch's other new cables
            cable_id = self._next_id
            self._next_id += 1
            self._batch_known[rows.reference_id] = (cable_id, 1)
            self._batch_queued.add(rows.reference_id)
            self._new_pending["cables"].append((cable_id, *rows.cable))
            self._new_pending["versions"].append(_version_row(cable_id, 1, rows, now))
            self._new_pending["texts_seen"].append((rows.text_hash, cable_id, 1))
            self._fts_pending.append((cable_id, rows.subject, rows.text))
            self._terms_pending.append((cable_id, rows))
            self._insert_children(cable_id, rows)
            result.added += 1
            return
        if rows.reference_id in self._batch_queued:
            self._write_new()  # the careful path reads the rows it must see
        cable_id, current = found
        same = execute(
            "SELECT number FROM versions WHERE cable_id = ? AND content_hash = ?",
            (cable_id, rows.content_hash),
        ).fetchone()
        if same is not None:
            execute(
                "INSERT OR IGNORE INTO texts_seen (text_hash, cable_id, version) VALUES (?, ?, ?)",
                (rows.text_hash, cable_id, same[0]),
            )
            result.unchanged += 1
            return
        number = (
            execute("SELECT max(number) FROM versions WHERE cable_id = ?", (cable_id,)).fetchone()[
                0
            ]
            + 1
        )
        result.new_versions += 1
        current_released = execute(
            "SELECT released FROM versions WHERE cable_id = ? AND number = ?", (cable_id, current)
        ).fetchone()[0]
        # The latest release is the current text; an undated release never displaces a dated
        # one; between equals the later ingested wins.
        self._insert_version(cable_id, number, rows, now)
        if (rows.released or "") < (current_released or ""):
            return
        # The new version becomes current: the index forgets the old text (FTS5 needs the
        # values it indexed), then indexes the new one.
        self._index_pending()  # every earlier cable of the batch indexed before the delete
        execute(
            "INSERT INTO cables_fts (cables_fts, rowid, subject, text) "
            "SELECT 'delete', id, subject, text FROM cable_texts WHERE id = ?",
            (cable_id,),
        )
        sets = ", ".join(f"{c.strip()} = ?" for c in _CABLE_COLUMNS.split(","))
        execute(
            f"UPDATE cables SET {sets}, version = ? WHERE id = ?",
            (*rows.cable, number, cable_id),
        )
        self._batch_known[rows.reference_id] = (cable_id, number)
        self._fts_pending.append((cable_id, rows.subject, rows.text))
        self._terms_dropped.append(cable_id)  # only first texts are counted: FTS5 scores it
        for table in _CHILDREN:
            execute(f"DELETE FROM {table} WHERE cable_id = ?", (cable_id,))
        self._insert_children(cable_id, rows)

    def _index_pending(self) -> None:
        """Write the batch's pending part rows, one statement per table, and index its new
        cables in one statement, so FTS5 builds its segment in memory."""
        self._write_new()
        for table, values in self._children_pending.items():
            if values:
                self.conn.executemany(_CHILD_INSERTS[table], values)
        self._children_pending = {table: [] for table in _CHILDREN}
        if self._fts_pending:
            self.conn.executemany(
                "INSERT INTO cables_fts (rowid, subject, text) VALUES (?, ?, ?)", self._fts_pending
            )
            self._fts_pending = []

    def _index_terms(self) -> None:
        """Store the term counts of the batch's new cables (choosing the word set first when
        the archive has enough cables); forget those of cables whose text was replaced."""
        positions = self.term_positions()
        if positions is None:
            terms.choose_and_count(self.conn)
        else:
            assert self._term_words is not None
            docs = [(i, p) for i, rows in self._terms_pending if (p := rows.count_terms(positions))]
            terms.write_postings(self.conn, self._term_words, docs)
        if self._terms_dropped:
            self.conn.executemany(
                "DELETE FROM term_docs WHERE cable_id = ?", [(i,) for i in self._terms_dropped]
            )

    def choose_terms(self) -> bool:
        """Choose the word set and count every cable, if the archive has none yet and holds
        enough cables (an archive from before migration 3 that an ingest added nothing to);
        whether it has one now."""
        if self.term_positions() is None:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                terms.choose_and_count(self.conn)
            except BaseException:
                self.conn.execute("ROLLBACK")
                self._term_words = self._term_positions = None
                raise
            self.conn.execute("COMMIT")
        return self.term_positions() is not None

    def _insert_version(self, cable_id: int, number: int, rows: CableRows, now: str) -> None:
        """Record a version of a cable, with its text and where it came from."""
        self.conn.execute(_VERSION_INSERT, _version_row(cable_id, number, rows, now))
        self.conn.execute(_SEEN_INSERT, (rows.text_hash, cable_id, number))

    def _insert_children(self, cable_id: int, rows: CableRows) -> None:
        """Queue the cable's part rows; ``_index_pending`` writes them before the commit."""
        for table, pending in self._children_pending.items():
            pending.extend((cable_id, *v) for v in getattr(rows, table))


def _no_new() -> dict[str, list[tuple[object, ...]]]:
    return {"cables": [], "versions": [], "texts_seen": []}


_VERSION_INSERT = (
    "INSERT INTO versions (cable_id, number, content_hash, published_id, source, "
    "source_line, released, hints, ingested_at, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_SEEN_INSERT = "INSERT OR IGNORE INTO texts_seen (text_hash, cable_id, version) VALUES (?, ?, ?)"


def _version_row(cable_id: int, number: int, rows: CableRows, now: str) -> tuple[object, ...]:
    return (
        cable_id,
        number,
        rows.content_hash,
        rows.published_id,
        rows.source,
        rows.source_line,
        rows.released,
        rows.hints,
        now,
        rows.text,
    )


def _statements(script: str) -> list[str]:
    """Split a migration into statements (``sqlite3.complete_statement`` knows triggers)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
