"""Where a REF block starts and ends, and its item letters (format.md §5.4).

The block opens at a ``REF:``/``REFTEL``/``Refs.`` keyword (one without a colon only when a
reference-like item follows). 5 FAH-1 H-246.1a puts the text "two lines below the subject line
or reference line", so the block ends at a blank line followed by non-reference text, at
``Classified By``, at a numbered paragraph or at a new classification line. Page markers,
pilcrows and backslashes are blanked first (same length, so offsets hold). Lettered items
(``A.``, ``A)``, ``(A)``, ``[A]``) are taken in sequence, so initials are not read as letters.
"""

from __future__ import annotations

import re

__all__ = [
    "BULLET",
    "END_PORTION",
    "MAX_BLOCK",
    "REF_LINE",
    "REF_START",
    "ZERO_IN_WORD",
    "blank_noise",
    "block_length",
    "item_letters",
    "plausible_start",
    "ref_start",
    "skip_blanks",
]

REF_START = re.compile(
    r"(?:(?<=[A-Z])REFS?(?=[ \t]*:)|(?<![A-Za-z])(?:REF(?:S|TEL|TELS|ERENCES?)?|Ref(?:s|tel|tels|erences?)?|ref(?:s|tel)?))"
    r"(?![A-Za-z])[ \t]*(?:\(S\))?[ \t]*[:.]?"
)
# Terminators of the block (searched after noise is blanked), in three patterns that each open
# with a character the engine can skip to (a leading look-behind makes it try every position):
# ``Classified By``; a numbered paragraph with its portion mark; a line opening with a paragraph
# number or a classification, caption or subject word (the match starts after the ``\n``).
_END_CLASSIFIED = re.compile(
    r"Classi?f?ied\s+By\b|CLASSI?F?IED\s+BY\b|Classified\s+by\b|CLASSIFIED:"
)
_PORTION = r"\s?\.\s*\((?:U|C|S|SBU|TS|S/NF|C/NF|SBU/NF|S//NF|C//NF)[^)]{0,8}\)"
END_PORTION = re.compile(rf"[¶\d](?<![\w./-][¶\d])(?:(?<=¶)\d{{1,2}}|(?<=\d)\d?){_PORTION}")
_END_LINE = re.compile(
    r"\n(?:[ \t]*¶?\d{1,2}\s?\.[ \t]"
    r"|(?i:[ \t]*(?:S\s?E\s?C\s?R\s?E\s?T\b|C\s?O\s?N\s?F\s?I\s?D\s?E\s?N\s?T\s?I\s?A\s?L\b"
    r"|UNCLAS|SENSITIVE|SUMMARY|SIPDIS|NOFORN|C\sO\sR\sR\sE\sC\sT|SUBJ(?:ECT)?\s*:|TAGS\b|E\.?O\.?\s"
    r"|BEGIN\s+SUMMARY|THIS\s+(?:MESSAGE|CABLE)\b)))"
)
REF_LINE = re.compile(r"\n[ \t]*(REF(?:S|TELS?)?[ \t]*:)")
_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")
# Noise inside the block, blanked before scanning: SMART page markers, legacy page headers.
_PAGE_MARK = re.compile(
    r"(?<![A-Za-z])[A-Z][A-Z .'-]{0,30}?\s\d{8}\s+\d{3}(?:\.\d)?\s+OF\s+\d{3}\b"
)
_PAGE_HEAD = re.compile(
    r"(?:(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)[ \t]*(?:\\n|\s)*)?"
    r"PAGE\s+\d{2}\s+[A-Z][^\n]*?\d{6}Z"
)
# A zero typed for the letter O.  The ``0`` leads so the engine can jump between zeros; the
# look-behinds (spanning that zero) test the character before it.
ZERO_IN_WORD = re.compile(r"0(?:(?<=[A-Za-z]0)(?=[A-Za-z]|[ \t])|(?<![A-Za-z0-9]0)(?=[A-Za-z]{3}))")

# ``(A)``, ``[A]``, ``A.``/``A)``/``A:``/``A -``.  The first character is consumed up front so
# the engine can skip to candidates; the look-behinds then span it (``[\s\S]`` or the letter
# captured by a look-behind group) to test what stands before the bullet.
BULLET = re.compile(
    r"[(\[A-Za-z](?<![A-Za-z0-9'’][\s\S])"
    r"(?:(?<=\()(?P<a>[A-Za-z])\)|(?<=\[)(?P<b>[A-Za-z])\]"
    r"|(?<=(?P<c>[A-Za-z]))(?:\.\)|[.):]|[ \t]+-[ \t])(?=[\s\dA-Za-z('’\[¶-])"
    # a bare capital after white space or opening the block (``REF A SECRETARY'S LETTER``)
    r"|(?<=(?P<d>[A-Z]))(?:(?<=[\s,;:][A-Z])|(?<![\s\S][A-Z]))(?<![A-Z][ \t][A-Z])"
    r"[ \t]+(?=[A-Z0-9])(?![A-Z][ \t]))"
)
# A bullet alone at the start of its line (or of the block) is an item letter even when one
# letter is skipped (items dropped as years, ``C. 2006``) or the list is an extract
# (``REF: D. STATE 3691``); not a Roman ``I.`` heading after ``F.``.
_LINE_LEAD = re.compile(r"(?:^|\n)[ \t]*\Z")
_MAX_SKIP_FIRST = 3

MAX_BLOCK = 2500


# --- where the block starts ---


def ref_start(text: str, pos: int, end: int) -> re.Match[str] | None:
    """``REF_START.search(text, pos, end)``, begun at the first ``REF``/``Ref``/``ref``.

    Every match opens with one of the three words; ``str.find`` skips to it far faster than
    the engine, which tries the pattern's look-behinds at every position.
    """
    first = -1
    for word in ("REF", "Ref", "ref"):
        i = text.find(word, pos, end if first < 0 else first + 2)
        if i >= 0:
            first = i
    if first < 0:
        return None
    return REF_START.search(text, first, end)


def plausible_start(text: str, m: re.Match[str]) -> bool:
    """A REF keyword opens the block when followed by ``:``/``.`` or by a reference-like item."""
    if m.group().rstrip().endswith((":", ".")):
        return True
    follow = text[m.end() : m.end() + 40]
    return _ITEM_LIKE.match(follow) is not None


# (precompiled: ``re.match`` with a pattern string pays a cache lookup per call)
_ITEM_LIKE = re.compile(
    r"\s*(?:\(?[A-Za-z][.):]|\[[A-Za-z]\]|\d|[A-Z]{2,}\s|[A-Z][a-z]+\s+\d|[A-Z]\s+[A-Z]{2,})"
)


def skip_blanks(text: str, pos: int, end: int) -> int:
    """The first position from ``pos`` that is not a space or tab."""
    while pos < end and text[pos] in " \t":
        pos += 1
    return pos


# --- where it ends ---


def block_length(w: str, first_letter: str | None = None) -> int:
    """Length of the REF block at the start of the blanked block text ``w``.

    After a blank line the block goes on only with a line that continues it: a bullet, a
    cable citation; a lettered line only when its letter is the block's next item letter
    (``(U) In the wake ...`` after ``REF: 09 BRASILIA 1428`` is a marked paragraph).
    """
    stop = len(w)
    m = _END_LINE.search(w)
    if m:
        stop = m.start() + 1
    m = _END_CLASSIFIED.search(w)  # not bounded by ``stop``: a match may run past it
    if m and m.start() < stop:
        stop = m.start()
    if "(" in w:  # a portion mark
        m = END_PORTION.search(w)
        if m and m.start() < stop:
            stop = m.start()
    pos = 0
    while True:
        b = _BLANK_LINE.search(w, pos, stop)
        if not b:
            break
        nxt = b.end()
        line_end = w.find("\n", nxt, stop)
        line = w[nxt : line_end if line_end != -1 else stop]
        if not _continues(line) or not _next_item(w, nxt, first_letter):
            return b.start()
        pos = b.end()
    return stop


_CONT_BULLET = re.compile(r"^[ \t]*(?:¶\s*)?(?:\(?[A-Za-z0-9]{1,2}[.):\]]|\[[A-Za-z]\]|-|REF\b)")
_CONT_CABLE = re.compile(r"^[ \t]*(?:\d{2,4}[ \t]*)?[A-Za-z][A-Za-z .'-]*[ \t]\d{2,}|^[ \t]*\d{3,}")


def _continues(line: str) -> bool:
    """The line after a blank line goes on with the block: a bullet, a citation, ``REF``."""
    return bool(_CONT_BULLET.match(line) or _CONT_CABLE.match(line))


def _next_item(w: str, pos: int, first_letter: str | None) -> bool:
    """The line at ``w[pos]`` does not open with an item letter out of the block's sequence."""
    m = BULLET.match(w, skip_blanks(w, pos, len(w)))
    if m is None or m.group("d"):
        return True
    return any(bpos == m.start() for bpos, _ in item_letters(w, first_letter, m.start()))


# --- noise ---

_NON_NL = re.compile(r"[^\n]")
_GLUED_AFTER = re.compile(r"[ \t]*\S")


def _blank_match(m: re.Match[str]) -> str:
    return _NON_NL.sub(" ", m.group())


def _break_match(m: re.Match[str]) -> str:
    """A page marker blanked; one with text glued after it ends its line, as the page's first
    line follows it (``REF: 09 State 124006  LONDON 00000092  001.3 OF 012   1.  In ...``)."""
    if _GLUED_AFTER.match(m.string, m.end()) is None:
        return _NON_NL.sub(" ", m.group())
    return _NON_NL.sub(" ", m.group()[:-1]) + "\n"


def blank_noise(text: str, start: int, end: int) -> str:
    """``text[start:end]`` with page markers, pilcrows and backslashes blanked (same length)."""
    chunk = text[start:end]
    if "OF" in chunk:
        chunk = _PAGE_MARK.sub(_break_match, chunk)
    if "PAGE" in chunk:
        chunk = _PAGE_HEAD.sub(_blank_match, chunk)
    chunk = chunk.replace("¶", " ").replace("\\", " ")
    if "0" in chunk:
        chunk = ZERO_IN_WORD.sub("O", chunk)
    return chunk


# --- item letters ---


def _leads_line(w: str, m: re.Match[str]) -> bool:
    """The bullet stands first on its line, followed by white space."""
    after = w[m.end() : m.end() + 1]
    if after and not after.isspace():
        return False
    return (
        _LINE_LEAD.search(w, max(0, m.start() - 40), m.start()) is not None
        or not w[: m.start()].strip()
    )


def item_letters(
    w: str, first_letter: str | None, upto: int | None = None
) -> list[tuple[int, str]]:
    """Item letters of the blanked block ``w`` (those starting up to ``upto``) as (offset,
    letter), accepted in sequence (A, A, B, C ...) so that initials are not taken for them."""
    bullets: list[tuple[int, str]] = []
    current = first_letter.upper() if first_letter else None
    for m in BULLET.finditer(w):
        if upto is not None and m.start() > upto:
            break
        letter = (m.group("a") or m.group("b") or m.group("c") or m.group("d") or "").upper()
        if current is None:
            ok = letter == "A"
        else:
            ok = letter == current or ord(letter) == ord(current) + 1
        if not ok and not m.group("d") and _leads_line(w, m):
            # ``B. 86108`` opening the block, ``D. PARIS 953`` after ``B.`` on a new line
            if current is None:
                ok = ord(letter) <= ord("A") + _MAX_SKIP_FIRST
            else:
                ok = ord(current) < ord(letter) <= ord(current) + 2
        if m.group("d") and current is None and m.start() > 12:
            ok = False
        if ok:
            bullets.append((m.start(), letter))
            current = letter
    return bullets
