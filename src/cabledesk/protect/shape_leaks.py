"""Rule ``shape``: a readable name standing in a sentence shaped like the redacted ones
("according to Chun", "Chun told us", "Chun (protect)").

Risk starts from the frame's specificity (how often editors redacted what stood in it, from
``data/audit_shapes.tsv``) and moves with the evidence, as odds multiplied by factors: redactions
in the same or a nearby paragraph raise it, a cable without redactions lowers it; a bare
surname, a name few cables print and a frame that also holds a marker in this cable raise it;
a title (US officials above all) and a name many cables print lower it. Header officials
(signer, Classified By, drafters) are never flagged.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator

from cabledesk.protect.model import AuditFinding
from cabledesk.protect.name_runs import NameRun, name_runs
from cabledesk.protect.names import mostly_upper
from cabledesk.protect.positions import finding_at, paragraph_index
from cabledesk.protect.shapes import MARKER, WORD_RE, Shape, body_start, is_marker, load_shapes
from cabledesk.telegram.model import Cable

__all__ = ["US_TITLES", "shape_findings"]

US_TITLES = frozenset(
    [
        "ambassador",
        "amb",
        "charge",
        "chargé",
        "dcm",
        "poloff",
        "poloffs",
        "emboff",
        "emboffs",
        "econoff",
        "econoffs",
        "polcouns",
        "polchief",
        "econcouns",
        "polecon",
        "pol/econ",
        "secretary",
        "secstate",
        "senator",
        "sen",
        "congressman",
        "congresswoman",
        "rep",
        "codel",
        "staffdel",
        "a/s",
        "das",
        "pdas",
        "u/s",
        "under",
        "consul",
        "consul-general",
        "conoff",
        "attache",
        "attaché",
        "president-elect",
    ]
)
_WINDOW = 5  # words read as a possible name beside a frame
_OFFICIAL_TITLES_REDUCE = 0.15
_OTHER_TITLE_REDUCE = 0.4


def _frame_words(low: list[str], i: int, side: str) -> list[tuple[str, ...]]:
    """The 1-3 word frames beside token index ``i`` (left) or starting at ``i`` (right)."""
    out: list[tuple[str, ...]] = []
    for size in (1, 2, 3):
        words = tuple(low[i - size : i]) if side == "left" else tuple(low[i : i + size])
        if len(words) == size and size <= (i if side == "left" else len(low) - i):
            out.append(words)
    return out


def _best(
    shapes: dict[tuple[str, tuple[str, ...]], Shape], side: str, frames: list[tuple[str, ...]]
) -> Shape | None:
    found = [shapes[(side, f)] for f in frames if (side, f) in shapes]
    return max(found, key=lambda s: s.specificity, default=None)


def _rarity_factor(cables: int) -> float:
    if cables <= 2:
        return 2.0
    if cables <= 5:
        return 1.3
    if cables <= 20:
        return 0.7
    if cables <= 100:
        return 0.3
    return 0.1


def _marker_frames(low: list[str]) -> set[tuple[str, tuple[str, ...]]]:
    out: set[tuple[str, tuple[str, ...]]] = set()
    for i, tok in enumerate(low):
        if tok == MARKER:
            out.update(("left", f) for f in _frame_words(low, i, "left"))
            out.update(("right", f) for f in _frame_words(low, i + 1, "right"))
    return out


def shape_findings(
    cable: Cable,
    reference_id: str,
    officials: frozenset[str],
    cables_naming: Callable[[str], int],
) -> Iterator[AuditFinding]:
    """Names in redaction-shaped frames, with their risk. ``cables_naming(word)`` counts the
    cables that print the (lower-cased) word readable."""
    text = cable.text
    start = body_start(cable)
    end = len(text)
    upper = mostly_upper(text[start:end])
    shapes = load_shapes()
    tokens = list(WORD_RE.finditer(text, start, end))
    low = [MARKER if is_marker(t.group()) else t.group().lower() for t in tokens]
    starts = [t.start() for t in tokens]
    index = {s: i for i, s in enumerate(starts)}
    in_cable = _marker_frames(low)
    redacted_paras = [paragraph_index(cable, r.start) for r in cable.redactions]
    for run in _framed_runs(text, tokens, low, shapes, upper):
        if _is_official(run, officials):
            continue
        first = index.get(run.start)
        if first is None:
            continue
        last = _token_after(starts, run.end)
        left_at = first - 1 if run.title else first
        left = _best(shapes, "left", _frame_words(low, left_at, "left"))
        right = _best(shapes, "right", _frame_words(low, last, "right")) if last else None
        if left is None and right is None:
            continue
        yield _finding(
            cable, reference_id, run, left, right, in_cable, redacted_paras, cables_naming
        )


def _framed_runs(
    text: str,
    tokens: list[re.Match[str]],
    low: list[str],
    shapes: dict[tuple[str, tuple[str, ...]], Shape],
    upper: bool,
) -> list[NameRun]:
    """Names right after a left frame or right before a right frame: only the few words
    beside a frame are read as names, not the whole cable."""
    found: dict[int, NameRun] = {}
    n = len(tokens)
    left_last = {words[-1] for side, words in shapes if side == "left"}
    right_first = {words[0] for side, words in shapes if side == "right"}
    for i in range(n):
        if (
            i
            and low[i - 1] in left_last
            and any(("left", f) in shapes for f in _frame_words(low, i, "left"))
        ):
            a, b = tokens[i].start(), tokens[min(i + _WINDOW, n - 1)].end()
            runs = name_runs(text, a, b, upper)
            if runs and runs[0].start in (a, _next_start(tokens, i)):
                found.setdefault(runs[0].start, runs[0])
        if (
            i
            and low[i] in right_first
            and any(("right", f) in shapes for f in _frame_words(low, i, "right"))
        ):
            a, b = tokens[max(i - _WINDOW, 0)].start(), tokens[i - 1].end()
            runs = name_runs(text, a, b, upper)
            if runs and _token_after_end(runs[-1].end, tokens, i):
                found.setdefault(runs[-1].start, runs[-1])
    return sorted(found.values(), key=lambda r: r.start)


def _next_start(tokens: list[re.Match[str]], i: int) -> int:
    """The start of the word after token ``i`` (a name after a title: "to Ambassador X")."""
    return tokens[i + 1].start() if i + 1 < len(tokens) else -1


def _token_after_end(end: int, tokens: list[re.Match[str]], i: int) -> bool:
    """The name ends where token ``i - 1`` ends, or is that token minus a possessive."""
    prev = tokens[i - 1]
    return end == prev.end() or (prev.end() - end == 2 and prev.group().endswith(("'s", "’s")))


def _token_after(starts: list[int], end: int) -> int | None:
    """Index of the first token after a name (a possessive is part of the name token)."""
    i = bisect.bisect_left(starts, end)
    return i if i < len(starts) else None


def _is_official(run: NameRun, officials: frozenset[str]) -> bool:
    words = run.text.upper().replace(".", "").split()
    return " ".join(words) in officials or (bool(words) and words[-1] in officials)


def _finding(
    cable: Cable,
    reference_id: str,
    run: NameRun,
    left: Shape | None,
    right: Shape | None,
    in_cable: set[tuple[str, tuple[str, ...]]],
    redacted_paras: list[int | None],
    cables_naming: Callable[[str], int],
) -> AuditFinding:
    shapes = [s for s in (left, right) if s is not None]
    miss = 1.0
    for s in shapes:
        miss *= 1 - s.specificity
    prior = 1 - miss
    odds = prior / max(miss, 1e-6)
    reasons: list[str] = []
    para = paragraph_index(cable, run.start)
    if not cable.redactions:
        odds *= 0.3
        reasons.append("the cable has no redactions")
    else:
        near = [abs(p - para) for p in redacted_paras if p is not None and para is not None]
        same = sum(1 for d in near if d == 0)
        if same:
            odds *= 3.0
            reasons.append(f"{same} redaction{'s' if same > 1 else ''} in the same paragraph")
        elif near and min(near) == 1:
            odds *= 2.0
            reasons.append("redactions in the next paragraph")
        else:
            odds *= 1.3
            reasons.append(f"{len(cable.redactions)} redactions elsewhere in the cable")
    if any((s.side, s.words) in in_cable for s in shapes):
        odds *= 1.5
        reasons.append("the same frame holds a redaction in this cable")
    if run.words == 1 and run.title is None:
        odds *= 1.5
        reasons.append("a bare surname")
    surname = run.text.split()[-1].lower()
    naming = cables_naming(surname)
    odds *= _rarity_factor(naming)
    reasons.append(f"named in {naming} cable{'s' if naming != 1 else ''}")
    if run.title is not None:
        us = run.title.lower().rstrip(".") in US_TITLES
        odds *= _OFFICIAL_TITLES_REDUCE if us else _OTHER_TITLE_REDUCE
        reasons.append(f"titled {run.title}" + (" (likely a US official)" if us else ""))
    risk = round(odds / (1 + odds), 3)
    frames = "; ".join(_describe(s) for s in shapes)
    verdict = (
        "probable leak of a redacted source"
        if risk >= 0.7
        else "possible leak"
        if risk >= 0.4
        else "named in a source frame"
    )
    return finding_at(
        cable,
        reference_id,
        run.text,
        run.start,
        rule="shape",
        risk=risk,
        detail=f"{verdict}: {frames}; " + ", ".join(reasons),
    )


def _describe(shape: Shape) -> str:
    frame = " ".join(shape.words)
    pattern = f"{frame} ___" if shape.side == "left" else f"___ {frame}"
    total = shape.markers + shape.names
    return f'"{pattern}" (redacted {shape.markers} of {total} times in the corpus)'
