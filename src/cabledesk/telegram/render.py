"""``render(cable) -> str``: a parsed cable written back as a telegram.

The layout follows the source shape (format.md §1-§2, ACP 127 Annex B format lines): publisher's
preamble, partial-extract notice, FL1-FL5, legacy print lines, FM/TO/INFO/XMT, then the text
(classification line first, ACP 127 §209; captions one per line, 5 FAH-2 H-252.1-1a; E.O., TAGS,
SUBJECT, REF, Classified By; numbered paragraphs with portion marks, 5 FAH-1 H-246.2; signer).
Everything is written from the model's fields: ``cable.text`` is never read, so a model edited
or built by hand renders the same way as a parsed one. Nothing is wrapped: a paragraph's text is
written as the model holds it (the parser keeps the source's line breaks in it), one line when
it has none; the result ends with ``\\n``. Where a free-text field has several spellings
(TAGS, REF entries, Classified By), the line is read back with the field's own reader and
another spelling is chosen if the first would not give the same field again.
"""

from __future__ import annotations

import datetime as dt
import re

from cabledesk.telegram import classified_by, references, tags
from cabledesk.telegram.body import opens_sub_item
from cabledesk.telegram.model import (
    Addressee,
    BreakLine,
    Cable,
    ClassificationLine,
    ClassifiedBy,
    Declassification,
    Paragraph,
    TransmissionHeader,
)

__all__ = ["render"]

PARTIAL_NOTICE = (
    "This record is a partial extract of the original cable. "
    "The full text of the original cable is not available."
)
_PREAMBLE_KEYS = ("reference_id", "subject", "date", "classification", "origin")
_HEADING_MAX = 100
_RULE = re.compile(r"-{3,}")
_SENTENCE_END = frozenset(".:;?!\"'")
_TITLE_STOP = re.compile(r"[ \t]*¶?\d{1,3}\.")
_ELLIPSIS = ("...", "…")
_HEADER_ENDS = "----------------- header ends ----------------"


def render(cable: Cable) -> str:
    """The telegram for ``cable``, built from its fields alone (never from ``cable.text``)."""
    lines: list[str] = []
    if cable.shape == "preamble" and all(cable.preamble.get(k) for k in _PREAMBLE_KEYS):
        lines.extend(cable.preamble[k] for k in _PREAMBLE_KEYS)
    if cable.partial:
        lines.extend((PARTIAL_NOTICE, ""))
    if cable.date is not None and cable.date_source == "date_line":
        # The page's own date line (partial extracts carry no DTG): "Cable dated:<ISO>".
        when = cable.date.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
        lines.extend((f"Cable dated:{when}", ""))
    head = _header_lines(cable.header) + _address_lines(cable)
    if cable.shape == "record" and cable.preamble:
        lines.extend(_record_lines(cable.preamble, head))
    else:
        lines.extend(head)
    if lines:
        lines.append("")
    lines.extend(_text_lines(cable))
    while lines and not lines[-1]:
        lines.pop()
    last = (
        lines[-2] if len(lines) > 1 and _RULE.fullmatch(lines[-1]) else lines[-1] if lines else ""
    )
    if cable.truncated and not last.rstrip().endswith(_ELLIPSIS):
        lines.append("...")  # WikiLeaks' mark of a text cut short (corpus README)
    return "\n".join(lines) + "\n"


# --- heading (FL1-FL9) ---------------------------------------------------------------------


def _header_lines(h: TransmissionHeader) -> list[str]:
    out: list[str] = []
    # FL1 (ACP 127 §202c(1)): V ZCZC + channel designator + serial.
    if h.transmission_id:
        out.append(h.transmission_id)
    elif h.channel:
        out.append(f"VZCZC{h.channel}{h.channel_serial or ''}")
    # FL2 (ACP 127 §151a, 5 FAH-2 H-321.2-1): repeated prosign, then routing indicators.
    fl2 = _join(h.precedence_prosign, *h.routing_indicators)
    if fl2:
        out.append(fl2)
    # FL3 (ACP 127 Annex B, §115, §129): DE + RI + #serial[/section] + Julian filing time.
    if h.station:
        serial = f"#{h.station_serial}" if h.station_serial else None
        if serial and h.section is not None:
            serial += f"/{h.section:02d}"
        out.append(_join("DE", h.station, serial, h.filing_time))
    # FL4 (ACP 127 §203): security warning first, then other operating signals.
    fl4 = _join(h.security, *h.operating_signals)
    if fl4:
        out.append(fl4)
    # FL5 (ACP 127 §113, §152b): precedence prosign(s), DTG, operating signals.
    if h.fl5_precedence or h.dtg:
        out.append(_join(*h.fl5_precedence, h.dtg, *h.fl5_signals))
    # Legacy State print format (format.md §1.4).
    if h.page_line:
        out.append(h.page_line)
    if h.action_offices:
        out.append(_join("ACTION", *h.action_offices))
    if h.info_offices:
        out.append(_join("INFO", *h.info_offices))
    return out


def _address(a: Addressee) -> str:
    """``RI/PLAD [PRECEDENCE] [MCN]`` (5 FAH-2 H-321.6-.8); ROUTINE is written as no word."""
    plad = f"{a.routing_indicator}/{a.address}" if a.routing_indicator else a.address
    return _join(plad, a.precedence, a.mcn)


def _address_lines(cable: Cable) -> list[str]:
    """FL6-FL9: one address per line, the first of each block prefixed (ACP 127 Annex B).

    XMT (FL9) exempts addressees from a collective; State writes the XMT lines after the whole
    addressee list (all six corpus cables with XMT do), so they go last.
    """
    out: list[str] = []
    if cable.from_ is not None:
        out.append("FM " + _address(cable.from_))
    for prefix, block in (("TO ", cable.to), ("INFO ", cable.info), ("XMT ", cable.xmt)):
        for i, a in enumerate(block):
            out.append((prefix if i == 0 else "") + _address(a))
    return out


def _record_lines(fields: dict[str, str], head: list[str]) -> list[str]:
    """The cables.csv record shape (format.md §1.3): fields, ``header:``, the header, a rule."""
    out = [f"date: {fields.get('date', '')}", f"refid: {fields.get('reference_id', '')}"]
    out.append(f"origin: {fields.get('origin', '')}")
    out.append(f"classification: {fields.get('classification', '')}")
    out.append(f"destination: {fields.get('references', '')}")
    out.append("header:")
    out.extend(head)
    out.extend(("", _HEADER_ENDS))
    return out


# --- text (FL12) ---------------------------------------------------------------------------


def _text_lines(cable: Cable) -> list[str]:
    out: list[str] = []
    if cable.classification_line is not None:
        out.extend((_classification_line(cable.classification_line), ""))
    front: list[str] = []
    front.extend(cable.captions)
    front.extend(cable.handling)
    if cable.declassification is not None:
        front.append(_declassification(cable.declassification))
    if cable.tags:
        front.append(_tags_line([t.code for t in cable.tags]))
    if cable.subject is not None:
        front.append(_subject(cable.subject, cable.subject_mark))
    for line in front:
        out.extend((line, ""))
    if cable.references:
        out.extend(_reference_lines(cable))
        out.append("")
    if cable.classified_by is not None:
        out.extend((_classified_by(cable.classified_by), ""))
    out.extend(_body_lines(cable.paragraphs, cable.breaks, cable.truncated))
    if cable.signers:
        out.append("/".join(cable.signers))
    return out


def _classification_line(c: ClassificationLine) -> str:
    """``marking [SECTION nn OF mm] ORIGINATOR SERIAL`` (ACP 127 §208e(2), §209; State pads)."""
    section = None
    if c.section is not None and c.sections is not None:
        section = f"SECTION {c.section:02d} OF {c.sections:02d}"
    return _join(c.marking, section, c.originator, c.serial)


def _declassification(d: Declassification) -> str:
    """``E.O. 12958: DECL: MM/DD/YYYY`` or ``E.O. 12958: N/A`` (format.md §5.3)."""
    label = f"E.O. {d.order}:" if d.order else None
    if d.declassify_on is not None:
        value = "DECL: " + d.declassify_on.strftime("%m/%d/%Y")
    elif d.order:
        value = d.instruction or ""
    else:
        value = "DECL: " + (d.instruction or "")
    return _join(label, value)


def _tags_line(codes: list[str]) -> str:
    """``TAGS: PREL PHUM RS`` (5 FAH-3 H-010), space-separated as State writes it.

    Person tags (``ZOELLICK, ROBERT``) go in parentheses. When the space-separated line would
    read back as other codes (free-text words that the TAGS reader joins), the legacy
    comma-separated form is used instead (format.md §5.4).
    """
    items = [f"({c})" if "," in c else c for c in codes]
    line = "TAGS: " + " ".join(items)
    if tags.parse_tags(line) != codes:
        line = "TAGS: " + ", ".join(items)
    return line


def _subject(subject: str, mark: str | None) -> str:
    if not mark:
        return f"SUBJECT: {subject}".rstrip()
    mark = mark if mark.startswith("(") else f"({mark})"
    return _join("SUBJECT:", mark, subject)


def _reference_lines(cable: Cable) -> list[str]:
    """``REF: A. ...`` then one line per further letter; each entry's text as written.

    Several entries under one letter (``A. BRASILIA 2799 AND 2764``) share their line,
    comma-separated. The REF reader splits free-text items only at letters and semicolons, so
    when the line would not read back as the same entries, a semicolon-separated line is tried,
    then one line per entry with its letter repeated (``B. X`` / ``B. Y``), then one line per
    entry with the letter on the first only; the first spelling that reads back is used.
    """
    groups: list[tuple[str | None, list[str]]] = []
    for r in cable.references:
        if groups and groups[-1][0] == r.letter:
            groups[-1][1].append(r.text)
        else:
            groups.append((r.letter, [r.text]))
    want = [(r.kind, r.text, r.letter) for r in cable.references]
    first: list[str] | None = None
    for sep in (", ", "; ", None, ""):
        lines: list[str] = []
        for letter, texts in groups:
            lead = f"{letter}. " if letter else ""
            if sep:
                lines.append(lead + sep.join(texts))
            else:
                lines.extend(
                    (lead if j == 0 or sep is None else "") + t for j, t in enumerate(texts)
                )
        lines[0] = "REF: " + lines[0]
        if _read_back(lines, cable) == want:
            return lines
        if first is None:
            first = lines
        if all(len(texts) == 1 for _, texts in groups):
            break  # the other spellings differ only for shared letters
    assert first is not None
    return first


def _read_back(lines: list[str], cable: Cable) -> list[tuple[str, str, str | None]]:
    block = "\n".join(lines) + "\n"
    refs, _ = references.find_references(block, 0, len(block), cable.year, cable.canonical_id)
    return [(r.kind, r.text, r.letter) for r in refs]


def _reasons(reasons: list[str]) -> str:
    """``["1.4(b)", "1.4(d)"]`` -> ``1.4 (b), (d)``; sections kept in order of first use."""
    groups: dict[str, list[str]] = {}
    for r in reasons:
        section, _, letter = r.partition("(")
        groups.setdefault(section.strip(), []).append(f"({letter}" if letter else "")
    parts = []
    for section, letters in groups.items():
        marks = ", ".join(x for x in letters if x)
        parts.append(_join(section, marks))
    return ", ".join(parts)


def _classified_by(cb: ClassifiedBy) -> str:
    """``Classified By: <title> <name>. Reasons 1.4 (b), (d).`` (5 FAH-1 H-246).

    Titles and names are free text (``Consul General, U.S. Consulate General, Dubai``), so the
    composed line is read back with the statement reader; when it would not give the same
    name, title and reasons, the ``name, title`` order is tried, then the statement as written
    (``cb.text``, a field of the model) on one line.
    """
    reasons = f" Reasons {_reasons(cb.reasons)}." if cb.reasons else ""
    candidates = []
    if cb.name or cb.title:
        candidates.append(f"Classified By: {_join(cb.title, cb.name).rstrip('.')}.{reasons}")
        if cb.name and cb.title:
            candidates.append(f"Classified By: {cb.name}, {cb.title.rstrip('.')}.{reasons}")
    for line in candidates:
        back = classified_by.find_classified_by(line, 0, len(line))
        if back is not None and (back.name, back.title, back.reasons) == (
            cb.name,
            cb.title,
            cb.reasons,
        ):
            return line
    if cb.text:
        return " ".join(cb.text.split())
    return candidates[0] if candidates else f"Classified By:{reasons}"


def _paragraph(p: Paragraph) -> str:
    """``N. (MARK) text`` (5 FAH-1 H-246.2); unnumbered paragraphs as plain text."""
    mark = None
    if p.mark:
        mark = p.mark if p.mark.startswith("(") else f"({p.mark})"
    if p.number is not None:
        return _join(f"{p.number}.", mark, p.text)
    if mark is None and _is_heading(p.text):
        # Headings are "capitalised lines underlined with dashes" (format.md §5.6).
        rule = "-" * max(3, max(len(ln) for ln in p.text.split("\n")))
        if p.text.count("\n") > 1:
            return f"{rule}\n{p.text}\n{rule}"  # three title lines need a top rule as well
        return f"{p.text}\n{rule}"
    if mark and p.text and not p.text[0].isalpha():
        # ``(C)4. In separate ...``, ``(C): PolOff ...``: as written, so that the mark is not
        # read as a sub-item letter ``(C) `` continuing the paragraph before.
        return mark + p.text
    return _join(mark, p.text)


def _is_heading(text: str) -> bool:
    """A title of one to three short lines, not ending a sentence, not opening with a number.

    Such an unnumbered paragraph is written underlined, as the body reader finds headings:
    a two-line title (``(SBU) Key Elements of ...`` / ``bulk cash smuggling):``) or a short
    one followed by ``-- item`` paragraphs reads back only with its rule. A title ending in
    ``...`` is written without its rule: it reads back the same without one, and a truncated
    cable's ``...`` must stay the last line (corpus README).
    """
    lines = text.split("\n")
    return (
        len(text) > 0
        and len(lines) <= 3
        and all(0 < len(ln.strip()) <= _HEADING_MAX for ln in lines)
        and not any(ln.rstrip().endswith((".", "…")) for ln in lines)
        and not any(_TITLE_STOP.match(ln) or _RULE.search(ln) for ln in lines)
        and (len(lines) < 3 or not any(ln.rstrip()[-1] in _SENTENCE_END for ln in lines))
    )


def _body_lines(
    paragraphs: list[Paragraph], breaks: list[BreakLine], truncated: bool = False
) -> list[str]:
    """Paragraphs separated by blank lines, break lines on their own lines between them.

    A break line goes before the first paragraph that starts after it, but only where a
    paragraph boundary survives the break being cut out again: before the first paragraph or
    before a numbered one. The body reader joins the text around a cut-out break with a
    single line feed, so a break between two unnumbered paragraphs would merge them; such a
    break moves on to the next numbered paragraph (or the end), keeping the breaks' order.
    """
    out: list[str] = []
    pending = sorted(breaks, key=lambda b: b.start)
    k = 0
    for i, p in enumerate(paragraphs):
        if i == 0 or p.number is not None:
            while k < len(pending) and pending[k].start < p.start:
                out.extend((pending[k].text, ""))
                k += 1
        elif _continues(paragraphs[i - 1], p):
            # An unnumbered paragraph opening with a sub-item marker (``-- item``) would be
            # read as part of the paragraph before: a rule line keeps them apart, as the
            # separator rule it stood after in the source did.
            out.extend(("---", ""))
        out.extend((_paragraph(p), ""))
    if k < len(pending) and truncated and paragraphs and paragraphs[-1].text.endswith(_ELLIPSIS):
        # A truncated text ends with its last paragraph's ``...``: breaks found after that
        # paragraph's start go before it where its boundary survives them.
        last = paragraphs[-1]
        if len(paragraphs) == 1 or last.number is not None:
            at = len(out) - 2
            out[at:at] = [x for b in pending[k:] for x in (b.text, "")]
            return out
    for b in pending[k:]:
        out.extend((b.text, ""))
    return out


def _continues(prev: Paragraph, p: Paragraph) -> bool:
    """``p`` as written would read back as a sub-item of ``prev`` (not after a heading)."""
    return (
        p.number is None
        and not p.mark
        and opens_sub_item(p.text)
        and not (prev.number is None and not prev.mark and _is_heading(prev.text))
    )


def _join(*parts: str | None) -> str:
    return " ".join(p for p in parts if p)
