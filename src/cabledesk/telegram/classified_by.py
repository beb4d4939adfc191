"""The Classified By statement: who classified the cable, and under which reasons.

5 FAH-1 H-246 (2004): a classified telegram carries "the name and position of the officer
classifying" it and "the reason it is classified derived from section 1.5 of Executive Order
12958", e.g. ``(U) Classified by John Doe, Ambassador, Reason 1.5 b and d``. E.O. 13292 (2003)
moved the categories to §1.4 (format.md §5.5). Real statements put the title before or after the
name, wrap mid-word at a fixed width (SMART's 71-character field), repeat the label, misspell
titles and reasons, and are glued to REF lines; the parser works on tokens, not on one regex.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from cabledesk.telegram.model import ClassifiedBy
from cabledesk.telegram.officials import STOP_WORDS, is_title, normalize_name, read_officials
from cabledesk.telegram.structure import AnyLiteral, FirstChar

__all__ = ["find_classified_by", "normalize_name", "parse_classified_by"]

# "Classified By:", "CLASSIFIED BY", "Classfied By:", "CLASSIFIED CONFIDENTIAL BY",
# "This message classified by", "DOS CLASSIFICATION GUIDE BY" is handled by the title list.
_LABEL_RE = re.compile(
    r"(?<![A-Za-z])CLAS?S?I?F(?:I|Y)?I?E?D\s+(?:CONFIDENTIAL\s+|SECRET\s+)?"
    r"(?:BY\b|By(?=[A-Z][a-z]))[ \t]*(?P<colon>:?)",
    re.IGNORECASE,
)
# Glued to the subject ("...VISIT TO CAIROClassified By: ..."): only the exact form with a colon.
_GLUED_LABEL_RE = re.compile(r"(?:Classified\s+By|CLASSIFIED\s+BY)[ \t]*(?P<colon>:)")
# Without a colon the label must open its line: "1. (U) CLASSIFIED BY ...", "(U) Classified by",
# or follow the legacy "1. CONFIDENTIAL - ENTIRE TEXT." banner. Otherwise it is prose
# ("C O R R E C T E D C O P Y - CLASSIFIED BY LINE ADDED").
_LINE_PREFIX_RE = re.compile(
    r"[ \t¶]*(?:\d{1,2}\s?\.[ \t]*)?(?:\([A-Z/\-]{1,8}\)[ \t]*)?"
    r"(?:[A-Z ]+-\s*ENTIRE\s+TEXT\s*\.[ \t]*)?(?:This\s+message\s+)?$",
    re.IGNORECASE,
)
# A repeated label at the start of the statement: "Classified By: (C) CLASSIFIED BY ...".
_REPEAT_RE = re.compile(
    r"[ \t]*(?:\([A-Z/]{1,6}\)|\d{1,2}\s?\.)?[ \t]*(?:This\s+message\s+)?"
    r"CLASS?I?F(?:I|Y)?I?E?D\s+(?:CONFIDENTIAL\s+|SECRET\s+)?BY\b[ \t]*:?",
    re.IGNORECASE,
)
# Where the statement stops: a blank line, a numbered paragraph, a heading, a dashed rule.
_STMT_END_RE = re.compile(
    r"\n[ \t\\]*(?:\n|¶|\d{1,2}\s?\.\s?\(|\d{1,2}\s?\.\s|(?i:SUMMARY\b|REF\b)|-{3,}|PAGE\s+\d"
    # a page end repeating the classification (legacy print format)
    r"|(?:CONFIDENTIAL|SECRET|UNCLASSIFIED|LIMITED OFFICIAL USE)[ \t]*\n"
    # a portion mark opening a paragraph; "(C) and (D)" continues the reasons instead
    r"|\((?:U|C|S|TS|SBU|LOU)(?:[/-][A-Z]{1,4})?\)(?!\s*(?:and\b|AND\b|[,&(]|$)))"
)
_MAX_STMT = 420

# The reason clause: "Reasons 1.4 (b and d)", "REASON: 1.5 (B) AND (D)", "1.4(b),(d)",
# "per 1.4 b/d", "E.O. 12958 1.4(d)". The section may be broken ("1. 4", "1 .4", "1,4").
# Searched from each "1" (structure.FirstChar): the pattern opens with a look-behind.
_SECTION = FirstChar(re.compile(r"(?<![\d./])1\s?[.,/]\s?(?P<s>[2-6])(?![\d/])"), "1")
_REASON_WORD_RE = re.compile(
    r"\b(?:r[ea]{1,2}s?o?ns?(?:\(s\))?|(?:E\.?\s?O\.?\s?)?1(?:2958|3526|3292)|under\s+sec"
    r"|section\s+1|para\s+1)\b",
    re.IGNORECASE,
)
_LETTERS_RE = re.compile(
    r"(?:[\s(),/&+;:\[\]\-]|\.(?!\s)|\b(?:and|or)\b|(?<![A-Za-z])[a-hA-H](?![A-Za-z]))*",
    re.IGNORECASE,
)
_LETTER_RE = re.compile(r"(?<![A-Za-z])([a-hA-H])(?![A-Za-z])")


def _join_lines(raw: str, col: int = 0) -> str:
    """Undo line wrapping: SMART cut the statement at 71 characters, mid-word.

    ``col`` is the column where ``raw`` starts in its first line.
    """
    lines = raw.split("\n")
    out = lines[0]
    for n, (prev, nxt) in enumerate(zip(lines, lines[1:], strict=False)):
        if n == 0:
            prev = " " * col + prev
        body = prev.rstrip(" \t\\\r")
        stripped_next = nxt.lstrip(" \t\\")
        if not stripped_next:
            continue
        last = body.rsplit(None, 1)[-1] if body.strip() else ""
        out = out.rstrip(" \t\\\r")
        hard_cut = len(body) == 71 and prev == body  # no space appended: cut mid-text
        if nxt[:1] not in (" ", "\t") and (
            hard_cut or (68 <= len(body) <= 71 and _split_word(last, nxt))
        ):
            out += nxt
        else:
            out += " " + stripped_next
    return out


def _split_word(last: str, nxt: str) -> bool:
    """Was a word cut at the line end? ``Blah|a``, ``Richa|rd``, ``AFFAIR|S``, ``REA|SONS``."""
    first = nxt.split(None, 1)[0] if nxt.strip() else ""
    a = last.strip("(),;:")
    b = first.rstrip(".,;:)")
    if not a.isalpha() or not b.isalpha():
        return False
    if a[:1].isupper() and b[:1].islower() and (b.lower() not in STOP_WORDS or first != b):
        return True  # a capitalised name or title continued in lower case
    whole = (a + b).lower()
    if (is_title(a + b) and (len(b) == 1 or not is_title(a))) or whole in ("and", "for"):
        return True
    return bool(_REASON_WORD_RE.fullmatch(whole)) and not _REASON_WORD_RE.fullmatch(a.lower())


def _reasons(s: str) -> tuple[list[str], int | None, int | None]:
    """Reasons as ``["1.4(b)", "1.4(d)"]``, the index where the clause starts and where it ends."""
    sec = _SECTION.search(s)
    word = _REASON_WORD_RE.search(s)
    cut = min((m.start() for m in (sec, word) if m is not None), default=None)
    if sec is None:
        return [], cut, None
    section = "1." + sec["s"]
    span = _LETTERS_RE.match(s, sec.end())
    assert span is not None
    letters: list[str] = []
    for m in _LETTER_RE.finditer(s, sec.end(), span.end()):
        r = f"{section}({m.group(1).lower()})"
        if r not in letters:
            letters.append(r)
    end = span.end()
    while end > sec.end() and s[end - 1] in " \t\n,;:-(":
        end -= 1
    return letters, cut, end


@dataclass(slots=True)
class _Parsed:
    names: list[str]
    title: str | None
    reasons: list[str]
    valid: bool


def _parse_statement(s: str) -> _Parsed:
    """Names, title and reasons of one statement (label already removed, lines joined)."""
    while (rep := _REPEAT_RE.match(s)) is not None and rep.end() > 0:
        s = s[rep.end() :]
    reasons, cut, _ = _reasons(s)
    names, title, valid = read_officials(s if cut is None else s[:cut])
    return _Parsed(list(names), title, reasons, valid)


_LABEL_STEMS = AnyLiteral("lassif", "LASSIF", "lassf", "LASSF", "lasif", "LASIF")


def _labels(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """Label matches in ``text[start:end]``. Plain ``str.find`` on the spellings prefilters:
    an IGNORECASE regex scan over the front matter plus body was the hot spot."""
    pos = start + 1
    while True:
        best = _LABEL_STEMS.find(text, pos, end)
        if best < 0:
            return
        m = None
        if best - 1 >= start:
            m = _LABEL_RE.match(text, best - 1, end) or _GLUED_LABEL_RE.match(text, best - 1, end)
        if m is not None:
            yield m
            pos = m.end() + 1
        else:
            pos = best + 1


def _statement_end(text: str, m: re.Match[str], start: int, end: int) -> tuple[int, bool] | None:
    """End of the statement opened by label ``m`` and whether it is weak, or None for prose.

    Without a colon the label counts at the start of a line (after a paragraph number or portion
    mark), or mid-line when written ``Classified by`` and followed by a reason section — the form
    glued to REF lines (``E) CAIRO 730 Classified by Ambassador ... reason 1.4 (d).``). A label
    without colon and without a reason section is weak: body prose ("¶3. (C) CLASSIFIED BY THE
    MINISTRY AS ...") looks the same, so it must yield a full name.
    """
    stmt_end = min(end, m.end() + _MAX_STMT)
    stop = _STMT_END_RE.search(text, m.end(), stmt_end)
    if stop is not None:
        stmt_end = stop.start()
    if m["colon"]:
        return stmt_end, False
    if not text[m.start()].isupper():
        return None
    has_reason = _SECTION.search(text, m.end(), stmt_end) is not None
    line_start = max(start, text.rfind("\n", start, m.start()) + 1)
    at_line_start = _LINE_PREFIX_RE.match(text, line_start, m.start()) is not None
    if not at_line_start and not has_reason:
        return None
    return stmt_end, not has_reason


def _statements(text: str, start: int, end: int) -> Iterator[tuple[re.Match[str], int, _Parsed]]:
    """Each plausible statement: label, end of its lines, parsed content."""
    for m in _labels(text, start, end):
        found = _statement_end(text, m, start, end)
        if found is None:
            continue
        stmt_end, weak = found
        col = m.end() - (text.rfind("\n", 0, m.end()) + 1)
        parsed = _parse_statement(_join_lines(text[m.end() : stmt_end], col))
        if not parsed.valid:
            continue  # cable numbers, not a statement: try the next label
        if weak and (not parsed.names or any(" " not in n for n in parsed.names)):
            continue
        yield m, stmt_end, parsed


def find_classified_by(text: str, start: int, end: int) -> ClassifiedBy | None:
    """The Classified By statement in ``text[start:end]``, or None.

    A label without a colon counts only at the start of a line (after a paragraph number or
    portion mark) or when a reason follows; a statement that turns out to be something else
    (cable numbers) is skipped and the next label tried.
    """
    for m, stmt_end, parsed in _statements(text, start, end):
        # end of the statement: end of the reasons clause in the raw text, else end of the lines
        stmt_stop = m.end() + len(text[m.end() : stmt_end].rstrip(" \t\r\n\\"))
        sec = _SECTION.search(text, m.end(), stmt_end)
        if sec is not None:
            span = _LETTERS_RE.match(text, sec.end(), stmt_end)
            e = span.end() if span else sec.end()
            while e > sec.end() and text[e - 1] in " \t\r\n,;:-(":
                e -= 1
            stmt_stop = e
        name = "; ".join(parsed.names) if parsed.names else None
        return ClassifiedBy(
            name=name,
            title=parsed.title,
            reasons=parsed.reasons,
            text=text[m.start() : stmt_stop],
            start=m.start(),
            end=stmt_stop,
        )
    return None


def _names_in(text: str) -> list[str]:
    for _, _, parsed in _statements(text, 0, len(text)):
        return parsed.names
    return []


def parse_classified_by(text: str, normalize: bool = True) -> list[str]:
    """Names of the classifying officials (conformance: classified_by)."""
    names = _names_in(text)
    if normalize:
        return [normalize_name(n) for n in names]
    return names
