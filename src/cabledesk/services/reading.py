"""Read one stored cable back: its parse, findings, versions, any version's text and diffs.

The archive stores each version's text with the hints its source gave, not the full parse:
parsing is deterministic and takes under a millisecond, so ``get_cable`` re-parses the text on
demand. ``show``, the HTTP API and the web pages all read cables through this module, so they
agree on how an id is looked up and what a cable's record holds.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from typing import Any

from cabledesk.archive.store import Archive
from cabledesk.errors import CabledeskError
from cabledesk.telegram import Cable, Finding, canonical_id, parse, validate

__all__ = [
    "CableNotFound",
    "StoredCable",
    "VersionInfo",
    "get_cable",
    "require_cable",
    "resolve_id",
    "version_diff",
    "version_text",
]


class CableNotFound(CabledeskError, LookupError):
    """The archive holds no cable (or no such version of a cable) under the id asked for."""


@dataclass(slots=True, frozen=True)
class VersionInfo:
    """One stored version of a cable: where its text came from and when."""

    number: int
    source: str
    source_line: int
    released: str | None
    ingested_at: str
    published_id: str | None
    current: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "source": self.source,
            "source_line": self.source_line,
            "released": self.released,
            "ingested_at": self.ingested_at,
            "published_id": self.published_id,
            "current": self.current,
        }


@dataclass(slots=True)
class StoredCable:
    """A cable as the archive holds it: the parse of one version plus what was stored with it.

    ``version`` is the version parsed into ``cable``; ``current_version`` is the one the
    archive's tables describe (the latest release). ``findings`` are the stored validation
    findings for the current version, and computed afresh for an older one.
    """

    reference_id: str
    cable: Cable
    version: int
    current_version: int
    findings: list[Finding]
    versions: list[VersionInfo]
    archive: Archive = field(repr=False, compare=False)

    def text_of(self, number: int) -> str:
        """The exact text of version ``number`` of this cable."""
        return version_text(self.archive, self.reference_id, number)

    def diff(self, old: int, new: int, context: int = 3) -> str:
        """Unified diff from version ``old`` to version ``new`` (empty when identical)."""
        return version_diff(self.archive, self.reference_id, old, new, context)

    def to_dict(self) -> dict[str, Any]:
        """``Cable.to_dict()`` plus ``version``, ``current_version``, ``findings``, ``versions``."""
        out = self.cable.to_dict()
        out["archive_id"] = self.reference_id
        out["version"] = self.version
        out["current_version"] = self.current_version
        out["findings"] = [_finding_dict(f) for f in self.findings]
        out["versions"] = [v.to_dict() for v in self.versions]
        return out


def _finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "code": f.code,
        "message": f.message,
        "severity": f.severity,
        "start": f.start,
        "end": f.end,
    }


def resolve_id(archive: Archive, reference_id: str) -> tuple[int, str] | None:
    """(row id, canonical id) of the cable known by ``reference_id`` in any spelling.

    Tries the id as given, its canonical form (``09 THE HAGUE 2``, ``09THEHAGUE000002``), then
    the id as the publisher printed it on any stored version (damaged ids such as
    ``08ECTION01OF02MANAMA492``).
    """
    wanted = reference_id.strip()
    if not wanted:
        return None
    execute = archive.conn.execute
    for candidate in dict.fromkeys((wanted, wanted.upper(), canonical_id(wanted))):
        row = execute(
            "SELECT id, reference_id FROM cables WHERE reference_id = ?", (candidate,)
        ).fetchone()
        if row:
            return int(row[0]), str(row[1])
    for query in (
        "SELECT id, reference_id FROM cables WHERE published_id = ? LIMIT 1",
        "SELECT c.id, c.reference_id FROM versions v JOIN cables c ON c.id = v.cable_id "
        "WHERE v.published_id = ? LIMIT 1",
    ):
        row = execute(query, (wanted,)).fetchone()
        if row:
            return int(row[0]), str(row[1])
    return None


def _versions(archive: Archive, cable_id: int, current: int) -> list[VersionInfo]:
    rows = archive.conn.execute(
        "SELECT number, source, source_line, released, ingested_at, published_id "
        "FROM versions WHERE cable_id = ? ORDER BY number",
        (cable_id,),
    )
    return [
        VersionInfo(
            number=int(n),
            source=str(source),
            source_line=int(line),
            released=released,
            ingested_at=str(ingested),
            published_id=published,
            current=int(n) == current,
        )
        for n, source, line, released, ingested, published in rows
    ]


def _stored_findings(archive: Archive, cable_id: int) -> list[Finding]:
    rows = archive.conn.execute(
        'SELECT code, message, severity, start, "end" FROM findings '
        "WHERE cable_id = ? ORDER BY position",
        (cable_id,),
    )
    return [
        Finding(code, message, severity, start, end) for code, message, severity, start, end in rows
    ]


def get_cable(
    archive: Archive, reference_id: str, version: int | None = None
) -> StoredCable | None:
    """The stored cable known by ``reference_id`` (any spelling), parsed from version
    ``version`` (default: the current one); ``None`` when the archive does not hold it.

    Raises :class:`CableNotFound` when the cable exists but has no such version.
    """
    found = resolve_id(archive, reference_id)
    if found is None:
        return None
    cable_id, ref_id = found
    current = int(
        archive.conn.execute("SELECT version FROM cables WHERE id = ?", (cable_id,)).fetchone()[0]
    )
    number = current if version is None else version
    row = archive.conn.execute(
        "SELECT text, hints FROM versions WHERE cable_id = ? AND number = ?",
        (cable_id, number),
    ).fetchone()
    versions = _versions(archive, cable_id, current)
    if row is None:
        raise CableNotFound(_no_version(ref_id, number, versions))
    text, hints = row
    cable = parse(text, json.loads(hints))
    findings = _stored_findings(archive, cable_id) if number == current else validate(cable)
    return StoredCable(ref_id, cable, number, current, findings, versions, archive)


def require_cable(archive: Archive, reference_id: str, version: int | None = None) -> StoredCable:
    """``get_cable`` for callers that cannot go on without it: raises :class:`CableNotFound`."""
    stored = get_cable(archive, reference_id, version)
    if stored is None:
        raise CableNotFound(f"{reference_id}: no such cable in {archive.path}")
    return stored


def _no_version(ref_id: str, number: int, versions: list[VersionInfo]) -> str:
    held = ", ".join(str(v.number) for v in versions)
    return f"{ref_id}: no version {number} (versions held: {held})"


def _locate(archive: Archive, reference_id: str) -> tuple[int, str]:
    found = resolve_id(archive, reference_id)
    if found is None:
        raise CableNotFound(f"{reference_id}: no such cable in {archive.path}")
    return found


def _text(archive: Archive, cable_id: int, ref_id: str, number: int) -> str:
    row = archive.conn.execute(
        "SELECT text FROM versions WHERE cable_id = ? AND number = ?",
        (cable_id, number),
    ).fetchone()
    if row is None:
        current = archive.conn.execute("SELECT version FROM cables WHERE id = ?", (cable_id,))
        versions = _versions(archive, cable_id, int(current.fetchone()[0]))
        raise CableNotFound(_no_version(ref_id, number, versions))
    return str(row[0])


def version_text(archive: Archive, reference_id: str, number: int) -> str:
    """The exact text of version ``number`` of a cable; raises :class:`CableNotFound`."""
    cable_id, ref_id = _locate(archive, reference_id)
    return _text(archive, cable_id, ref_id, number)


def version_diff(archive: Archive, reference_id: str, old: int, new: int, context: int = 3) -> str:
    """Unified diff (``difflib``) of a cable's text from version ``old`` to version ``new``.

    Versions differ in more than spacing (redactions changed, a section added), so the diff is
    line by line over the texts as published; an empty string means identical texts.
    """
    cable_id, ref_id = _locate(archive, reference_id)
    before = _text(archive, cable_id, ref_id, old)
    after = _text(archive, cable_id, ref_id, new)
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"{ref_id} version {old}",
        tofile=f"{ref_id} version {new}",
        n=context,
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
