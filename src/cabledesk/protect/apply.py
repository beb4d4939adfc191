"""Apply a redaction plan to one cable's text: the release version, and the map back.

Pure (no I/O), so the one promise that matters — nothing outside the planned spans and the
withheld paragraphs changes — can be checked by property tests over arbitrary texts and plans.

- Each planned span becomes a fixed-width marker (``XXXXXXXXXXXX``: the width never tells a
  name's length) or the entity's pseudonym. Overlapping, nested and duplicate spans merge into
  one replacement; adjacent spans stay two.
- With ``withhold_above`` set, every paragraph whose portion mark ranks above it is replaced
  whole by its printed number and mark and a notice: ``¶3. (S) [Paragraph withheld:
  classified S]``. Spans inside it are subsumed; a span reaching out of it is replaced outside.
- Portion marks rank U < SBU < C < S < TS by their level (``S/NF``, ``C//NF``, ``SBU/NF``,
  ``S//RELTOUSA,FVEY`` rank as S, C, SBU, S; ``U//FOUO`` as SBU). A mark that is not
  recognised ranks above TS, so it is always withheld: an unknown mark is never guessed low.
- The ``Release`` keeps, for every replacement, its place in the release and in the original,
  so an editor can review each one against the original text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from cabledesk.errors import CabledeskError
from cabledesk.protect.model import PlannedRedaction
from cabledesk.telegram.model import Paragraph

__all__ = [
    "DEFAULT_MARKER",
    "LEVELS",
    "RedactionError",
    "Release",
    "ReplacedSpan",
    "STYLES",
    "StalePlanError",
    "WithheldParagraph",
    "check_settings",
    "classification_mark",
    "mark_level",
    "redact",
    "withheld_notice",
]

DEFAULT_MARKER = "XXXXXXXXXXXX"
"""Twelve X, as in the published cables: the same width whatever the name."""

STYLES = ("marker", "pseudonym")

LEVELS = ("U", "SBU", "C", "S", "TS")
"""Portion-mark levels, lowest first."""

_LEVEL_WORDS = {
    "UNCLASSIFIED": "U",
    "SENSITIVE BUT UNCLASSIFIED": "SBU",
    "CONFIDENTIAL": "C",
    "SECRET": "S",
    "TOP SECRET": "TS",
}
_SBU_CAVEATS = {"FOUO", "FOR OFFICIAL USE ONLY", "SBU", "LOU", "LIMITED OFFICIAL USE"}
_MARK_PARTS = re.compile(r"[/,\-]+")
_NUMBER_HEAD = re.compile(r"[ \t]*(?:¶[ \t]*)?(\d{1,4})[ \t]*[.)]?[ \t]*")


class RedactionError(CabledeskError, ValueError):
    """A plan or option that cannot be applied: a span outside the text, an unknown style..."""


class StalePlanError(RedactionError):
    """A planned span no longer holds the text it was planned on: the cable changed since."""


def mark_level(mark: str | None) -> int | None:
    """The rank (index into ``LEVELS``) of a portion mark or classification, or None when it
    is missing or not recognised. Caveats after the level (``/NF``, ``//RELTOUSA``) do not
    change it, except that FOUO-type caveats raise U to SBU."""
    if not mark or not mark.strip():
        return None
    parts = [p.strip() for p in _MARK_PARTS.split(mark.upper()) if p.strip()]
    if not parts:
        return None
    head = " ".join(parts[0].split())
    code = _LEVEL_WORDS.get(head, head)
    if code not in LEVELS:
        return None
    level = LEVELS.index(code)
    if level == 0 and any(p in _SBU_CAVEATS for p in parts[1:]):
        return 1
    return level


def classification_mark(classification: str | None) -> str | None:
    """The level code of a cable's classification (``SECRET//NOFORN`` -> ``S``), which its
    unmarked paragraphs carry; None when missing or not recognised."""
    level = mark_level(classification)
    return None if level is None else LEVELS[level]


def withheld_notice(mark: str | None, unmarked: str | None) -> str:
    """What stands in for a withheld paragraph's body."""
    if mark:
        return f"[Paragraph withheld: classified {mark}]"
    if unmarked:
        return f"[Paragraph withheld: unmarked, cable classified {unmarked}]"
    return "[Paragraph withheld: unmarked, classification unknown]"


@dataclass(frozen=True, slots=True)
class ReplacedSpan:
    """One replacement: ``start``/``end`` in the release, ``original_*`` in the original."""

    start: int
    end: int
    original_start: int
    original_end: int
    replacement: str
    entities: tuple[str, ...]
    """The protected names of the planned spans merged here (the longest span's first)."""


@dataclass(frozen=True, slots=True)
class WithheldParagraph:
    """A paragraph replaced whole; ``paragraph`` is its printed number, or its position
    (1-based) when unnumbered."""

    paragraph: int
    numbered: bool
    mark: str | None
    start: int
    end: int
    original_start: int
    original_end: int


@dataclass(frozen=True, slots=True)
class Release:
    """A cable's release version, with every replacement mapped back to the original."""

    text: str
    original_length: int
    spans: tuple[ReplacedSpan, ...]
    withheld: tuple[WithheldParagraph, ...]
    planned: int
    """How many planned spans the plan gave for this cable (before merging)."""
    _order: tuple[ReplacedSpan | WithheldParagraph, ...] = field(
        init=False, repr=False, compare=False
    )
    _starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        pieces: list[ReplacedSpan | WithheldParagraph] = [*self.spans, *self.withheld]
        order = tuple(sorted(pieces, key=lambda p: p.start))
        object.__setattr__(self, "_order", order)
        object.__setattr__(self, "_starts", tuple(p.start for p in order))

    @property
    def spans_replaced(self) -> int:
        return len(self.spans)

    @property
    def paragraphs_withheld(self) -> int:
        return len(self.withheld)

    def pieces(self) -> list[ReplacedSpan | WithheldParagraph]:
        """Every replacement (spans and withheld paragraphs) in text order."""
        return list(self._order)

    def to_original(self, position: int) -> int:
        """The original offset of a release position: inside a replacement, where the
        replaced text began; elsewhere, the same character in the original."""
        if not 0 <= position <= len(self.text):
            raise RedactionError(
                f"position {position} is outside the release (0..{len(self.text)})"
            )
        pieces = self._order
        i = bisect.bisect_right(self._starts, position) - 1
        if i >= 0 and position < pieces[i].end:
            return pieces[i].original_start
        if i >= 0:
            return position - pieces[i].end + pieces[i].original_end
        return position


@dataclass(slots=True)
class _Merged:
    start: int
    end: int
    entities: list[tuple[int, str]]  # (length, entity), in plan order


def check_settings(style: str, marker: str, withhold_above: str | None) -> int | None:
    """Raise :class:`RedactionError` for an unknown style, an empty marker or a
    ``withhold_above`` that is no portion mark; the threshold's level otherwise."""
    if style not in STYLES:
        raise RedactionError(f"unknown style {style!r} (one of {', '.join(STYLES)})")
    if style == "marker" and not marker:
        raise RedactionError("the marker must not be empty")
    if withhold_above is None:
        return None
    level = mark_level(withhold_above)
    if level is None:
        raise RedactionError(
            f"withhold_above {withhold_above!r} is not a portion mark (one of {', '.join(LEVELS)})"
        )
    return level


def _merged_spans(text: str, redactions: Sequence[PlannedRedaction]) -> list[_Merged]:
    """The planned spans checked against the text, overlapping ones merged, in order."""
    checked: list[tuple[int, int, int, str]] = []
    for order, r in enumerate(redactions):
        where = f"{r.reference_id}: planned span {r.start}..{r.end} ({r.entity!r})"
        if not 0 <= r.start < r.end <= len(text):
            raise RedactionError(f"{where} is outside the text (0..{len(text)}) or empty")
        if text[r.start : r.end] != r.text:
            raise StalePlanError(
                f"{where} should hold {r.text!r} but the text there is "
                f"{text[r.start : r.end]!r}: the cable changed since the plan was made"
            )
        checked.append((r.start, r.end, order, r.entity))
    checked.sort()
    merged: list[_Merged] = []
    for start, end, _, entity in checked:
        if merged and start < merged[-1].end:
            merged[-1].end = max(merged[-1].end, end)
            merged[-1].entities.append((end - start, entity))
        else:
            merged.append(_Merged(start, end, [(end - start, entity)]))
    return merged


def _withheld_paragraphs(
    text: str, paragraphs: Sequence[Paragraph], above: int | None, unmarked: str | None
) -> list[tuple[int, bool, Paragraph]]:
    if above is None:
        return []
    chosen: list[tuple[int, bool, Paragraph]] = []
    for position, p in enumerate(paragraphs, 1):
        level = mark_level(p.mark if p.mark else unmarked)
        if level is not None and level <= above:
            continue
        if not 0 <= p.start <= p.end <= len(text):
            raise RedactionError(
                f"paragraph {position} ({p.start}..{p.end}) is outside the text (0..{len(text)})"
            )
        numbered = p.number is not None
        chosen.append((p.number if p.number is not None else position, numbered, p))
    chosen.sort(key=lambda c: c[2].start)
    for before, after in zip(chosen, chosen[1:], strict=False):
        if after[2].start < before[2].end:
            raise RedactionError(
                f"paragraphs {before[0]} and {after[0]} overlap "
                f"({before[2].start}..{before[2].end}, {after[2].start}..{after[2].end})"
            )
    return chosen


def _head(text: str, p: Paragraph) -> str:
    """The paragraph's printed number and portion mark, as written when they lead it (only
    digits, ``¶``, punctuation and the mark itself), else as ``3. (S)``."""
    written = " ".join(
        x
        for x in (f"{p.number}." if p.number is not None else "", f"({p.mark})" if p.mark else "")
        if x
    )
    body = text[p.start : p.end]
    head = ""
    if p.number is not None:
        m = _NUMBER_HEAD.match(body)
        if m is None or int(m.group(1)) != p.number:
            return written
        head = body[: m.end()]
    if p.mark:
        rest = body[len(head) :]
        stripped = rest.lstrip(" \t")
        if not stripped.startswith(f"({p.mark})"):
            return written
        head += rest[: len(rest) - len(stripped)] + f"({p.mark})"
    return head.rstrip(" \t")


def _outside(start: int, end: int, cuts: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of ``start..end`` outside the sorted, disjoint intervals ``cuts``."""
    parts: list[tuple[int, int]] = []
    at = start
    for cut_start, cut_end in cuts:
        if cut_end <= at or cut_start >= end:
            continue
        if cut_start > at:
            parts.append((at, cut_start))
        at = max(at, cut_end)
    if at < end:
        parts.append((at, end))
    return parts


def redact(
    text: str,
    paragraphs: Sequence[Paragraph],
    redactions: Sequence[PlannedRedaction],
    *,
    style: str = "marker",
    marker: str = DEFAULT_MARKER,
    pseudonyms: Mapping[str, str] | None = None,
    withhold_above: str | None = None,
    unmarked: str | None = None,
) -> Release:
    """The release version of ``text`` under a plan (spans into ``text``).

    ``pseudonyms`` maps each planned span's ``entity`` to its pseudonym (style
    ``pseudonym``). ``unmarked`` is the level assumed for paragraphs without a portion mark
    (the cable's classification: see :func:`classification_mark`); None ranks them unknown,
    so they are withheld whenever ``withhold_above`` is set. Raises :class:`RedactionError`
    for a span outside the text and :class:`StalePlanError` when a span's text differs.
    """
    above = check_settings(style, marker, withhold_above)
    merged = _merged_spans(text, redactions)
    chosen = _withheld_paragraphs(text, paragraphs, above, unmarked)
    cuts = [(p.start, p.end) for _, _, p in chosen]
    pieces: list[tuple[int, int, str, tuple[str, ...], tuple[int, bool, Paragraph] | None]] = []
    for m in merged:
        ranked = sorted(m.entities, key=lambda e: -e[0])  # stable: plan order among equals
        entities = tuple(dict.fromkeys(e for _, e in ranked))
        replacement = marker if style == "marker" else _pseudonym(pseudonyms, entities[0])
        for start, end in _outside(m.start, m.end, cuts):
            pieces.append((start, end, replacement, entities, None))
    for item in chosen:
        p = item[2]
        head = _head(text, p)
        notice = withheld_notice(p.mark, unmarked)
        pieces.append((p.start, p.end, f"{head} {notice}" if head else notice, (), item))
    pieces.sort(key=lambda piece: piece[0])

    out: list[str] = []
    length = 0
    at = 0
    spans: list[ReplacedSpan] = []
    withheld: list[WithheldParagraph] = []
    for start, end, replacement, entities, paragraph in pieces:
        out.append(text[at:start])
        length += start - at
        release_start, length = length, length + len(replacement)
        out.append(replacement)
        at = end
        if paragraph is None:
            spans.append(ReplacedSpan(release_start, length, start, end, replacement, entities))
        else:
            number, numbered, p = paragraph
            withheld.append(
                WithheldParagraph(number, numbered, p.mark, release_start, length, start, end)
            )
    out.append(text[at:])
    return Release("".join(out), len(text), tuple(spans), tuple(withheld), len(redactions))


def _pseudonym(pseudonyms: Mapping[str, str] | None, entity: str) -> str:
    found = (pseudonyms or {}).get(entity)
    if not found:
        raise RedactionError(
            f"no pseudonym for {entity!r}: add the name to the protect list, which assigns one"
        )
    return found
