"""In-text mentions of a cable's references: "ref A", "REFS B AND C", "reftel", "septel".

Readers follow a cable's argument through these mentions, so the archive ties each one to the
REF entry it names (by letter; a bare "reftel" to the only entry, "reftels" to every entry).
"Septel" announces a separate telegram that the REF block does not list: it is kept, untied.
Only the text after the REF block is searched, so the block's own "REF:" label never counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from cabledesk.telegram.model import Cable, Reference

__all__ = ["RefMention", "find_ref_mentions"]


@dataclass(slots=True, frozen=True)
class RefMention:
    """One mention: ``kind`` is ``ref``, ``reftel`` or ``septel``; ``ref_index`` is the position
    in ``Cable.references`` of the entry it names, or None when no entry matches."""

    kind: str
    letter: str | None
    ref_index: int | None
    text: str
    start: int
    end: int


_MENTION = re.compile(
    r"(?P<kw>REF\s*TELS?|REFS?|SEPTELS?)\b\.?"
    r"(?:[ \t]*\(?[ \t]*(?P<letters>[A-H](?:[ \t]*(?:,[ \t]*(?:AND[ \t]+)?|AND|&|-|THROUGH|THRU)"
    r"[ \t]*\(?[A-H])*)\)?(?![\w'’]))?"
)
_WORD_BEFORE = re.compile(r"[\w/-]")
_LETTER_SEP = re.compile(r"[ \t]*(,[ \t]*(?:AND[ \t]+)?|AND|&|-|THROUGH|THRU)[ \t]*\(?", re.I)
_LABEL_AFTER = re.compile(r"[ \t]*:")


def _letters(spec: str) -> list[str]:
    """``A AND B`` -> [A, B]; ``A-C`` and ``A THROUGH C`` expand the range."""
    parts = _LETTER_SEP.split(spec.strip())
    letters: list[str] = [parts[0].upper()]
    for sep, letter in zip(parts[1::2], parts[2::2], strict=False):
        letter = letter.strip("( \t").upper()
        if sep.strip().upper() in {"-", "THROUGH", "THRU"} and letters[-1] < letter:
            letters.extend(chr(c) for c in range(ord(letters[-1]) + 1, ord(letter) + 1))
        else:
            letters.append(letter)
    return letters


def _body_start(cable: Cable) -> int:
    ends = [r.end for r in cable.references]
    if ends:
        return max(ends)
    if cable.paragraphs:
        return cable.paragraphs[0].start
    return 0


def _index_by_letter(refs: list[Reference]) -> dict[str, int]:
    """Letter -> entry. A block written without letters is lettered A, B, ... in order, as
    its readers did ("REF: STATE 122739" then "per ref A")."""
    if refs and not any(ref.letter for ref in refs):
        return {chr(ord("A") + i): i for i in range(min(len(refs), 26))}
    index: dict[str, int] = {}
    for i, ref in enumerate(refs):
        if ref.letter:
            index.setdefault(ref.letter.upper(), i)
    return index


def _candidates(text: str, start: int) -> Iterator[re.Match[str]]:
    """Matches of ``_MENTION`` on the upper-cased text from ``start``, found by literal search:
    a case-insensitive regex scan of every cable would cost more than the rest of parsing."""
    upper = text.upper()
    if len(upper) != len(text):  # a character whose capital is longer (ß): keep offsets exact
        upper = "".join(c if len(c.upper()) != 1 else c.upper() for c in text)
    found: list[re.Match[str]] = []
    for word in ("REF", "SEPTEL"):
        pos = upper.find(word, start)
        while pos >= 0:
            if not (pos and _WORD_BEFORE.match(upper, pos - 1)):
                m = _MENTION.match(upper, pos)
                if m:
                    found.append(m)
            pos = upper.find(word, pos + len(word))
    found.sort(key=lambda m: m.start())
    return iter(found)


def find_ref_mentions(cable: Cable) -> list[RefMention]:
    """Every mention of a reference in the cable's body, in text order, one per letter named."""
    text = cable.text
    by_letter = _index_by_letter(cable.references)
    mentions: list[RefMention] = []
    for m in _candidates(text, _body_start(cable)):
        if _LABEL_AFTER.match(text, m.end()):
            continue  # a "REF:" label of a block the parser did not read
        kw = re.sub(r"\s+", "", m["kw"])
        start = m.start()
        spec = text[m.start("letters") : m.end("letters")] if m["letters"] else None
        letters = _letters(spec) if spec else []
        if spec and spec.islower() and not all(x in by_letter for x in letters):
            letters = []  # "see ref a report" in lower-case prose: an article, not a letter
        if letters and not kw.startswith("SEPTEL"):
            end = m.end()
            if text[end - 1] == ")" and "(" not in text[start : m.start("letters")]:
                end -= 1  # "(REF A)": the bracket closes the writer's aside, not the mention
            for letter in letters:
                index = by_letter.get(letter)
                mentions.append(RefMention("ref", letter, index, text[start:end], start, end))
            continue
        end = m.end("kw")
        word = text[start:end]
        if kw.startswith("SEPTEL"):
            mentions.append(RefMention("septel", None, None, word, start, end))
        elif (kw.endswith("S") and kw != "REFS") or (kw == "REFS" and cable.references):
            for i, ref in enumerate(cable.references):
                mentions.append(RefMention("reftel", ref.letter, i, word, start, end))
        elif len(cable.references) == 1:
            only = cable.references[0]
            mentions.append(RefMention("reftel", only.letter, 0, word, start, end))
        else:
            mentions.append(RefMention("reftel", None, None, word, start, end))
    return mentions
