"""Source protection's storage: the protect list and the release versions of cables.

The protect list names the people and organisations a release must hide. Each entry gets a
pseudonym when it is added — ``Person 1``, ``Person 2``... in the order names are added, or one
the editor chooses — and keeps it, so a pseudonym is consistent across releases and runs. It is
not derived from the name (no hash a dictionary attack could reverse), and a number is never
given twice, even after its name was removed (``pseudonym_counters``).

A release (``store_release``) is written in one transaction: a failure or a killed process
leaves no release, never half of one. Its texts are read back streaming.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cabledesk.archive.store import Archive
from cabledesk.errors import CabledeskError

__all__ = [
    "PROTECTION_SCHEMA",
    "PROTECT_KINDS",
    "ProtectedName",
    "ProtectionError",
    "ReleaseInfo",
    "ReleaseRow",
    "ReleaseText",
    "add_protected_name",
    "delete_release",
    "get_protected_name",
    "get_release",
    "iter_release_texts",
    "list_protected_names",
    "list_releases",
    "name_key",
    "remove_protected_name",
    "store_release",
]

PROTECT_KINDS = ("person", "organisation")
_PSEUDONYM_PREFIX = {"person": "Person", "organisation": "Organisation"}
_NOT_WORD = re.compile(r"[\W_]+")


class ProtectionError(CabledeskError, ValueError):
    """A protect-list or release request that cannot be done: a duplicate name, an empty
    pseudonym, an unknown release."""


def name_key(name: str) -> str:
    """The name as a key: accents folded, case folded, punctuation as spaces, spaces single
    (``Kim Jong-Il`` and ``KIM JONG IL`` are one key)."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    return " ".join(_NOT_WORD.sub(" ", folded).split())


PROTECTION_SCHEMA = 2
"""The migration that adds the protection tables; a read-only archive older than it (opened
without migrating) has an empty protect list and no releases."""


def _has_tables(archive: Archive) -> bool:
    return archive.schema_version >= PROTECTION_SCHEMA


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True, slots=True)
class ProtectedName:
    """One entry of the protect list."""

    id: int
    name: str
    key: str
    kind: str
    pseudonym: str
    note: str
    added_at: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "key": self.key,
            "kind": self.kind,
            "pseudonym": self.pseudonym,
            "note": self.note,
            "added_at": self.added_at,
        }


_NAME_COLUMNS = "id, name, key, kind, pseudonym, note, added_at"


def _protected(row: Sequence[Any]) -> ProtectedName:
    return ProtectedName(*row)


def _next_pseudonym(conn: sqlite3.Connection, kind: str) -> str:
    """The kind's next ``Person N``; numbers are never given twice."""
    row = conn.execute("SELECT last FROM pseudonym_counters WHERE kind = ?", (kind,)).fetchone()
    number = int(row[0]) if row else 0
    while True:
        number += 1
        candidate = f"{_PSEUDONYM_PREFIX[kind]} {number}"
        taken = conn.execute(
            "SELECT 1 FROM protected_names WHERE pseudonym = ?", (candidate,)
        ).fetchone()
        if not taken:
            break
    conn.execute(
        "INSERT INTO pseudonym_counters (kind, last) VALUES (?, ?) "
        "ON CONFLICT (kind) DO UPDATE SET last = excluded.last",
        (kind, number),
    )
    return candidate


def add_protected_name(
    archive: Archive,
    name: str,
    *,
    kind: str = "person",
    pseudonym: str | None = None,
    note: str = "",
) -> ProtectedName:
    """Add a name to the protect list with its pseudonym (the next ``Person N`` unless the
    editor chose one). Raises :class:`ProtectionError` if the name (by key) is already there,
    or the chosen pseudonym is taken or contains the name."""
    key = name_key(name)
    if not key:
        raise ProtectionError(f"{name!r}: a protected name needs at least one letter or digit")
    if kind not in PROTECT_KINDS:
        raise ProtectionError(f"{name!r}: kind {kind!r} is not one of {', '.join(PROTECT_KINDS)}")
    chosen = " ".join(pseudonym.split()) if pseudonym is not None else None
    if chosen is not None and not chosen:
        raise ProtectionError(f"{name!r}: the pseudonym must not be empty")
    if chosen is not None and f" {key} " in f" {name_key(chosen)} ":
        raise ProtectionError(f"{name!r}: the pseudonym {chosen!r} gives the name away")
    conn = archive.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        existing = conn.execute(
            "SELECT name, pseudonym FROM protected_names WHERE key = ?", (key,)
        ).fetchone()
        if existing:
            raise ProtectionError(
                f"{name!r} is already protected (as {existing[0]!r}, pseudonym {existing[1]!r})"
            )
        if chosen is not None:
            if conn.execute(
                "SELECT 1 FROM protected_names WHERE pseudonym = ?", (chosen,)
            ).fetchone():
                raise ProtectionError(f"{name!r}: the pseudonym {chosen!r} is already taken")
        else:
            chosen = _next_pseudonym(conn, kind)
        row_id = conn.execute(
            "INSERT INTO protected_names (name, key, kind, pseudonym, note, added_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (name.strip(), key, kind, chosen, note, _now()),
        ).lastrowid
        row = conn.execute(
            f"SELECT {_NAME_COLUMNS} FROM protected_names WHERE id = ?", (row_id,)
        ).fetchone()
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return _protected(row)


def get_protected_name(archive: Archive, name: str) -> ProtectedName | None:
    """The entry for ``name`` in any spelling with the same key, or None."""
    if not _has_tables(archive):
        return None
    row = archive.conn.execute(
        f"SELECT {_NAME_COLUMNS} FROM protected_names WHERE key = ?", (name_key(name),)
    ).fetchone()
    return _protected(row) if row else None


def remove_protected_name(archive: Archive, name: str) -> ProtectedName | None:
    """Take ``name`` off the protect list; the removed entry, or None if it was not there.
    Its pseudonym number is not given to anyone else."""
    found = get_protected_name(archive, name)
    if found is not None:
        archive.conn.execute("DELETE FROM protected_names WHERE id = ?", (found.id,))
    return found


def list_protected_names(archive: Archive) -> list[ProtectedName]:
    """The protect list in the order names were added."""
    if not _has_tables(archive):
        return []
    rows = archive.conn.execute(f"SELECT {_NAME_COLUMNS} FROM protected_names ORDER BY id")
    return [_protected(row) for row in rows]


@dataclass(frozen=True, slots=True)
class ReleaseRow:
    """One cable's release text, to store: ``replacements`` are (release start, release end,
    original start, original end) of each replacement."""

    cable_id: int
    version: int
    text: str
    spans_replaced: int
    paragraphs_withheld: int
    replacements: Sequence[tuple[int, int, int, int]] = ()


@dataclass(frozen=True, slots=True)
class ReleaseInfo:
    """A stored release: its label, when it was made, its settings and how many cables."""

    id: int
    label: str
    created_at: str
    settings: dict[str, Any] = field(default_factory=dict)
    cables: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "created_at": self.created_at,
            "settings": self.settings,
            "cables": self.cables,
        }


@dataclass(frozen=True, slots=True)
class ReleaseText:
    """One cable of a release as read back, with the cable's (name-free) header fields."""

    reference_id: str
    version: int
    text: str
    spans_replaced: int
    paragraphs_withheld: int
    date: str | None
    origin: str | None
    classification: str | None
    replacements: tuple[tuple[int, int, int, int], ...]


def store_release(
    archive: Archive, label: str, settings: Mapping[str, Any], rows: Iterable[ReleaseRow]
) -> ReleaseInfo:
    """Store a release and its texts in one transaction. ``rows`` may be a generator: an
    exception it raises (or any failure) rolls everything back."""
    label = label.strip()
    if not label:
        raise ProtectionError("a release needs a label")
    conn = archive.conn
    created = _now()
    conn.execute("BEGIN IMMEDIATE")
    try:
        if conn.execute("SELECT 1 FROM releases WHERE label = ?", (label,)).fetchone():
            raise ProtectionError(f"a release labelled {label!r} already exists")
        settings_json = json.dumps(dict(settings), sort_keys=True, ensure_ascii=False)
        release_id = conn.execute(
            "INSERT INTO releases (label, created_at, settings) VALUES (?, ?, ?)",
            (label, created, settings_json),
        ).lastrowid
        assert release_id is not None
        count = 0
        for row in rows:
            conn.execute(
                "INSERT INTO release_texts (release_id, cable_id, version, text, spans_replaced, "
                "paragraphs_withheld, replacements) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    release_id,
                    row.cable_id,
                    row.version,
                    row.text,
                    row.spans_replaced,
                    row.paragraphs_withheld,
                    json.dumps([list(r) for r in row.replacements]),
                ),
            )
            count += 1
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return ReleaseInfo(release_id, label, created, json.loads(settings_json), count)


_RELEASE_QUERY = (
    "SELECT r.id, r.label, r.created_at, r.settings, "
    "(SELECT count(*) FROM release_texts t WHERE t.release_id = r.id) FROM releases r"
)


def _info(row: Sequence[Any]) -> ReleaseInfo:
    return ReleaseInfo(int(row[0]), str(row[1]), str(row[2]), json.loads(row[3]), int(row[4]))


def list_releases(archive: Archive) -> list[ReleaseInfo]:
    """Every stored release, oldest first."""
    if not _has_tables(archive):
        return []
    return [_info(row) for row in archive.conn.execute(f"{_RELEASE_QUERY} ORDER BY r.id")]


def get_release(archive: Archive, release: int | str) -> ReleaseInfo | None:
    """A release by label, or by id (an int, or digits that are no release's label)."""
    conn = archive.conn
    if not _has_tables(archive):
        return None
    if isinstance(release, str):
        row = conn.execute(f"{_RELEASE_QUERY} WHERE r.label = ?", (release.strip(),)).fetchone()
        if row or not release.strip().isdigit():
            return _info(row) if row else None
        release = int(release.strip())
    row = conn.execute(f"{_RELEASE_QUERY} WHERE r.id = ?", (release,)).fetchone()
    return _info(row) if row else None


def delete_release(archive: Archive, release_id: int) -> bool:
    """Delete a release and its texts (one statement: the texts cascade)."""
    cur = archive.conn.execute("DELETE FROM releases WHERE id = ?", (release_id,))
    return cur.rowcount > 0


def iter_release_texts(
    archive: Archive, release_id: int, *, chunk_size: int = 128
) -> Iterator[ReleaseText]:
    """The release's cables in reference-id order, read ``chunk_size`` rows at a time."""
    cur = archive.conn.execute(
        "SELECT c.reference_id, t.version, t.text, t.spans_replaced, t.paragraphs_withheld, "
        "c.date, c.origin, c.classification, t.replacements "
        "FROM release_texts t JOIN cables c ON c.id = t.cable_id "
        "WHERE t.release_id = ? ORDER BY c.reference_id",
        (release_id,),
    )
    try:
        while rows := cur.fetchmany(chunk_size):
            for ref, version, text, spans, withheld, date, origin, cls, replaced in rows:
                yield ReleaseText(
                    str(ref),
                    int(version),
                    str(text),
                    int(spans),
                    int(withheld),
                    date,
                    origin,
                    cls,
                    tuple((int(a), int(b), int(c), int(d)) for a, b, c, d in json.loads(replaced)),
                )
    finally:
        cur.close()
