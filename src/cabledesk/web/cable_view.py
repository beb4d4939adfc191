"""What the cable page shows, prepared from a parsed cable: decoded header fields and the text
cut into marked pieces.

The text is never marked up as a string. It is cut into segments (plain text, portion mark,
redaction, REF mention) at the parser's offsets, and the template writes each one as an
escaped text node inside its own element, so no character of a cable can become markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cabledesk.telegram.codes import (
    caption_meaning,
    eo_reason,
    level_of_fl4,
    level_of_portion_mark,
)
from cabledesk.telegram.labels import prosign_label, routing_indicator_label
from cabledesk.telegram.mentions import find_ref_mentions
from cabledesk.telegram.model import Cable
from cabledesk.telegram.tag_codes import tag_meaning

__all__ = [
    "AddresseeRow",
    "RefEntry",
    "Segment",
    "addressee_rows",
    "caption_rows",
    "classification_rows",
    "diff_lines",
    "header_rows",
    "ref_anchor",
    "ref_entries",
    "tag_rows",
    "text_segments",
]


def header_rows(cable: Cable) -> list[tuple[str, str]]:
    """The transmission header decoded: precedence spelled out, routing indicators as posts,
    the DE line, the security warning's level, the DTG with the date it gives."""
    h = cable.header
    filed = h.filing_time or ""
    if len(filed) == 7 and filed.isdigit():
        filed = f"filed day {filed[:3]} at {filed[3:5]}:{filed[5:7]}Z"
    de = " ".join(
        part
        for part in (
            routing_indicator_label(h.station),
            f"#{h.station_serial}" if h.station_serial else "",
            f"section {h.section:02d}" if h.section else "",
            filed,
        )
        if part
    )
    date = cable.date.strftime("%Y-%m-%d %H:%MZ") if cable.date else ""
    rows = [
        ("Transmission", h.transmission_id or ""),
        ("Precedence", prosign_label(h.precedence_prosign)),
        ("Delivered to", "; ".join(routing_indicator_label(ri) for ri in h.routing_indicators)),
        ("Originator (DE)", de),
        ("Security", f"{h.security} ({level_of_fl4(h.security) or '?'})" if h.security else ""),
        ("FL5 precedence", ", ".join(prosign_label(p) for p in h.fl5_precedence)),
        ("DTG", f"{h.dtg} = {date}" if h.dtg and date else h.dtg or ""),
        ("Page line", h.page_line or ""),
        ("Action offices", " ".join(h.action_offices)),
        ("Info offices", " ".join(h.info_offices)),
    ]
    return [(k, v) for k, v in rows if v]


def classification_rows(cable: Cable) -> list[tuple[str, str]]:
    """Classification, marking, handling, declassification and who classified it, and why."""
    line = cable.classification_line
    decl = cable.declassification
    declass = ""
    if decl:
        when = decl.declassify_on.isoformat() if decl.declassify_on else decl.instruction or "?"
        declass = f"E.O. {decl.order or '?'}: {when}"
    by = cable.classified_by
    reasons = []
    for reason in by.reasons if by else []:
        known = eo_reason(reason)
        reasons.append(f"{reason} {known.text}" if known else reason)
    rows = [
        ("Classification", cable.classification or ""),
        ("Marking", line.marking if line else ""),
        ("Handling", "; ".join(cable.handling)),
        ("Declassify", declass),
        ("Classified by", ", ".join(x for x in (by.name, by.title) if x) if by else ""),
        ("Reasons", "; ".join(reasons)),
    ]
    return [(k, v) for k, v in rows if v]


def caption_rows(cable: Cable) -> list[tuple[str, str]]:
    """Each caption with its meaning (empty when the tables do not know it)."""
    return [(c, caption_meaning(c) or "") for c in cable.captions]


def tag_rows(cable: Cable) -> list[tuple[str, str, str]]:
    """(code, kind, meaning) of each TAGS entry."""
    return [(t.code, t.kind, tag_meaning(t.code) or "") for t in cable.tags]


@dataclass(frozen=True, slots=True)
class AddresseeRow:
    role: str
    routing: str
    address: str
    precedence: str
    mcn: str


def addressee_rows(cable: Cable) -> list[AddresseeRow]:
    """FM / TO / INFO / XMT, each routing indicator with its post; no word is ROUTINE."""
    roles = [
        ("from", [cable.from_] if cable.from_ else []),
        ("to", cable.to),
        ("info", cable.info),
        ("xmt", cable.xmt),
    ]
    return [
        AddresseeRow(
            role,
            routing_indicator_label(a.routing_indicator),
            a.address,
            a.precedence or ("ROUTINE" if role in ("to", "info") else ""),
            a.mcn or "",
        )
        for role, people in roles
        for a in people
    ]


def ref_anchor(index: int) -> str:
    """The id of the REF entry at ``index`` in ``Cable.references`` on the page."""
    return f"ref-{index + 1}"


@dataclass(frozen=True, slots=True)
class RefEntry:
    """A REF entry as listed: its status is ``held``, ``not held`` or ``unresolved``."""

    anchor: str
    letter: str | None
    kind: str
    text: str
    cited_id: str | None
    status: str
    cited_date: str | None
    cited_subject: str | None


def ref_entries(cable: Cable, held: Mapping[str, tuple[str | None, str | None]]) -> list[RefEntry]:
    """The REF block, each entry with the cited cable's status, date and subject."""
    out = []
    for i, ref in enumerate(cable.references):
        known = held.get(ref.cable_id) if ref.cable_id else None
        status = "unresolved" if not ref.cable_id else "held" if known else "not held"
        out.append(
            RefEntry(
                anchor=ref_anchor(i),
                letter=ref.letter,
                kind=ref.kind,
                text=ref.text,
                cited_id=ref.cable_id,
                status=status,
                cited_date=known[0] if known else None,
                cited_subject=known[1] if known else None,
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of the text: ``kind`` is ``text``, ``portion``, ``redaction`` or ``mention``;
    ``href`` links a mention to its REF entry."""

    text: str
    kind: str = "text"
    title: str = ""
    href: str = ""


def _marks(cable: Cable) -> list[tuple[int, int, str, str, str]]:
    """(start, end, kind, title, href) of every marked run, in text order."""
    text = cable.text
    marks: list[tuple[int, int, str, str, str]] = []
    for p in cable.paragraphs:
        if p.mark:
            pos = text.find(f"({p.mark})", p.start, p.end)
            if pos >= 0:
                level = level_of_portion_mark(p.mark)
                title = f"portion mark: {level}" if level else "portion mark"
                marks.append((pos, pos + len(p.mark) + 2, "portion", title, ""))
    for span in cable.redactions:
        n = span.end - span.start
        marks.append((span.start, span.end, "redaction", f"redacted ({n} characters)", ""))
    tied: dict[tuple[int, int], list[int]] = {}
    for m in find_ref_mentions(cable):
        targets = tied.setdefault((m.start, m.end), [])
        if m.ref_index is not None:
            targets.append(m.ref_index)
    for (start, end), targets in tied.items():
        if targets:
            refs = [cable.references[i] for i in targets]
            names = ", ".join(
                f"REF {r.letter or '?'}" + (f" = {r.cable_id}" if r.cable_id else "") for r in refs
            )
            marks.append((start, end, "mention", names, "#" + ref_anchor(targets[0])))
        else:
            marks.append((start, end, "mention", "names no entry of the REF block", ""))
    marks.sort(key=lambda m: (m[0], -m[1]))
    return marks


def text_segments(cable: Cable) -> list[Segment]:
    """The whole text, in order, cut at portion marks, redactions and REF mentions (a run
    overlapping an earlier one is left unmarked)."""
    text = cable.text
    out: list[Segment] = []
    at = 0
    for start, end, kind, title, href in _marks(cable):
        if start < at or end <= start or end > len(text):
            continue
        if start > at:
            out.append(Segment(text[at:start]))
        out.append(Segment(text[start:end], kind, title, href))
        at = end
    if at < len(text):
        out.append(Segment(text[at:]))
    return out


def diff_lines(diff: str) -> list[tuple[str, str]]:
    """A unified diff as (kind, line): ``file``, ``hunk``, ``add``, ``del`` or ``same``."""
    out = []
    for line in diff.splitlines():
        if line.startswith(("+++", "---")):
            kind = "file"
        elif line.startswith("@@"):
            kind = "hunk"
        elif line.startswith("+"):
            kind = "add"
        elif line.startswith("-"):
            kind = "del"
        else:
            kind = "same"
        out.append((kind, line))
    return out
