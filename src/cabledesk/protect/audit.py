"""The leak audit: which names does an already-redacted release still give away?

Three rules (``docs/audit.md``): ``shape`` (a readable name in a sentence shaped like the
redacted ones, the "according to Chun" case), ``version`` (a name one version of a cable
redacts and another prints) and ``cross-cable`` (a redacted sentence printed with the name in
another cable). Header officials (signer, Classified By, drafters) are never flagged. Findings
are deduplicated and ranked by risk, then reference id, then offset.
"""

from __future__ import annotations

import functools
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from cabledesk.archive.store import Archive
from cabledesk.protect.cross_leaks import (
    Context,
    context_matches,
    fts_query,
    index_contexts,
    redaction_contexts,
)
from cabledesk.protect.model import AuditFinding
from cabledesk.protect.officials import official_names
from cabledesk.protect.rarity import cable_words, corpus_frequency
from cabledesk.protect.shape_leaks import shape_findings
from cabledesk.protect.version_leaks import version_findings
from cabledesk.services.reading import get_cable
from cabledesk.telegram.model import Cable

__all__ = ["RULES", "audit_archive", "audit_cables", "leak_prone_ids", "rank"]

RULES = ("shape", "version", "cross-cable")
_CANDIDATES_PER_CONTEXT = 50


def rank(findings: Iterable[AuditFinding]) -> list[AuditFinding]:
    """One finding per (cable, offset, name), the riskiest; highest risk first, then by
    reference id and offset."""
    best: dict[tuple[str, int, str], AuditFinding] = {}
    for f in findings:
        key = (f.reference_id, f.offset, f.name)
        if key not in best or f.risk > best[key].risk:
            best[key] = f
    return sorted(best.values(), key=lambda f: (-f.risk, f.reference_id, f.offset))


def _reference_id(cable: Cable, position: int) -> str:
    return cable.canonical_id or cable.reference_id or f"cable-{position + 1}"


def _shape(
    cable: Cable, reference_id: str, officials: frozenset[str], naming: Callable[[str], int]
) -> list[AuditFinding]:
    return list(shape_findings(cable, reference_id, officials, naming))


def audit_cables(
    cables: Iterable[Cable], labels: Sequence[str] | None = None
) -> list[AuditFinding]:
    """Audit cable files: ``labels`` (file names) name the versions in findings' details.
    Files that share a reference id are versions of one cable."""
    items = list(cables)
    groups: dict[str, list[tuple[Cable, str]]] = {}
    for i, cable in enumerate(items):
        label = labels[i] if labels is not None and i < len(labels) else f"file {i + 1}"
        groups.setdefault(_reference_id(cable, i), []).append((cable, label))
    df: Counter[str] = Counter()
    for versions in groups.values():
        words: set[str] = set()
        for cable, _label in versions:
            words |= cable_words(cable.text)
        df.update(words)
    frequency = corpus_frequency()

    def naming(word: str) -> int:
        return max(frequency.get(word, 0), df.get(word, 0))

    findings: list[AuditFinding] = []
    contexts: list[Context] = []
    for ref, versions in groups.items():
        officials = frozenset().union(*(official_names(c) for c, _label in versions))
        seen: set[tuple[str, int | None]] = set()
        for cable, _label in versions:
            for f in _shape(cable, ref, officials, naming):
                if (f.name, f.paragraph) not in seen:
                    findings.append(f)
            seen |= {(f.name, f.paragraph) for f in findings if f.reference_id == ref}
            contexts.extend(redaction_contexts(cable, ref))
        if len(versions) > 1:
            findings.extend(version_findings(ref, versions))
    index = index_contexts(contexts)
    for ref, versions in groups.items():
        for cable, _label in versions:
            findings.extend(context_matches(index, cable, ref, naming))
    return rank(findings)


def audit_archive(
    archive: Archive, reference_ids: Iterable[str] | None = None
) -> list[AuditFinding]:
    """Audit the cables of an archive (all, or those named): the current version of each by
    the ``shape`` rule, all its versions by ``version``, and the whole archive (FTS5) for
    sentences that print what these cables redact."""
    conn = archive.conn
    if reference_ids is None:
        ids = [
            str(r[0]) for r in conn.execute("SELECT reference_id FROM cables ORDER BY reference_id")
        ]
    else:
        ids = list(reference_ids)
    frequency = corpus_frequency()
    naming = _archive_naming(conn, frequency)
    findings: list[AuditFinding] = []
    contexts: list[Context] = []
    for wanted in ids:
        stored = get_cable(archive, wanted)
        if stored is None:
            continue
        ref = stored.reference_id
        versions: list[tuple[Cable, str]] = [(stored.cable, f"version {stored.version}")]
        for info in stored.versions:
            if info.number != stored.version:
                older = get_cable(archive, ref, info.number)
                if older is not None:
                    versions.append((older.cable, f"version {info.number}"))
        officials = frozenset().union(*(official_names(c) for c, _label in versions))
        findings.extend(_shape(stored.cable, ref, officials, naming))
        if len(versions) > 1:
            findings.extend(version_findings(ref, versions))
        contexts.extend(redaction_contexts(stored.cable, ref))
    findings.extend(_archive_cross(archive, contexts, naming))
    return rank(findings)


def leak_prone_ids(archive: Archive, limit: int | None = None) -> tuple[list[str], int]:
    """The cables an audit learns most from, in id order: those with redactions (the shape and
    cross-cable rules look around them) or with several versions (the version rule). Returns
    at most ``limit`` ids and how many there are in all."""
    where = "redaction_count > 0 OR version > 1"
    total = int(archive.conn.execute(f"SELECT count(*) FROM cables WHERE {where}").fetchone()[0])
    sql = f"SELECT reference_id FROM cables WHERE {where} ORDER BY id"
    params: tuple[int, ...] = ()
    if limit is not None:
        sql += " LIMIT ?"
        params = (limit,)
    return [str(r) for (r,) in archive.conn.execute(sql, params)], total


def _archive_naming(conn: sqlite3.Connection, frequency: dict[str, int]) -> Callable[[str], int]:
    """Cables naming a word: the archive's FTS5 count or the corpus table, whichever is more."""

    @functools.lru_cache(maxsize=65536)
    def naming(word: str) -> int:
        phrase = '"' + word.replace('"', "") + '"'
        try:
            row = conn.execute(
                "SELECT count(*) FROM cables_fts WHERE cables_fts MATCH ?", (phrase,)
            ).fetchone()
        except sqlite3.OperationalError:
            row = (0,)
        return max(frequency.get(word, 0), int(row[0]))

    return naming


def _archive_cross(
    archive: Archive, contexts: list[Context], naming: Callable[[str], int]
) -> list[AuditFinding]:
    """Cables of the archive holding a redaction's context words with something between."""
    wanted: dict[int, list[Context]] = {}
    for context in contexts:
        try:
            rows = archive.conn.execute(
                "SELECT rowid FROM cables_fts WHERE cables_fts MATCH ? LIMIT ?",
                (fts_query(context), _CANDIDATES_PER_CONTEXT),
            ).fetchall()
        except sqlite3.OperationalError:
            continue
        for (rowid,) in rows:
            wanted.setdefault(int(rowid), []).append(context)
    findings: list[AuditFinding] = []
    for rowid, found in wanted.items():
        row = archive.conn.execute(
            "SELECT reference_id FROM cables WHERE id = ?", (rowid,)
        ).fetchone()
        stored = get_cable(archive, str(row[0])) if row else None
        if stored is None:
            continue
        index = index_contexts(found)
        findings.extend(context_matches(index, stored.cable, stored.reference_id, naming))
    return findings
