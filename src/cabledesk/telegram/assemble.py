"""The extractors of ``parse()`` run over one text and assembled into a :class:`Cable`.

The pipeline: recognise the shape (structure.py), split header from body at the classification
line, then let one extractor per concept read its bounded region. Ids and dates come from the
text wherever it carries them; hints (a preamble, a source's metadata, a file name) fill in only
what the text lacks, and ``reference_id_source`` / ``date_source`` say which was used.

Kept apart from ``parser.py`` (the public entry point and its error contract) so that it can be
compiled with mypyc (``docs/compiled.md``) while ``parse()`` keeps answering any argument that
is not ``str`` with ``ParseError``.
"""

from __future__ import annotations

import re

from cabledesk.errors import ParseError
from cabledesk.telegram import (
    body,
    breaks,
    captions,
    classified_by,
    declassification,
    header,
    identity,
    ids,
    references,
    signers,
    spans,
    structure,
    subject,
    summary,
    tags,
)
from cabledesk.telegram.model import Cable

__all__ = ["assemble"]

# Same-length substitutions so every offset still counts characters of the input.
_SPACES = ("\r", "\t", "\x0b", "\x0c", "\xa0")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd]")
_CONTROL_CHARS = tuple(chr(c) for c in (*range(0x09), *range(0x0E, 0x20), 0x7F, 0xFFFD))
_FIRST_PARA = structure.LineStart(re.compile(r"^[ \t]*¶?[ \t]*1[ \t]*\.", re.MULTILINE))
_ANY_PARA = structure.LineStart(re.compile(r"^[ \t]*¶?[ \t]*\d{1,2}[ \t]*\.[ \t]*\(", re.MULTILINE))
_HEADER_HINT = structure.LineStart(
    re.compile(r"^(?:VZCZC|DE R[A-Z]{3,7} #|FM [A-Z]|[ZOPRY] \d{6}Z)", re.MULTILINE)
)
_BODY_MARKERS = structure.LineStart(
    re.compile(
        r"^[ \t]*(?:E\.?O\.?[ \t]*1\d{4}|TAGS?\b|SUBJ(?:ECT)?\b)", re.MULTILINE | re.IGNORECASE
    )
)
_FRONT_LIMIT = 6000


def _check_text(text: str) -> None:
    if not text or text.isspace():  # no stripped copy of the whole text
        raise ParseError("empty input")
    head = text[:4096]
    # Control characters are rare: a membership test per character (memchr in C) clears almost
    # every cable; only a head holding one pays for counting them.
    for c in _CONTROL_CHARS:
        if c in head:
            break
    else:
        return
    bad = sum(head.count(c) for c in _CONTROL_CHARS)
    if "\x00" in head or bad > 8:
        line = text.count("\n", 0, _CONTROL.search(text).start()) + 1  # type: ignore[union-attr]
        raise ParseError("binary or control characters: not cable text", line)


def assemble(source: str, hints: dict[str, object]) -> Cable:
    """The model of ``source`` (a ``str``); raises ``ParseError`` when it is no cable.

    ``hints`` is the caller's own dict: a preamble's fields are added to it.
    """
    _check_text(source)
    text = source
    for ch in _SPACES:  # str.replace per character is far faster than str.translate
        if ch in text:
            text = text.replace(ch, " ")
    # Pages exported from cables.csv end most of their lines with a backslash; a few backslashes
    # at line ends are text. A one-character test (memchr) first, as a two-character needle is
    # searched far more slowly.
    if "\\" in text and text.count("\\\n") * 4 >= text.count("\n"):
        text = text.replace("\\\n", " \n")
    n = len(text)
    pre = structure.find_preamble(text)
    for key, value in pre.fields.items():
        if value and key not in hints:
            hints[key] = value

    cls = structure.find_classification_line(text, pre.end, min(n, pre.end + 20000))
    if (
        cls is not None
        # the short header region first: it almost always holds a header line, which settles it
        and not (_HEADER_HINT.search(text, pre.end, cls.start))
        and _HEADER_HINT.search(text, cls.end, min(n, cls.end + 3000))
    ):
        # A classification word inside a preamble or office list; the real line follows the header.
        later = structure.find_classification_line(text, cls.end, min(n, cls.end + 20000))
        cls = later or cls

    head_end = cls.start if cls else _header_end_without_class_line(text, pre.end, n)
    hp = header.extract_header(text, pre.end, head_end)
    front_start = cls.end if cls else head_end

    cable = Cable(text=source, preamble=dict(pre.fields), partial=pre.partial)
    cable.header = hp.header
    cable.from_ = hp.from_
    cable.to = hp.to
    cable.info = hp.info
    cable.xmt = hp.xmt
    cable.classification_line = cls

    # Front matter: captions, E.O., TAGS, SUBJECT, REF, Classified By.
    limit = min(n, front_start + _FRONT_LIMIT)
    para1 = _FIRST_PARA.search(text, front_start, limit) or _ANY_PARA.search(
        text, front_start, limit
    )
    para_start = para1.start() if para1 else limit
    cap, handling, cap_end = captions.find_captions(text, front_start, para_start)
    cable.captions = cap
    cable.handling = handling
    front_end = max(front_start, cap_end)

    decl = declassification.find_declassification(text, front_start, para_start)
    if decl is not None:
        cable.declassification = decl
        front_end = max(front_end, decl.end)
    found_tags = tags.find_tags(text, front_start, para_start)
    if found_tags is not None:
        cable.tags, _, tags_end = found_tags
        front_end = max(front_end, tags_end)
    subj = subject.find_subject(text, front_start, para_start)
    if subj is None and cls is not None:
        # E-mail wrapped pages put the subject above the classification line.
        subj = subject.find_subject(text, pre.end, cls.start)
        if subj is not None:
            subj = (subj[0], subj[1], subj[2], front_start)
    refs_from = front_end
    if subj is not None:
        cable.subject, cable.subject_mark, subj_start, subj_end = subj
        front_end = max(front_end, subj_end)
        # A REF block glued onto the SUBJECT line starts inside the subject's line.
        refs_from = max(front_start, min(subj_start, subj_end))
    elif "subject" in hints:
        cable.subject = str(hints["subject"]) or None

    if cls is None and found_tags is None and subj is None and para1 is None and not hp.to:
        raise ParseError(
            "no cable structure: no header, classification line, TAGS/SUBJECT or numbered paragraph",
            1,
        )

    identity.identify(cable, hints, pre)

    year = cable.year
    if year is None and cable.canonical_id:  # partial extracts: the year of the id
        split = ids.split_id(cable.canonical_id)
        year = split[0] if split else None
    refs, refs_end = references.find_references(
        text, refs_from, para_start, year, cable.canonical_id
    )
    cable.references = refs
    if refs:
        front_end = max(front_end, refs_end)
    cb = classified_by.find_classified_by(text, front_start, min(n, para_start + 2000))
    cable.classified_by = cb
    if cb is not None and cb.end <= para_start:
        front_end = max(front_end, cb.end)

    # Body. Front-matter statements may leave their closing punctuation behind.
    while front_end < n and text[front_end] in " \n.;:,)":
        front_end += 1
    sig_names, sig_start = signers.find_signers(text, front_end, n)
    cable.signers = sig_names
    body_end = sig_start if sig_start is not None else n
    found_breaks = breaks.find_breaks(text, front_end, body_end)
    cable.breaks = found_breaks
    cable.paragraphs = body.find_paragraphs(text, front_end, body_end, found_breaks)
    cable.redactions = spans.find_redactions(text, front_start, n)
    cable.comments = spans.find_comments(text, front_end, body_end)
    summ = summary.find_summary(text, front_end, body_end)
    cable.summary = summ[0] if summ else None
    cable.truncated = spans.is_truncated(text)
    identity.classification_fallback(cable, hints)
    cable.shape = _shape(cable, pre.shape)
    return cable


def _header_end_without_class_line(text: str, start: int, n: int) -> int:
    m = _BODY_MARKERS.search(text, start, min(n, start + 20000))
    if m:
        return m.start()
    p = _ANY_PARA.search(text, start, n)
    return p.start() if p else start


def _shape(cable: Cable, pre_shape: str) -> str:
    if pre_shape in ("preamble", "record"):
        return pre_shape
    if cable.partial:
        return "partial"
    if cable.header.transmission_id or cable.header.station:
        return "telegram"
    if cable.header.page_line or cable.header.action_offices or cable.from_:
        return "legacy"
    return "body"
