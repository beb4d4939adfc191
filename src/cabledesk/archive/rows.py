"""A parsed cable flattened into the archive's table rows, ready to insert.

Built in the worker processes (``prepare``) so the single writer only inserts: parsing and
flattening run on every core while SQLite, which has one writer, does nothing else.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from cabledesk.archive.terms import Postings, count_terms, postings
from cabledesk.errors import ParseError
from cabledesk.sources.records import RawCable
from cabledesk.telegram import Cable, parse, validate
from cabledesk.telegram.ids import split_id
from cabledesk.telegram.mentions import find_ref_mentions

__all__ = ["CableRows", "Failure", "content_hash", "prepare", "text_hash"]

Row = tuple[object, ...]


def text_hash(text: str) -> str:
    """The exact text's identity: a re-run skips a text already ingested without parsing it."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def content_hash(text: str) -> str:
    """Identity of a text after whitespace normalisation: two texts that differ only in spacing
    or line wrapping are one version of a cable, anything more makes a new version."""
    return text_hash(" ".join(text.split()))


@dataclass(slots=True)
class CableRows:
    """Everything the writer stores for one version of one cable (rows without ``cable_id``)."""

    reference_id: str
    published_id: str | None
    text_hash: str
    content_hash: str
    source: str
    source_line: int
    released: str | None
    hints: str
    cable: Row
    subject: str | None
    text: str
    addressees: list[Row] = field(default_factory=list)
    tags: list[Row] = field(default_factory=list)
    captions: list[Row] = field(default_factory=list)
    refs: list[Row] = field(default_factory=list)
    ref_mentions: list[Row] = field(default_factory=list)
    paragraphs: list[Row] = field(default_factory=list)
    redactions: list[Row] = field(default_factory=list)
    findings: list[Row] = field(default_factory=list)
    counted: bool = False
    """Whether ``terms`` was computed (a worker counts once the archive has a word set)."""
    terms: Postings | None = None
    """The kept words' counts (archive/terms.py); None when FTS5 must score this cable."""

    def count_terms(self, positions: dict[bytes, int]) -> Postings | None:
        """``terms``, computed here unless a worker did."""
        if not self.counted:
            self.terms = postings(count_terms(self.subject, self.text), positions)
            self.counted = True
        return self.terms


@dataclass(slots=True, frozen=True)
class Failure:
    """A record that could not be stored: goes to the quarantine table."""

    source: str
    line: int
    reason: str


def _serial(reference_id: str) -> int | None:
    """The station serial in the id (``07MOSCOW104`` -> 104), for coverage statistics."""
    parts = split_id(reference_id)
    return int(parts[2]) if parts and parts[2].isdigit() else None


def _iso(value: object) -> str | None:
    if value is None:
        return None
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text.replace("+00:00", "Z")


def _flatten(cable: Cable, raw: RawCable, thash: str) -> CableRows:
    ref_id = cable.canonical_id or cable.reference_id
    if not ref_id:
        raise ParseError("no reference id in the text or the source's metadata", 0, raw.source)
    date = _iso(cable.date)
    released = raw.hints.get("released")
    cable_row: Row = (
        ref_id,
        cable.reference_id if cable.reference_id != ref_id else None,
        date,
        cable.date.year if cable.date else None,
        cable.origin,
        cable.station,
        _serial(ref_id),
        cable.classification,
        cable.precedence,
        cable.subject,
        cable.summary,
        _iso(cable.declassify_on),
        cable.shape,
        int(cable.partial),
        int(cable.truncated),
        json.dumps(cable.signers, ensure_ascii=False),
        len(cable.redactions),
    )
    rows = CableRows(
        reference_id=ref_id,
        published_id=cable.reference_id,
        text_hash=thash,
        content_hash=content_hash(raw.text),
        source=raw.source,
        source_line=raw.line,
        released=str(released) if released else None,
        hints=json.dumps(raw.hints, ensure_ascii=False, default=str, sort_keys=True),
        cable=cable_row,
        subject=cable.subject,
        text=cable.text,
    )
    roles = (("from", [cable.from_] if cable.from_ else []), ("to", cable.to), ("info", cable.info))
    for role, people in (*roles, ("xmt", cable.xmt)):
        rows.addressees.extend(
            (role, i, a.routing_indicator, a.address, a.precedence, a.mcn)
            for i, a in enumerate(people)
        )
    rows.tags = [(i, t.code, t.kind) for i, t in enumerate(cable.tags)]
    rows.captions = [(c,) for c in dict.fromkeys(cable.captions)]
    rows.refs = [
        (i, r.letter, r.kind, r.text, r.cable_id, r.start, r.end)
        for i, r in enumerate(cable.references)
    ]
    rows.ref_mentions = [
        (i, m.kind, m.letter, m.ref_index, m.text, m.start, m.end)
        for i, m in enumerate(find_ref_mentions(cable))
    ]
    rows.paragraphs = [
        (i, p.number, p.mark, p.start, p.end) for i, p in enumerate(cable.paragraphs)
    ]
    rows.redactions = [(i, s.start, s.end) for i, s in enumerate(cable.redactions)]
    rows.findings = [
        (i, f.code, f.severity, f.message, f.start, f.end) for i, f in enumerate(validate(cable))
    ]
    return rows


def prepare(
    raw: RawCable, positions: dict[bytes, int] | None = None, thash: str | None = None
) -> CableRows | Failure:
    """Parse one raw cable and flatten it; a cable that cannot be parsed becomes a Failure.
    With the archive's word set (``positions``), its counts are computed too; ``thash``:
    its ``text_hash`` when the caller has it.

    Any exception is caught here, in the worker, so one hostile input never stops a batch;
    the message names the file and line.
    """
    thash = thash or text_hash(raw.text)
    try:
        cable = parse(raw.text, raw.hints)
        rows = _flatten(cable, raw, thash)
        if positions is not None:
            rows.count_terms(positions)
        return rows
    except ParseError as exc:
        return Failure(raw.source, raw.line + max(exc.line - 1, 0), exc.reason)
    except RecursionError:
        return Failure(raw.source, raw.line, "text too deeply nested to parse")
    except Exception as exc:  # a parser bug must not lose the batch; it is reported, not hidden
        return Failure(raw.source, raw.line, f"internal error: {type(exc).__name__}: {exc}")
