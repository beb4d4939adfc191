"""Captions and handling (passing) lines between the classification line and the E.O. line.

5 FAH-2 H-252.1-1a: "If more than one caption is used, each caption occupies a separate line";
passing and attention lines (``DEPT FOR EUR/WE``, ``PASS USTR FOR ...``) follow (format.md §5.2).
In Cablegate the lines are often glued (``SIPDIS SIPDIS STATE FOR EUR/UBI E.O. 12958: ...``,
``001352SIPDISE.O. 12958``), so captions are recognised as words at the start or end of a
line, and a line stops at a glued E.O./TAGS/SUBJECT label.
"""

from __future__ import annotations

import re

from cabledesk.telegram.codes import CAPTIONS
from cabledesk.telegram.structure import LiteralGate

__all__ = ["CAPTION_WORDS", "find_captions"]

# Caption words the scanner recognises: the code table's captions (codes.CAPTIONS, format.md
# §5.2). The spaced C O R R E C T E D C O P Y note is matched by its own pattern below, with
# the free text that follows it.
CAPTION_WORDS: tuple[str, ...] = tuple(
    sorted((c for c in CAPTIONS if not c.startswith("C O R")), key=lambda c: (-len(c), c))
)
# Spelling slips seen in the corpus, mapped to the caption they mean.
_VARIANTS = {
    "SENSITVE": "SENSITIVE",
    "SIPIDIS": "SIPDIS",
    "NOFRN": "NOFORN",
    "NO FORN": "NOFORN",
}


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(w.replace(" ", r"\s+") for w in sorted(words, key=lambda w: (-len(w), w)))


_WORD = _alternation(CAPTION_WORDS + tuple(_VARIANTS))
_LABEL = r"(?:E\s?\.?\s?[O0]\s?\.?\s?1\d{4}|TAGS?\b|SUBJ(?:ECT)?\b|DECL\b|REF\b|CLASSIFIED\s+BY\b)"
# One caption word: followed by a separator, the end, another caption or a glued label.
_CAPTION_RE = re.compile(
    rf"[ \t,;/]*(?P<w>{_WORD})(?=[ \t,;/\\]|$|(?:{_WORD})|{_LABEL})", re.IGNORECASE | re.MULTILINE
)
# C O R R E C T E D C O P Y (TEXT), CORRECTED COPY: SIGNATURE LINE ADDED, ///// ... /////
_CORRECTED_RE = re.compile(
    r"[ \t(/\-]*C\s?O\s?R\s?R\s?E\s?C\s?T\s?E\s?D\s+C\s?O\s?P\s?Y", re.IGNORECASE
)
_LABEL_RE = re.compile(_LABEL, re.IGNORECASE)
# Every label holds one of these (the E.O. number its ``1``).
_LABEL_GATE = LiteralGate(_LABEL_RE, ("1", "TAG", "SUBJ", "DECL", "REF", "CLASSIFIED"))
# Inside a corrected-copy note only a glued E.O./TAGS/SUBJECT line ends it
# ("... - CLASSIFIED BY LINE ADDED" is part of the note).
_EO_TAGS_RE = re.compile(
    r"E\s?\.?\s?[O0]\s?\.?\s?1\d{4}|\bTAGS?\s*:|\bSUBJ(?:ECT)?\s*:", re.IGNORECASE
)
# WikiLeaks joined lines without a blank: "000732SENSITIVE SIPDISNEA FOR DAS GGRAY". Only the
# coined words SIPDIS and NOFORN are safe to split off a following upper-case word.
_GLUED_RE = re.compile(r"[ \t,;/]*(?P<w>SIPDIS|NOFORN)(?=[A-Z])")
# A label starting the line ends the block: E.O./TAGS/SUBJECT/REF/Classified By, a numbered
# paragraph, a heading "SUMMARY", or a header line (a second header after a section break).
_END_LINE_RE = re.compile(
    rf"[ \t¶]*(?:{_LABEL}|\(?[0-9]{{1,2}}\s?[.)]|\([A-Z/]{{1,6}}\)|SUMMARY\b|VZCZC"
    r"|(?:FM|TO|INFO)\s+(?:[A-Z]{5,7}/|AMEMBASSY|AMCONSUL|SECSTATE|USMISSION|AMEMB\b)"
    r"|DE\s+[A-Z]{4,5}\b|[ORPZ]{1,2}\s+\d{6}Z)",
    re.IGNORECASE,
)
# Not handling lines: NARA release stamps, "\" line-continuation artefacts, repeated ids.
_SKIP_LINE_RE = re.compile(
    r"[\W_]*$|Declassified/Released|Copy from the National|\d{2}[A-Z ]+\d+(?:\|\S+)?$"
    r"|PAGE\s+\d{2}\s|\d{6}Z\s+[A-Za-z]{3}\s+\d{2}\b"
    r"|classification:",
    re.IGNORECASE,
)


def _canon(word: str) -> str:
    w = " ".join(word.upper().split())
    return _VARIANTS.get(w, w)


def find_captions(text: str, start: int, end: int) -> tuple[list[str], list[str], int]:
    """Captions and handling lines in ``text[start:end]`` (start = end of the classification line).

    Returns the captions (upper case, each once, in order of first appearance), the passing
    lines (as written, stripped) and the offset where the block ends: the start of the E.O.,
    TAGS or SUBJECT label, or ``start`` when nothing was found.
    """
    captions: list[str] = []
    handling: list[str] = []
    block_end = start
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl < 0 else nl
        if line_end == pos or text[pos:line_end].isspace():
            pos = line_end + 1  # a blank line: no pattern below matches blanks alone
            continue
        if _END_LINE_RE.match(text, pos, line_end):
            return captions, handling, block_end
        cur = pos
        # Leading captions: "SIPDIS", "NOFORN SIPDIS", "SENSITIVE, SIPDIS".
        while m := _CAPTION_RE.match(text, cur, line_end) or _GLUED_RE.match(text, cur, line_end):
            w = _canon(m["w"])
            if w not in captions:
                captions.append(w)
            cur = m.end()
            block_end = cur
        c = _CORRECTED_RE.match(text, cur, line_end)
        if c is not None:
            lab = _EO_TAGS_RE.search(text, c.end(), line_end)
            c_end = lab.start() if lab else line_end
            w = " ".join(text[c.start() : c_end].strip(" \t\\").upper().split())
            if w not in captions:
                captions.append(w)
            block_end = c_end
            cur = c_end
        label = _LABEL_GATE.search(text, cur, line_end)
        stop = label.start() if label else line_end
        rest = text[cur:stop].strip()
        if rest and not _SKIP_LINE_RE.match(rest):
            rest, trailing = _split_trailing(rest)
            if rest:
                handling.append(rest)
            for w in trailing:
                if w not in captions:
                    captions.append(w)
            block_end = stop
        if label is not None:  # glued "DEPT FOR WHA/BSC E.O. 12958: ..." ends the block
            return captions, handling, label.start()
        pos = line_end + 1
    return captions, handling, block_end


_TRAILING_RE = re.compile(rf"(?:[ \t,;]+(?:{_WORD}))+[ \t,;\\]*$", re.IGNORECASE)
# The last word of each caption: a line the _TRAILING_RE matches ends with one of them.
_LAST_WORDS = tuple(sorted({w.split()[-1] for w in CAPTION_WORDS + tuple(_VARIANTS)}))


def _split_trailing(line: str) -> tuple[str, list[str]]:
    """``... SOUTHCOM ALSO FOR POLAD SENSITIVE SIPDIS``: captions glued after a passing line."""
    if line.isascii() and not line.rstrip(" \t,;\\").upper().endswith(_LAST_WORDS):
        return line, []  # no caption word at the end: the case-blind search cannot match
    m = _TRAILING_RE.search(line)
    if m is None:
        return line, []
    words = [_canon(x["w"]) for x in _CAPTION_RE.finditer(m.group())]
    return line[: m.start()].rstrip(" ,;"), words
