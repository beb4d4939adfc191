"""The SUBJECT line, and title-casing of subjects.

5 FAH-1 H-246.1a puts the subject after the TAGS line and before the references; it may carry a
portion mark (``SUBJECT: (C) ...``, 5 FAH-1 H-246.2). Drafters write ``SUBJ:``, ``SUBJECT``
without colon, and WikiLeaks' joined lines glue the subject to ``REF:`` and ``Classified By:``
(format.md §5.4, §8). The subject is flattened onto one line.
"""

from __future__ import annotations

import functools
import html
import re
from html.parser import HTMLParser
from importlib import resources

from cabledesk.telegram.structure import LineStart

__all__ = ["find_subject", "parse_subject", "subject_from_html", "titlefy"]

# ``SUBJECT:`` / ``SUBJ:`` / ``UBJECT:`` (first letter lost) at a line start or after a space;
# without a colon only in capitals at a line start. Never ``(SUBJECT LINE)`` of a correction.
_LABEL = re.compile(
    r"(?:^|(?<=[ \t]))S?UBJ(?:ECT)?[ \t]*:(?![ \t]*LINE\b)[ \t]*"
    r"|^[ \t]*(?:SUBJECT|SUBJ)[ \t]+(?!LINE\b)",
    re.MULTILINE | re.IGNORECASE,
)
_LABEL_NO_COLON_CASE = re.compile(r"[ \t]*(?:SUBJECT|SUBJ)[ \t]")
# Where the subject stops inside a line (glued fields, ACP 127 page markers, banners).
_INLINE_STOP = re.compile(
    r"REF(?:S|TELS?|\(S\))?[ \t]*:"
    r"|(?:^|(?<=\s))REFS?[ \t]+(?=[A-Z][.)][ \t])"
    # A colon-less REF glued on, followed by a cable reference (``... SUEZ REF 09 CAIRO 0173``).
    r"|(?:^|(?<=\s))REF(?:S|TELS?)?[ \t]+(?=(?:\d{2}[ \t]+)?[A-Z]{3,}(?:[ \t][A-Z]{3,})?[ \t]+\d{2,6}\b)"
    r"|Classified[ \t]+By"
    r"|SENSI?TIVE[ \t]+BUT"
    r"|C O N F|S E C R E T|U N C L"
    r"|\b[A-Z]+[ \t]+\d{5,8}[ \t]+\d{3}(?:\.\d+)?[ \t]+OF[ \t]+\d{3}"
    r"|\bPAGE[ \t]+\d{2,3}\b",
    re.IGNORECASE,
)
# Literals one of which every _INLINE_STOP match holds (upper-cased); the page-count alternative
# (``ROME 001234 002 OF 004``) needs ``OF`` and five digits in a row.
_INLINE_LITERALS = ("REF", "CLASSIFIED", "BUT", "C O N F", "S E C R E T", "U N C L", "PAGE")
_FIVE_DIGITS = re.compile(r"\d{5}")
# A following line that is no continuation of the subject.
_STOP_LINE = re.compile(
    r"[ \t]*(?:$"
    r"|REF(?:S|TELS?|\(S\))?\b"
    r"|Classified[ \t]+By"
    r"|¶?[ \t]*\d{1,2}[ \t]*\.(?:[ \t]|\(|$)"
    r"|-{3,}|_{3,}|={3,}"
    r"|TAGS?\b|E\.?[ \t]*O\.?[ \t]*\d"
    r"|SUMMARY\b|BEGIN SUMMARY"
    r"|(?:S?UBJ(?:ECT)?)[ \t]*:"
    r")",
    re.IGNORECASE,
)
_BANNER = re.compile(
    r"[ \t]*(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)[ \t]*$", re.IGNORECASE
)
_PAGE_LINE = re.compile(r"[ \t]*PAGE[ \t]+\d{2,3}\b.*?\b\d{6}Z[ \t]*", re.IGNORECASE)
_MARK = re.compile(r"\(([A-Z]{1,4}(?:[ /-][A-Z]{1,6}){0,3})\)[ \t]*")
_MARK_WORDS = frozenset(
    [
        "U",
        "C",
        "S",
        "TS",
        "SBU",
        "FOUO",
        "NF",
        "NOFORN",
        "REL",
        "LOU",
        "CUI",
        "ORCON",
        "EXDIS",
        "NODIS",
        "LIMDIS",
        "SENS",
        "NOFOR",
    ]
)
_TRAILING_BACKSLASH = re.compile(r"[ \t]*\\+[ \t]*$", re.MULTILINE)
_NUMERIC_ENTITY = re.compile(r"&#(?:[0-9]+|[xX][0-9a-fA-F]+);")
_SPACES = re.compile(r"[ \t\xa0]+")
_LOWER = re.compile(r"[a-z]")
_FIRST_PARA = LineStart(re.compile(r"^[ \t]*¶?[ \t]*1[ \t]*\.[ \t]*(?:\(|[A-Z])", re.MULTILINE))
_SEARCH_LIMIT = 6000
_WRAPPER = re.compile(
    r"[A-Z][A-Z ]{1,30} \d{8} [A-Z] [A-Z]{2} \d{2}-[A-Z]{3}-\d{2} (.+?)(?: \[\d{5,}\])?"
)
# ``SUBJECT: (C) SUBJECT: BRIEFING ...`` (07PARAMARIBO510): the label typed twice.
_REPEATED_LABEL = re.compile(r"\A(?:SUBJECT|SUBJ)[ \t]*:[ \t]*", re.IGNORECASE)
_MAIL_FIELD = re.compile(r"[ \t]*(?:To|Cc|Sent|From|Date)[ \t]*:", re.IGNORECASE)


def find_subject(text: str, start: int, end: int) -> tuple[str, str | None, int, int] | None:
    """The SUBJECT in ``text[start:end]``: (subject cleaned, portion mark or None, start, end).

    The mark is the one written before the subject (``C``, ``SBU``, ``C/NF``; 5 FAH-1 H-246.2).
    """
    found = _extract(text, start, end)
    if found is None:
        return None
    raw, block_start, block_end = found
    flat = _flatten(raw)
    mark = None
    m = _MARK.match(flat)
    if m is not None and _is_mark(m.group(1)):
        mark = m.group(1)
        flat = _REPEATED_LABEL.sub("", flat[m.end() :], count=1)
    return flat.replace("\\", "").strip(), mark, block_start, block_end


def parse_subject(text: str, clean: bool = True) -> str:
    """The subject of a cable text, flattened (cablemap ``subject`` semantics); ``""`` if none.

    ``clean`` drops a leading portion mark such as ``(S)`` or ``(C/NF)`` and backslashes.
    """
    n = len(text)
    para = _FIRST_PARA.search(text, 0, min(n, _SEARCH_LIMIT))
    limit = para.start() if para else min(n, _SEARCH_LIMIT)
    found = _extract(text, 0, limit, n)
    if found is None:
        return ""
    flat = _flatten(found[0])
    if clean:
        m = _MARK.match(flat)
        if m is not None and _is_mark(m.group(1)):
            flat = _REPEATED_LABEL.sub("", flat[m.end() :], count=1)
        flat = flat.replace("\\", "").strip()
    return flat


_MARK_PARTS = re.compile(r"[ /-]").split  # precompiled: no re cache lookup per call


def _is_mark(inner: str) -> bool:
    return all(part in _MARK_WORDS for part in _MARK_PARTS(inner))


def _extract(
    text: str, start: int, end: int, hard_end: int | None = None
) -> tuple[str, int, int] | None:
    """Raw subject text (lines joined by newlines), its label start and its end.

    The label is looked for in ``[start, end)``; the subject itself may run to ``hard_end``.
    """
    stop = end if hard_end is None else hard_end
    m = _search_label(text, start, end)
    while m is not None and m.group(0).rstrip()[-1:] != ":":
        # Colon-less label: only ``SUBJECT``/``SUBJ`` in capitals at a line start.
        line_start = text.rfind("\n", 0, m.start()) + 1
        if _LABEL_NO_COLON_CASE.match(text, line_start) and text[m.start() : m.end()].strip() in (
            "SUBJECT",
            "SUBJ",
        ):
            break
        m = _search_label(text, m.end(), end)
    if m is not None and _in_mail_header(text, m.start()):
        # An e-mail wrapper's ``Subject:`` (``Sent:``/``To:`` above it); the cable's own follows.
        later = _search_label(text, m.end(), end)
        if later is not None and later.group(0).rstrip()[-1:] == ":":
            m = later
    if m is None:
        return None
    pos = m.end()
    line_end = _line_end(text, pos, stop)
    first = text[pos:line_end]
    # ``SUBJECT:`` alone on its line: the subject follows after blank lines (09CAIRO1945).
    skipped = 0
    while not _strip_bs(first).strip() and line_end < stop and skipped < 3:
        pos = line_end + 1
        line_end = _line_end(text, pos, stop)
        first = text[pos:line_end]
        skipped += 1
        if _STOP_LINE.match(first) and first.strip():
            return None
    if not first.strip():
        return None
    lines: list[str] = []
    upper = not _LOWER.search(first)
    cur_start, cur_end = pos, line_end
    line = first
    while True:
        clean_line = _strip_bs(line)
        cut = _inline_stop(clean_line)
        if cut is not None:
            lines.append(clean_line[: cut.start()])
            return "\n".join(lines), m.start(), cur_start + cut.start()
        lines.append(clean_line)
        if cur_end >= stop:
            return "\n".join(lines), m.start(), cur_end
        nxt = cur_end + 1
        nxt_end = _line_end(text, nxt, stop)
        following = _strip_bs(text[nxt:nxt_end])
        if _BANNER.match(following):
            # A legacy page break inside the subject: banner, ``PAGE 02 ... 291400Z`` header.
            page_start = nxt_end + 1
            page_end = _line_end(text, page_start, stop)
            pm = _PAGE_LINE.match(text, page_start, page_end)
            if pm is None or pm.end() >= page_end:
                return "\n".join(lines), m.start(), cur_end
            cur_start, cur_end = pm.end(), page_end
            line = text[cur_start:cur_end]
            continue
        head = following
        cut_next = _inline_stop(following)
        if cut_next is not None:
            head = following[: cut_next.start()]
        if _STOP_LINE.match(following) or (upper and _LOWER.search(head)):
            return "\n".join(lines), m.start(), cur_end
        cur_start, cur_end = nxt, nxt_end
        line = text[cur_start:cur_end]


def _inline_stop(line: str) -> re.Match[str] | None:
    """``_INLINE_STOP.search(line)``; an ASCII line holding none of its literals is passed over
    in C (the case-blind alternation tries every position, and most lines hold no stop)."""
    if line.isascii():
        up = line.upper()
        for lit in _INLINE_LITERALS:
            if lit in up:
                break
        else:
            if "OF" not in up or _FIVE_DIGITS.search(line) is None:
                return None
    return _INLINE_STOP.search(line)


def _search_label(text: str, start: int, end: int) -> re.Match[str] | None:
    """``_LABEL.search`` made fast: ``str.find`` of ``UBJ`` in an upper-cased copy, then the
    regex on a small window around each candidate."""
    up = text[start:end].upper()
    p = up.find("UBJ")
    while p >= 0:
        at = start + p
        line_start = max(start, text.rfind("\n", start, at) + 1)
        m = _LABEL.search(text, line_start, min(end, at + 24))
        if m is not None:
            return m
        p = up.find("UBJ", p + 1)
    return None


def _in_mail_header(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    prev_start = text.rfind("\n", 0, max(0, line_start - 1)) + 1
    return bool(_MAIL_FIELD.match(text, prev_start, line_start))


def _line_end(text: str, pos: int, stop: int) -> int:
    i = text.find("\n", pos, stop)
    return stop if i < 0 else i


def _strip_bs(line: str) -> str:
    return _TRAILING_BACKSLASH.sub("", line) if "\\" in line else line


def _flatten(raw: str) -> str:
    parts = [p.strip(" \t\r") for p in raw.split("\n")]
    out = ""
    for part in parts:
        if not part:
            continue
        if out.endswith("-") and len(out) >= 2 and out[-2].isalpha():
            out += part  # ``THE US- / LATIN AMERICAN`` is one word broken at the hyphen
        elif out:
            out += " " + part
        else:
            out = part
    if "  " in out or "\t" in out or "\xa0" in out:  # else every run is one space already
        out = _SPACES.sub(" ", out)
    out = out.strip()
    if out[-1:] == "]" or out[:1].isupper():
        # SMART e-mail wrapper: ``TRIPOLI 00000126 R UN 18-FEB-08 <subject> [7039621]``.
        w = _WRAPPER.fullmatch(out)
        if w is not None:
            out = w.group(1)
    if "&#" in out:
        out = _NUMERIC_ENTITY.sub(lambda e: html.unescape(e.group(0)), out)
    return out


# --- WikiLeaks HTML pages -------------------------------------------------------------------


class _PreText(HTMLParser):
    """Collects the text of every ``<pre>`` block of a WikiLeaks cable page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._depth = 0
        self._buf: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "pre":
            self._depth += 1
            if self._depth == 1:
                self._buf = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre" and self._depth:
            self._depth -= 1
            if self._depth == 0:
                self.blocks.append("".join(self._buf))

    def handle_data(self, data: str) -> None:
        if self._depth:
            self._buf.append(data)


def subject_from_html(page: str) -> str:
    """The subject of a whole WikiLeaks cable page: its ``<pre>`` blocks parsed as cable text."""
    parser = _PreText()
    parser.feed(page)
    parser.close()
    if not parser.blocks:
        return ""
    body = parser.blocks[-1]
    return parse_subject(body)


# --- title case -----------------------------------------------------------------------------

_SMALL = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "en",
        "for",
        "if",
        "in",
        "nor",
        "of",
        "on",
        "or",
        "per",
        "the",
        "to",
        "v",
        "via",
        "vs",
    ]
)
# Acronym-list entries that are also plain English words in subjects.
_NOT_ACRONYMS = frozenset(
    [
        "A",
        "AN",
        "AND",
        "AS",
        "AT",
        "BY",
        "FAR",
        "FOR",
        "ICE",
        "IF",
        "IN",
        "IS",
        "IT",
        "OF",
        "ON",
        "OR",
        "SO",
        "THE",
        "TO",
        "UP",
    ]
)
_TITLES = frozenset(["MR", "MRS", "MS", "DR", "ST", "JR", "SR", "MT", "FT"])
_TOKEN = re.compile(r"[^\s\-/–—()\[\]\"“”:;,!?]+|[\s\-/–—()\[\]\"“”:;,!?]+")
_SEGMENT_BREAK = re.compile(r"(?:^|[:?!]|--|\s-\s|\s–\s|—)\s*[\"“(]*\s*$")
_ORDINAL = re.compile(r"\d+(?:ST|ND|RD|TH)", re.IGNORECASE)
_REDACTION = re.compile(r"X{3,}", re.IGNORECASE)
_VOWEL = re.compile(r"[AEIOUY]", re.IGNORECASE)
_APOSTROPHE = re.compile(r"['’]")


@functools.cache
def _acronyms() -> frozenset[str]:
    text = resources.files("cabledesk.telegram").joinpath("data", "acronyms.txt")
    words = {line.strip() for line in text.read_text("utf-8").splitlines()}
    return frozenset(w for w in words if w and not w.startswith("#") and w not in _NOT_ACRONYMS)


def titlefy(text: str) -> str:
    """Title-case a subject: small words lower, acronyms upper, the rest capitalised.

    Capitals in a mixed-case subject are kept (``DoD``, ``Ex-IM``): the drafter chose them.
    """
    s = text.strip()
    mixed = bool(_LOWER.search(s))
    out: list[str] = []
    before = ""
    for tok in _TOKEN.findall(s):
        if not tok or not (tok[0].isalnum() or tok[0] in "'’.&"):
            out.append(tok)
            before += tok
            continue
        first = bool(_SEGMENT_BREAK.search(before))
        out.append(_title_word(tok, first, mixed))
        before += tok
    return "".join(out)


def _title_word(word: str, first: bool, mixed: bool) -> str:
    if mixed and _has_inner_capital(word):
        return word
    m = _APOSTROPHE.search(word)
    if m is not None and 0 < m.start() < len(word) - 1:
        head, mark, tail = word[: m.start()], m.group(0), word[m.end() :]
        if len(head) == 1 and head.isalpha():  # D'IVOIRE, O'NEILL
            return head.upper() + mark + _capitalise(tail)
        return _title_word(head, first, mixed) + mark + tail.lower()
    upper = word.upper()
    if _REDACTION.fullmatch(word):
        return upper
    if _ORDINAL.fullmatch(word):
        return word.lower()
    if upper.lower() in _SMALL and not first:
        return upper.lower()
    acr = _acronyms()
    if upper in acr or (upper.endswith(".") and upper[:-1] in acr):
        return upper
    if mixed and word.isupper() and len(word) >= 2:
        return word
    letters = upper.replace(".", "")
    if (
        len(letters) >= 2
        and letters.isalpha()
        and not _VOWEL.search(letters)
        and letters not in _TITLES
    ):
        return upper
    return _capitalise(word)


def _has_inner_capital(word: str) -> bool:
    return any(c.isupper() for c in word[1:]) and any(c.islower() for c in word)


def _capitalise(word: str) -> str:
    return word[:1].upper() + word[1:].lower()
