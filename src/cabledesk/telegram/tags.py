"""The TAGS line: "Traffic Analysis by Geography and Subject" (5 FAH-3 H-011).

``TAGS: PREF PHUM PREL RS KN`` lists subject TAGS (5 FAH-3 H-110/H-111: four letters, the first
naming the category), program or "K" TAGS (5 FAH-3 H-612 b: four letters beginning with K),
geo-political TAGS (FIPS 10 digraphs and Department region codes, 5 FAH-3 H-410 ff., TAGS
handbook TL:TAGS-1 1974 sec. 9-12), and, freestyle, organisations and persons (TL:TAGS-1
sec. 10, 13-15). Drafters deviate a lot: a missing colon, commas, typos, codes run together
(``ITPHUM``), keyword phrases (``HUMAN RIGHTS``) and persons written ``LAST FIRST``. The tables
under ``data/`` (see ``data/SOURCES-tags.md``) drive every fix; no cable is special-cased.
"""

from __future__ import annotations

import functools
import re

from cabledesk.telegram.model import Tag
from cabledesk.telegram.structure import AnyLiteral, LiteralGate
from cabledesk.telegram.tag_codes import is_code, is_known_tag, tables, tag_kind, tag_meaning

__all__ = ["find_tags", "is_known_tag", "parse_tags", "tag_kind", "tag_meaning"]

# --- the TAGS block ------------------------------------------------------------------------

# At a line start every label variant seen in Cablegate may stand with or without a colon; in
# mid-line (glued lines, ``E.o. 12958: decl: ... Tags: prel``) only a label with a colon counts.
_LABEL = re.compile(
    r"(?:^[ \t]*(?:TAGS?|TAS|TABS|TGS|TAGES)(?:[ \t]*[:;,][ \t]*|[ \t]+|(?=\n))"
    r"|^[ \t]*AGS[ \t]*:[ \t]*"
    r"|(?<![A-Za-z])(?:TAGS?|TAS|TABS|TGS|TAGES)[ \t]*:[ \t]*"
    r"|(?<=[ \t])AGS[ \t]*:[ \t]*)",
    re.IGNORECASE | re.MULTILINE,
)
# A following line that ends the block outright.
_STOP_LINE = re.compile(
    r"[ \t]*(?:$|\\[ \t]*$|S?UBJ|REF|Classified|E\.?[ \t]*O\.?[ \t]*\d|C O N|S E C|UNCLAS)",
    re.IGNORECASE,
)
# Inside the block: the next header field or a legacy page banner glued onto the line.
_INLINE_STOP = re.compile(
    r"(?:^|(?<=[\s,.;]))S?UBJ(?:ECT)?[ \t]*:|\bREFS?[ \t]*:|Classified[ \t]+By"
    r"|\b(?:UNCLASSIFIED|UNCLAS|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)[ \t]+PAGE[ \t]+\d",
    re.IGNORECASE,
)
_INLINE_GATE = LiteralGate(_INLINE_STOP, ("UBJ", "REF", "CLASSIFIED", "PAGE"))
# A continuation line must look like a TAGS list: upper case codes, no colon, no bare numbers.
_CONT_SHAPE = re.compile(r"[ \t]*[A-Z(][A-Z0-9/&'.()\-, ;\t]*$")
_BARE_NUMBER = re.compile(r"(?:^|[\s,;])\d+(?=$|[\s,;])")
_PIECE = re.compile(r"\(([^()]*)\)?|([^\s,;()]+)|([,;])")
_WORD_SPLIT = re.compile(r"[\s,;]+")
_LETTERS = re.compile(r"[A-Z]+")
# A TAGS list whose label was lost: the line right after the E.O. line (08BEIJING3662).
_AFTER_EO = re.compile(
    r"^[ \t]*E\.?[ \t]*O\.?[ \t]*1\d{4}\b[^\n]*\n([ \t]*[A-Z][A-Z, \t]*[A-Z][ \t,]*)$",
    re.MULTILINE,
)


def find_tags(text: str, start: int, end: int) -> tuple[list[Tag], int, int] | None:
    """The TAGS block in ``text[start:end]``: canonical tags with kinds, block start and end.

    The list runs on over following lines when a line ends with a comma or the next line is
    itself a list of codes (TAGS wrap like any text line, ACP 127 §138 69-character lines), and
    stops at SUBJECT, REF, ``Classified By``, a blank line or a legacy ``PAGE`` banner.
    """
    found = _find_block(text, start, end)
    if found is None:
        return None
    raw, block_start, block_end = found
    return [Tag(code, kind) for code, kind in _tagged(raw)], block_start, block_end


@functools.lru_cache(maxsize=8192)
def _tagged(raw: str) -> tuple[tuple[str, str], ...]:
    """Canonical codes with kinds for one raw TAGS block; blocks repeat, so results are cached."""
    return tuple((code, tag_kind(code)) for code in _canonicalize(_pieces(raw)))


def _find_block(text: str, start: int, end: int) -> tuple[str, int, int] | None:
    m = _search_label(text, start, end)
    if m is None:
        return _find_unlabelled(text, start, end)
    pos = m.end()
    line_end = text.find("\n", pos, end)
    if line_end < 0:
        line_end = end
    lines = [text[pos:line_end]]
    while line_end < end:
        nxt = line_end + 1
        nxt_end = text.find("\n", nxt, end)
        if nxt_end < 0:
            nxt_end = end
        line = text[nxt:nxt_end]
        if _STOP_LINE.match(line) or not _continues(lines[-1], line):
            break
        lines.append(line)
        line_end = nxt_end
    raw = "\n".join(lines)
    cut = _INLINE_GATE.search(raw)
    if cut is not None:
        raw = raw[: cut.start()]
        block_end = pos + cut.start()
    else:
        block_end = line_end
    return raw, m.start(), block_end


_LABEL_LITERALS = AnyLiteral("TAG", "AGS", "TAS", "TABS", "TGS")


def _search_label(text: str, start: int, end: int) -> re.Match[str] | None:
    """``_LABEL.search`` made fast: find the label's letters with ``str.find`` in an upper-cased
    copy, then check each candidate with the regex on a small window."""
    up = text[start:end].upper()
    n = len(up)
    q = 0
    while True:
        p = _LABEL_LITERALS.find(up, q, n)
        if p < 0:
            return None
        at = start + p
        line_start = max(start, text.rfind("\n", start, at) + 1)
        m = _LABEL.search(text, line_start, min(end, at + 16))
        if m is not None:
            return m
        q = p + 1


def _find_unlabelled(text: str, start: int, end: int) -> tuple[str, int, int] | None:
    """A line of nothing but listed codes right after the E.O. line is a TAGS line whose label
    was lost; at least two codes are needed, so a stray word never becomes a TAG."""
    m = _AFTER_EO.search(text, start, end)
    if m is None:
        return None
    words = [w for w in _WORD_SPLIT.split(m.group(1).strip()) if w]
    if len(words) < 2 or not all(is_code(w) for w in words):
        return None
    return m.group(1), m.start(1), m.end(1)


def _continues(prev: str, line: str) -> bool:
    if prev.rstrip(" \t\\").endswith(","):
        return True
    cut = _INLINE_GATE.search(line)
    if cut is not None:
        line = line[: cut.start()]
    if not prev.strip():  # ``TAGS:`` alone on its line: the codes follow
        first = _WORD_SPLIT.split(line.strip(), maxsplit=1)[0].upper()
        return bool(first) and is_code(first)
    if not _CONT_SHAPE.match(line) or _BARE_NUMBER.search(line):
        return False
    words = _WORD_SPLIT.split(line.strip())
    if not words or not words[0]:
        return False
    if is_code(words[0]):
        return True
    last = _WORD_SPLIT.split(prev.strip())[-1].upper()
    return (last, words[0]) in tables().phrase_pairs


def parse_tags(text: str, canonicalize: bool = True) -> list[str]:
    """The TAGS of a cable text as a list of upper-cased codes (cablemap ``tags`` semantics).

    With ``canonicalize`` duplicates go (first kept), SIPDIS goes, parenthesised persons are
    unwrapped, and typos, run-together codes and ``LAST FIRST`` persons are fixed from the data
    tables; without it the codes come back as written, upper-cased.
    """
    found = _find_block(text, 0, len(text))
    if found is None:
        return []
    pieces = _pieces(found[0])
    if not canonicalize:
        return [p if kind == "word" else f"({p})" for kind, p in pieces if kind != "sep"]
    return _canonicalize(pieces)


def _pieces(raw: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for m in _PIECE.finditer(raw.upper()):
        paren, word, sep = m.groups()
        if sep is not None:
            out.append(("sep", sep))
        elif word is not None:
            word = word.strip(":")
            if word:
                out.append(("word", word))
        elif paren is not None and paren.strip():
            out.append(("paren", " ".join(paren.split())))
    return out


def _canonicalize(pieces: list[tuple[str, str]]) -> list[str]:
    out: list[str] = []
    segment: list[str] = []
    for kind, value in pieces:
        if kind == "word":
            segment.append(value)
            continue
        out.extend(_segment_tags(segment, out[-1] if out else None))
        segment = []
        if kind == "paren":
            if "," in value:
                out.append(value.strip(" ,"))
            else:
                out.extend(_segment_tags(value.split(), out[-1] if out else None))
    out.extend(_segment_tags(segment, out[-1] if out else None))
    return list(dict.fromkeys(code for code in out if code and code != "SIPDIS"))


def _segment_tags(words: list[str], before: str | None) -> list[str]:
    """Tags of a run of space-separated words (no comma between them)."""
    t = tables()
    words = _unglue_phrases(words)
    out: list[str] = []
    i, n = 0, len(words)
    while i < n:
        w = words[i]
        phrase = _match_phrase(words, i)
        if phrase is not None:
            canonical, size = phrase
            i += size
            if canonical in t.keywords:
                # A listed keyword starts a phrase; plain words after it still belong to it
                # (``MEDIA REACTION REPORT``), up to the next code or listed phrase.
                j = i
                while j < n and _joins_run(words, j):
                    j += 1
                canonical = " ".join([canonical, *words[i:j]])
                i = j
            out.append(canonical)
            continue
        if i + 1 < n and (w, words[i + 1]) in t.persons:
            out.append(t.persons[(w, words[i + 1])])
            i += 2
            continue
        single = _single(w)
        if single is not None:
            out.extend(single)
            i += 1
            continue
        j = i + 1
        while j < n and _joins_run(words, j):
            j += 1
        out.extend(_unknown_run(words[i:j], out[-1] if out else before))
        i = j
    return out


def _unglue_phrases(words: list[str]) -> list[str]:
    """Repair a keyword phrase glued to what follows: ``HUMAN RIGHTSPOLMIL`` -> ``HUMAN RIGHTS
    POL MIL``, when the words before complete a listed phrase and the rest splits into codes."""
    t = tables()
    out: list[str] = []
    for w in words:
        done = False
        if out and _single(w) is None:
            for phrase in t.phrases:
                size = len(phrase)
                last = phrase[-1]
                if (
                    size >= 2
                    and len(w) > len(last)
                    and w.startswith(last)
                    and tuple(out[-(size - 1) :]) == phrase[:-1]
                ):
                    rest = _split_run_together(w[len(last) :], t.single_phrases, 2)
                    if rest is not None:
                        out.append(last)
                        out.extend(rest)
                        done = True
                        break
        if not done:
            out.append(w)
    return out


def _match_phrase(words: list[str], i: int) -> tuple[str, int] | None:
    t = tables()
    if words[i] not in t.phrase_starts:
        return None
    for size in range(min(t.max_phrase, len(words) - i), 0, -1):
        hit = t.phrases.get(tuple(words[i : i + size]))
        if hit is not None:
            return hit, size
    return None


def _single(word: str) -> list[str] | None:
    """A word that stands for known TAGS by itself: a code, a known typo, or codes run together."""
    t = tables()
    if is_code(word):
        return [word]
    if word in t.typos:
        return [t.typos[word]]
    parts = _split_run_together(word)
    return parts


def _joins_run(words: list[str], j: int) -> bool:
    """Whether ``words[j]`` continues a run of unknown words (a keyword phrase or a name)."""
    w = words[j]
    if _match_phrase(words, j) is not None:
        return False
    if _single(w) is None:
        return True
    # A short code between two plain words is an ordinary word: ``TIP IN TURKEY``.
    return (
        len(w) == 2
        and j + 1 < len(words)
        and len(words[j - 1]) >= 3
        and len(words[j + 1]) >= 3
        and _single(words[j + 1]) is None
    )


def _unknown_run(run: list[str], before: str | None) -> list[str]:
    """Unknown words: a visitor's name after OVIP, listed persons, else one keyword phrase."""
    t = tables()
    out: list[str] = []
    rest = run
    if before == "OVIP" and len(rest) >= 2 and all(_LETTERS.fullmatch(w) for w in rest[:2]):
        out.append(f"{rest[0]}, {rest[1]}")
        rest = rest[2:]
    buf: list[str] = []
    i = 0
    while i < len(rest):
        if i + 1 < len(rest) and (rest[i], rest[i + 1]) in t.persons:
            if buf:
                out.append(" ".join(buf))
                buf = []
            out.append(t.persons[(rest[i], rest[i + 1])])
            i += 2
            continue
        buf.append(rest[i])
        i += 1
    if buf:
        out.append(" ".join(buf))
    return out


def _split_run_together(
    word: str, extra: frozenset[str] = frozenset(), min_len: int = 5
) -> list[str] | None:
    """Cut a token like ``ITPHUM`` or ``KFRDKIRFCVIS...EG`` into listed codes, fewest pieces.

    Only all-letter tokens of ``min_len`` letters or more are tried, and a split must contain at
    least one four-letter subject/program code or organisation (or one of ``extra``), so plain
    words (``POLITICS``) that happen to spell FIPS digraphs stay whole.
    """
    n = len(word)
    if n < min_len or n > 60 or not _LETTERS.fullmatch(word):
        return None
    t = tables()
    # best[i] = (pieces, anchored) for word[:i]
    best: list[tuple[list[str], bool] | None] = [None] * (n + 1)
    best[0] = ([], False)
    for i in range(n):
        cur = best[i]
        if cur is None:
            continue
        for size in (2, 3, 4, 5, 6):
            j = i + size
            if j > n:
                break
            piece = word[i:j]
            if piece not in t.split_units and piece not in extra:
                continue
            cand = (cur[0] + [piece], cur[1] or piece in t.long_units or piece in extra)
            old = best[j]
            if old is None or (len(cand[0]), not cand[1]) < (len(old[0]), not old[1]):
                best[j] = cand
    end = best[n]
    if end is None or not end[1] or (len(end[0]) < 2 and not extra):
        return None
    return end[0]
