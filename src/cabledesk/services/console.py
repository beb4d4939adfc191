"""The reading services' results as Rich renderables, for ``cabledesk show``, ``refs`` and ``stats``.

Every value that comes from a cable is hostile input: it is put on screen as a ``Text`` (never
parsed as Rich markup) with terminal control characters replaced, so a cable cannot restyle
the terminal, move its cursor or forge a link.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from cabledesk.services.reading import StoredCable
from cabledesk.services.refs import CableReferences, Mention
from cabledesk.services.stats import ArchiveStats, QuarantineEntry
from cabledesk.telegram.codes import (
    caption_meaning,
    eo_reason,
    level_of_fl4,
)
from cabledesk.telegram.labels import prosign_label, routing_indicator_label
from cabledesk.telegram.mentions import find_ref_mentions
from cabledesk.telegram.model import Addressee, Cable
from cabledesk.telegram.tag_codes import tag_meaning

__all__ = [
    "cable_view",
    "quarantine_view",
    "refs_view",
    "safe",
    "stats_view",
    "styled_text",
]

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
STATUS_STYLE = {"held": "green", "not held": "yellow", "unresolved": "red"}


def safe(value: object, style: str = "") -> Text:
    """``value`` as plain terminal text: control characters (ESC, CR, C1 codes) become ``�``,
    one for one, so offsets into the text still hold."""
    return Text(_CONTROL.sub("\ufffd", "" if value is None else str(value)), style=style)


def _pairs(title: str, rows: Iterable[tuple[str, object]]) -> Table:
    table = Table(show_header=False, box=None, title=title, title_justify="left", pad_edge=False)
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for key, value in rows:
        if value not in (None, "", []):
            table.add_row(key, value if isinstance(value, Text) else safe(value))
    return table


def _grid(title: str, columns: list[str]) -> Table:
    table = Table(title=title, title_justify="left", header_style="bold")
    for name in columns:
        table.add_column(name)
    return table


def _header(cable: Cable) -> Table:
    h = cable.header
    de = " ".join(
        part
        for part in (
            routing_indicator_label(h.station),
            f"#{h.station_serial}" if h.station_serial else "",
            f"section {h.section:02d}" if h.section else "",
            f"filed day {h.filing_time[:3]} at {h.filing_time[3:5]}:{h.filing_time[5:7]}Z"
            if h.filing_time and len(h.filing_time) == 7
            else (h.filing_time or ""),
        )
        if part
    )
    security = f"{h.security} ({level_of_fl4(h.security) or '?'})" if h.security else ""
    date = cable.date.strftime("%Y-%m-%d %H:%MZ") if cable.date else ""
    rows: list[tuple[str, object]] = [
        ("transmission", h.transmission_id),
        ("precedence", cable.precedence),
        ("FL2 precedence", prosign_label(h.precedence_prosign)),
        ("delivered to", "\n".join(routing_indicator_label(ri) for ri in h.routing_indicators)),
        ("DE (originator)", de),
        ("security", security),
        ("FL5 precedence", ", ".join(prosign_label(p) for p in h.fl5_precedence)),
        ("DTG", f"{h.dtg} = {date}" if h.dtg and date else h.dtg),
        ("date", f"{date} ({cable.date_source})" if date else ""),
        ("origin", f"{cable.origin or '?'} ({cable.station or '?'})"),
        ("page line", h.page_line),
        ("action offices", " ".join(h.action_offices)),
        ("info offices", " ".join(h.info_offices)),
    ]
    return _pairs("Header", rows)


def _addressees(cable: Cable) -> Table | None:
    roles: list[tuple[str, list[Addressee]]] = [
        ("from", [cable.from_] if cable.from_ else []),
        ("to", cable.to),
        ("info", cable.info),
        ("xmt", cable.xmt),
    ]
    if not any(people for _role, people in roles):
        return None
    table = _grid("Addressees", ["role", "routing indicator", "address", "precedence", "MCN"])
    for role, people in roles:
        for a in people:
            table.add_row(
                role,
                safe(routing_indicator_label(a.routing_indicator)),
                safe(a.address),
                safe(a.precedence),
                safe(a.mcn),
            )
    return table


def _reason(reason: str) -> str:
    """``1.4(b)`` -> ``1.4(b) foreign government information``."""
    known = eo_reason(reason)
    return f"{reason} {known.text}" if known else reason


def _classification(cable: Cable) -> Table:
    line = cable.classification_line
    captions = Text("\n").join(
        safe(f"{c} — {caption_meaning(c)}" if caption_meaning(c) else c) for c in cable.captions
    )
    decl = cable.declassification
    declass = ""
    if decl:
        when = decl.declassify_on.isoformat() if decl.declassify_on else decl.instruction or "?"
        declass = f"E.O. {decl.order or '?'}: {when}"
    by = cable.classified_by
    reasons = ""
    if by and by.reasons:
        reasons = "\n".join(_reason(r) for r in by.reasons)
    rows: list[tuple[str, object]] = [
        ("classification", cable.classification),
        ("marking", line.marking if line else None),
        ("captions", captions if cable.captions else None),
        ("handling", "\n".join(cable.handling)),
        ("declassification", declass),
        ("classified by", ", ".join(x for x in (by.name, by.title) if x) if by else None),
        ("reasons", reasons),
    ]
    return _pairs("Classification", rows)


def _tags(cable: Cable) -> Table | None:
    if not cable.tags:
        return None
    table = _grid("TAGS", ["tag", "kind", "meaning"])
    for tag in cable.tags:
        table.add_row(safe(tag.code, "bold"), safe(tag.kind), safe(tag_meaning(tag.code)))
    return table


def _references(cable: Cable, held: set[str]) -> Table | None:
    if not cable.references:
        return None
    table = _grid("References", ["", "kind", "as written", "cable", "status"])
    for ref in cable.references:
        status = (
            "unresolved" if not ref.cable_id else "held" if ref.cable_id in held else "not held"
        )
        table.add_row(
            safe(ref.letter),
            safe(ref.kind),
            safe(ref.text),
            safe(ref.cable_id),
            safe(status, STATUS_STYLE[status]),
        )
    return table


def _findings(stored: StoredCable) -> Table | None:
    if not stored.findings:
        return None
    table = _grid("Findings", ["code", "at", "message"])
    for f in stored.findings:
        table.add_row(safe(f.code, "yellow"), safe(f.start), safe(f.message))
    return table


def _versions(stored: StoredCable) -> Table:
    table = _grid("Versions", ["", "released", "ingested", "source", "published id"])
    for v in stored.versions:
        marker = "*" if v.number == stored.version else ""
        table.add_row(
            f"{v.number}{marker}",
            safe(v.released),
            safe(v.ingested_at[:19]),
            safe(f"{v.source}:{v.source_line}" if v.source_line > 1 else v.source),
            safe(v.published_id),
        )
    return table


def styled_text(cable: Cable) -> Text:
    """The cable text with portion marks, redactions and REF mentions styled."""
    text = safe(cable.text)
    for p in cable.paragraphs:
        if p.mark:
            pos = cable.text.find(f"({p.mark})", p.start, p.end)
            if pos >= 0:
                text.stylize("bold magenta", pos, pos + len(p.mark) + 2)
    for span in cable.redactions:
        text.stylize("reverse red", span.start, span.end)
    for m in find_ref_mentions(cable):
        text.stylize("underline cyan", m.start, m.end)
    return text


def cable_view(stored: StoredCable, held: set[str]) -> list[RenderableType]:
    """Everything ``cabledesk show`` prints, in reading order; ``held`` are the cited ids the
    archive holds (for the references' status)."""
    cable = stored.cable
    title = Text.assemble(
        (stored.reference_id, "bold"), "  ", safe(cable.subject or "(no subject)")
    )
    parts: list[RenderableType | None] = [
        Rule(title, align="left"),
        _header(cable),
        _addressees(cable),
        _classification(cable),
        _tags(cable),
        _pairs("Subject", [("subject", cable.subject), ("mark", cable.subject_mark)]),
        _references(cable, held),
        _findings(stored),
        _versions(stored),
        Rule(f"Text (version {stored.version})", align="left"),
        styled_text(cable),
    ]
    return [p for p in parts if p is not None]


def _mention_line(m: Mention) -> Text:
    return Text.assemble(("    “", "dim"), safe(m.context), ("”", "dim"))


def refs_view(refs: CableReferences) -> list[RenderableType]:
    """``cabledesk refs``: each REF with its status and mentions, untied mentions, citers."""
    head = Text.assemble((refs.reference_id, "bold"), "  ", safe(refs.subject or ""))
    if not refs.held:
        head.append("  (not in the archive; known from the cables citing it)", "yellow")
    parts: list[RenderableType] = [Rule(head, align="left")]
    if refs.held:
        lines: list[RenderableType] = []
        for ref in refs.references:
            entry = Text.assemble(
                (f"{ref.letter or '-'}. ", "bold"),
                safe(ref.text),
                "  ",
                safe(ref.cited_id or "", "bold"),
                "  ",
                safe(ref.status, STATUS_STYLE[ref.status]),
            )
            if ref.cited_subject:
                entry.append_text(safe(f"  {ref.cited_date or ''} {ref.cited_subject}", "dim"))
            lines.append(entry)
            lines.extend(_mention_line(m) for m in ref.mentions)
        parts.append(Group(Text("Cites", "bold underline"), *lines))
        if refs.untied:
            untied = [
                Group(Text.assemble((f"  {m.text}", "bold")), _mention_line(m)) for m in refs.untied
            ]
            parts.append(Group(Text("Mentions tied to no REF entry", "bold underline"), *untied))
    if not refs.cited_by:
        parts.append(Text("Cited by no cable in the archive", "bold"))
        return parts
    table = _grid(f"Cited by ({len(refs.cited_by)})", ["cable", "as", "date", "origin", "subject"])
    for c in refs.cited_by:
        table.add_row(
            safe(c.reference_id, "bold"),
            safe(",".join(x or "-" for x in c.letters)),
            safe((c.date or "")[:10]),
            safe(c.origin),
            safe(c.subject),
        )
    parts.append(table)
    return parts


def stats_view(stats: ArchiveStats, top: int = 15, covered: int = 5) -> list[RenderableType]:
    """``cabledesk stats``: counts, the ``top`` posts, coverage by year of the ``covered``
    busiest, quarantine reasons."""
    counts = _grid("Archive", ["cables", "versions", "quarantined"])
    counts.add_row(*(str(stats.counts[k]) for k in ("cables", "versions", "quarantined")))
    origins = _grid(f"Top {top} origins", ["origin", "cables"])
    for origin, n in stats.origins[:top]:
        origins.add_row(safe(origin or "?"), str(n))
    leaders = {o for o, _n in stats.origins[:covered]}
    cover = _grid(
        f"Coverage of the top {covered} origins", ["origin", "year", "held", "highest", "coverage"]
    )
    for c in stats.coverage:
        if c.origin in leaders:
            cover.add_row(
                safe(c.origin),
                str(c.year),
                str(c.held),
                safe(f"{c.highest_serial} ({c.highest_id})"),
                f"{100 * c.coverage:.1f}%",
            )
    parts: list[RenderableType] = [counts, origins, cover]
    if stats.quarantine_reasons:
        reasons = _grid("Quarantine (top reasons)", ["reason", "records"])
        for reason, n in stats.quarantine_reasons:
            reasons.add_row(safe(reason), str(n))
        parts.append(reasons)
    return parts


def quarantine_view(entries: list[QuarantineEntry]) -> Table:
    """``cabledesk stats --quarantine``: file, line and reason of every quarantined record."""
    table = _grid(f"Quarantined records ({len(entries)})", ["file", "line", "reason"])
    for e in entries:
        table.add_row(safe(e.source), str(e.line), safe(e.reason))
    return table
