"""Redaction (protect.apply): nothing outside the planned spans and withheld paragraphs changes.

Property tests draw arbitrary texts, span sets and paragraph layouts; an independent oracle
(a per-character mask of what the plan and the portion marks hide) says what must survive.
The same checks then run over every real cable of tests/data/sample.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cabledesk.protect.apply import (
    DEFAULT_MARKER,
    RedactionError,
    Release,
    ReplacedSpan,
    StalePlanError,
    WithheldParagraph,
    classification_mark,
    mark_level,
    redact,
)
from cabledesk.protect.model import PlannedRedaction
from cabledesk.sources.text import read_text_file
from cabledesk.telegram import Cable, parse
from cabledesk.telegram.model import Paragraph

# The expected rank of each mark the strategies use, written out (not computed by the module).
RANK = {"U": 0, "SBU": 1, "U//FOUO": 1, "C": 2, "C//NF": 2, "S": 3, "S/NF": 3, "TS": 4}
UNKNOWN_MARKS = ["ZZ", "NF", "Q/NF"]
NOTICE_WORDS = {
    "Paragraph",
    "withheld",
    "classified",
    "unmarked",
    "cable",
    "classification",
    "unknown",
}
THRESHOLDS = ["U", "SBU", "C", "S", "TS"]
ALPHABET = st.characters(
    min_codepoint=1, max_codepoint=0x2FF, exclude_categories=("Cs",)
) | st.sampled_from(list("¶()\n  XéП\u202e"))
PIECES = [
    " ",
    "\n",
    "Smith",
    "Müller",
    "é",
    "¶3. (S) ",
    "(C) ",
    "Kim Jong-il",
    "said",
    "<b>",
    "&amp;",
]
TEXTS = st.lists(st.sampled_from(PIECES) | st.text(ALPHABET, max_size=4), max_size=80).map("".join)


def plan_of(
    text: str, ranges: Sequence[tuple[int, int]], entity: str = "Alice"
) -> list[PlannedRedaction]:
    return [PlannedRedaction("TEST1", s, e, text[s:e], entity, "test", 1.0) for s, e in ranges]


def withheld_expected(
    paragraphs: Sequence[Paragraph], above: str | None, unmarked: str | None
) -> list[Paragraph]:
    if above is None:
        return []
    out = []
    for p in paragraphs:
        mark = p.mark or unmarked
        if mark is None or mark not in RANK or RANK[mark] > RANK[above]:
            out.append(p)
    return out


def check_release(
    text: str,
    plan: Sequence[PlannedRedaction],
    hidden_paragraphs: Sequence[Paragraph],
    release: Release,
    replacement_of: dict[str, str],
    unmarked: str | None = None,
) -> None:
    """The invariants every release keeps, against an oracle mask of what must be hidden."""
    hidden = [False] * len(text)
    for r in plan:
        hidden[r.start : r.end] = [True] * (r.end - r.start)
    planned = list(hidden)
    for p in hidden_paragraphs:
        hidden[p.start : p.end] = [True] * (p.end - p.start)
    pieces: list[ReplacedSpan | WithheldParagraph] = release.pieces()
    # The pieces cover exactly what the oracle hides, in order, without overlap.
    covered = [False] * len(text)
    for piece in pieces:
        assert not any(covered[piece.original_start : piece.original_end])
        covered[piece.original_start : piece.original_end] = [True] * (
            piece.original_end - piece.original_start
        )
    assert covered == hidden
    # Between the pieces, the release holds the original text, unchanged and in order.
    at_release, at_original = 0, 0
    for piece in pieces:
        assert piece.original_start >= at_original and piece.start >= at_release
        assert release.text[at_release : piece.start] == text[at_original : piece.original_start]
        at_release, at_original = piece.end, piece.original_end
    assert release.text[at_release:] == text[at_original:]
    # Kept runs of the original (the oracle's), joined, equal the release minus its pieces.
    kept = "".join(c for c, h in zip(text, hidden, strict=True) if not h)
    outside = "".join(
        release.text[a:b]
        for a, b in zip(
            [0, *(p.end for p in pieces)],
            [*(p.start for p in pieces), len(release.text)],
            strict=True,
        )
    )
    assert outside == kept
    # Markers and pseudonyms stand exactly where planned.
    for span in release.spans:
        assert release.text[span.start : span.end] == span.replacement
        assert span.replacement == replacement_of[span.entities[0]]
        assert all(planned[span.original_start : span.original_end])
    # Withheld paragraphs keep their number and mark, and none of their words.
    assert [w.original_start for w in release.withheld] == sorted(
        p.start for p in hidden_paragraphs
    )
    for w in release.withheld:
        shown = release.text[w.start : w.end]
        assert "[Paragraph withheld:" in shown
        words = set(re.findall(r"[^\W\d_]+", shown)) - NOTICE_WORDS
        assert words <= set(re.findall(r"[^\W\d_]+", w.mark or unmarked or "")), words
    # Kept characters map back to themselves in the original (every segment's first and last
    # character, and every seventh one between).
    bounds = [0, *(x for p in pieces for x in (p.start, p.end)), len(release.text)]
    for seg_start, seg_end in zip(bounds[::2], bounds[1::2], strict=True):
        for i in {*range(seg_start, seg_end, 7), seg_end - 1} - {seg_start - 1}:
            assert text[release.to_original(i)] == release.text[i]
    for piece in pieces:
        assert release.to_original(piece.start) == piece.original_start
    assert release.to_original(len(release.text)) == len(text)


@st.composite
def texts_and_plans(draw: st.DrawFn) -> tuple[str, list[PlannedRedaction], list[Paragraph]]:
    text = draw(TEXTS)
    n = len(text)
    ranges: list[tuple[int, int]] = []
    if n:
        for _ in range(draw(st.integers(0, 12))):
            start = draw(st.integers(0, n - 1))
            end = draw(st.integers(start + 1, min(n, start + 40)))
            ranges.append((start, end))
            if draw(st.booleans()):
                ranges.append((start, end))  # duplicates
    cuts = sorted(set(draw(st.lists(st.integers(0, n), max_size=10))))
    paragraphs = []
    for i in range(0, len(cuts) - 1, 2):
        mark = draw(st.sampled_from([None, *RANK, *UNKNOWN_MARKS]))
        number = draw(st.none() | st.integers(1, 30))
        paragraphs.append(Paragraph("", number, mark, cuts[i], cuts[i + 1]))
    entities = ["Alice", "Bob"]
    plan = [
        PlannedRedaction("TEST1", s, e, text[s:e], draw(st.sampled_from(entities)), "t", 1.0)
        for s, e in ranges
    ]
    return text, plan, paragraphs


@settings(max_examples=300, deadline=None)
@given(
    texts_and_plans(),
    st.sampled_from(["marker", "pseudonym"]),
    st.none() | st.sampled_from(THRESHOLDS),
    st.none() | st.sampled_from(["U", "C", "S"]),
)
def test_nothing_outside_the_plan_changes(
    case: tuple[str, list[PlannedRedaction], list[Paragraph]],
    style: str,
    above: str | None,
    unmarked: str | None,
) -> None:
    text, plan, paragraphs = case
    pseudonyms = {"Alice": "Person 1", "Bob": "Person 2"}
    release = redact(
        text,
        paragraphs,
        plan,
        style=style,
        pseudonyms=pseudonyms,
        withhold_above=above,
        unmarked=unmarked,
    )
    replacement_of = (
        pseudonyms if style == "pseudonym" else {"Alice": DEFAULT_MARKER, "Bob": DEFAULT_MARKER}
    )
    check_release(
        text,
        plan,
        withheld_expected(paragraphs, above, unmarked),
        release,
        replacement_of,
        unmarked,
    )
    assert release.planned == len(plan)
    assert (
        redact(
            text,
            paragraphs,
            plan,
            style=style,
            pseudonyms=pseudonyms,
            withhold_above=above,
            unmarked=unmarked,
        )
        == release
    )


@settings(max_examples=200, deadline=None)
@given(
    st.text(ALPHABET, max_size=300), st.lists(st.tuples(st.integers(0, 300), st.integers(0, 300)))
)
def test_an_empty_plan_returns_the_text_unchanged(text: str, cuts: list[tuple[int, int]]) -> None:
    paragraphs = [
        Paragraph("", 1, "TS", min(a, b, len(text)), min(len(text), max(a, b))) for a, b in cuts[:1]
    ]
    release = redact(text, paragraphs, [])
    assert release.text == text and not release.pieces()
    assert release.to_original(len(text) // 2) == len(text) // 2


def test_overlapping_nested_and_adjacent_spans() -> None:
    text = "Met Kim Jong Il and Lee at noon."
    plan = [
        *plan_of(text, [(4, 15)], "Kim Jong Il"),
        *plan_of(text, [(4, 7), (8, 12), (4, 15)], "Kim"),
        *plan_of(text, [(20, 23)], "Lee"),
        *plan_of(text, [(16, 20)], "and"),  # adjacent to Lee: stays a separate replacement
    ]
    pseudonyms = {
        "Kim Jong Il": "Person 1",
        "Kim": "Person 2",
        "Lee": "Person 3",
        "and": "Person 4",
    }
    release = redact(text, [], plan, style="pseudonym", pseudonyms=pseudonyms)
    assert release.text == "Met Person 1 Person 4Person 3 at noon."
    assert [s.entities for s in release.spans] == [("Kim Jong Il", "Kim"), ("and",), ("Lee",)]
    assert [(s.original_start, s.original_end) for s in release.spans] == [
        (4, 15),
        (16, 20),
        (20, 23),
    ]
    marked = redact(text, [], plan)
    assert marked.text == f"Met {DEFAULT_MARKER} {DEFAULT_MARKER}{DEFAULT_MARKER} at noon."


def test_a_span_reaching_out_of_a_withheld_paragraph_is_replaced_outside_it() -> None:
    text = "Intro Smith\n1. (S) Smith said so.\nEnd"
    paragraphs = [Paragraph("", 1, "S", 12, 33)]
    release = redact(text, paragraphs, plan_of(text, [(6, 17)]), withhold_above="C")
    assert release.text == f"Intro {DEFAULT_MARKER}1. (S) [Paragraph withheld: classified S]\nEnd"
    assert [(s.original_start, s.original_end) for s in release.spans] == [(6, 12)]
    check_release(text, plan_of(text, [(6, 17)]), paragraphs, release, {"Alice": DEFAULT_MARKER})


def test_withheld_paragraph_forms() -> None:
    text = "¶3. (S/NF) Secret words here.\n(C) Plain words.\nLoose words.\n9. Odd head."
    paragraphs = [
        Paragraph("", 3, "S/NF", 0, 29),
        Paragraph("", None, "C", 30, 46),
        Paragraph("", None, None, 47, 59),
        Paragraph("", 4, "TS", 60, 72),  # printed number not where the parser put it
    ]
    release = redact(text, paragraphs, [], withhold_above="U", unmarked="S")
    assert release.text.splitlines() == [
        "¶3. (S/NF) [Paragraph withheld: classified S/NF]",
        "(C) [Paragraph withheld: classified C]",
        "[Paragraph withheld: unmarked, cable classified S]",
        "4. (TS) [Paragraph withheld: classified TS]",
    ]
    assert [(w.paragraph, w.numbered) for w in release.withheld] == [
        (3, True),
        (2, False),
        (3, False),
        (4, True),
    ]
    unknown = redact(text, paragraphs, [], withhold_above="TS")
    assert unknown.text.splitlines()[2] == "[Paragraph withheld: unmarked, classification unknown]"
    assert unknown.paragraphs_withheld == 1


def test_portion_mark_order() -> None:
    assert [mark_level(m) for m in ("U", "SBU", "C", "S", "TS")] == [0, 1, 2, 3, 4]
    for mark, level in {
        "S/NF": 3,
        "C//NF": 2,
        "SBU/NF": 1,
        "U//FOUO": 1,
        "S//RELTOUSA,FVEY": 3,
        "C-ENTIRETEXT": 2,
        "s": 3,
        "TOP SECRET": 4,
    }.items():
        assert mark_level(mark) == level, mark
    for mark in ("NF", "", None, "X", "SECRETISH"):
        assert mark_level(mark) is None
    assert classification_mark("SECRET//NOFORN") == "S"
    assert classification_mark("UNCLASSIFIED//FOR OFFICIAL USE ONLY") == "SBU"
    assert classification_mark("CONFIDENTIAL") == "C"
    assert classification_mark(None) is None
    text = "(S) a\n(TS) b\n(ZZ) c\n(C) d"
    paragraphs = [
        Paragraph("", None, m, i * 6, i * 6 + 5) for i, m in enumerate(["S", "TS", "ZZ", "C"])
    ]
    assert [w.mark for w in redact(text, paragraphs, [], withhold_above="C").withheld] == [
        "S",
        "TS",
        "ZZ",
    ]
    assert [w.mark for w in redact(text, paragraphs, [], withhold_above="TS").withheld] == ["ZZ"]


def test_bad_plans_and_settings_are_refused_clearly() -> None:
    text = "Alice met Bob."
    bad = PlannedRedaction("08X1", 10, 20, "Bob.", "Bob", "t", 1.0)
    with pytest.raises(
        RedactionError, match=r"08X1: planned span 10\.\.20 .* outside the text \(0\.\.14\)"
    ):
        redact(text, [], [bad])
    with pytest.raises(RedactionError, match="outside the text"):
        redact(text, [], [PlannedRedaction("08X1", 3, 3, "", "Bob", "t", 1.0)])
    with pytest.raises(StalePlanError, match="should hold 'Carol' but the text there is 'Alice'"):
        redact(text, [], [PlannedRedaction("08X1", 0, 5, "Carol", "Carol", "t", 1.0)])
    with pytest.raises(RedactionError, match="no pseudonym for 'Alice'"):
        redact(text, [], plan_of(text, [(0, 5)]), style="pseudonym", pseudonyms={})
    with pytest.raises(RedactionError, match="unknown style"):
        redact(text, [], [], style="blur")
    with pytest.raises(RedactionError, match="not a portion mark"):
        redact(text, [], [], withhold_above="NF")
    with pytest.raises(RedactionError, match="marker must not be empty"):
        redact(text, [], [], marker="")


def _sample_cables(sample_dir: Path) -> list[Cable]:
    cables = []
    for path in sorted(sample_dir.glob("*.txt")):
        raw = read_text_file(path)
        cables.append(parse(raw.text, raw.hints))
    return cables


def _surname_plan(cable: Cable) -> list[PlannedRedaction]:
    """Every occurrence of two capitalised words of the cable, as an editor's plan would."""
    words = sorted(set(re.findall(r"\b[A-Z][a-z]{3,}\b|\b[A-Z]{5,}\b", cable.text)))
    chosen = words[len(words) // 3 :: max(1, len(words) // 2)][:2]
    plan = []
    for word in chosen:
        for m in re.finditer(rf"\b{re.escape(word)}\b", cable.text):
            plan.append(
                PlannedRedaction(
                    cable.reference_id or "X", m.start(), m.end(), m.group(), word, "t", 1.0
                )
            )
    return plan


def test_every_sample_cable_keeps_its_unplanned_text(sample_dir: Path) -> None:
    checked = withheld_total = 0
    for cable in _sample_cables(sample_dir):
        plan = _surname_plan(cable)
        unmarked = classification_mark(cable.classification)
        pseudonyms = {r.entity: f"Person {i}" for i, r in enumerate(plan, 1)}
        for style, above in (("marker", None), ("pseudonym", "C"), ("marker", "U")):
            release = redact(
                cable.text,
                cable.paragraphs,
                plan,
                style=style,
                pseudonyms=pseudonyms,
                withhold_above=above,
                unmarked=unmarked,
            )
            replacement_of = (
                pseudonyms if style == "pseudonym" else dict.fromkeys(pseudonyms, DEFAULT_MARKER)
            )
            check_release(
                cable.text,
                plan,
                _real_withheld(cable, above, unmarked),
                release,
                replacement_of,
                unmarked,
            )
            withheld_total += release.paragraphs_withheld
            if above is None:
                for r in plan:  # the name is gone wherever it stood as a word
                    assert not re.search(rf"\b{re.escape(r.text)}\b", release.text)
        checked += 1
    assert checked == len(list(sample_dir.glob("*.txt"))) and withheld_total > 100


def _real_withheld(cable: Cable, above: str | None, unmarked: str | None) -> list[Paragraph]:
    if above is None:
        return []
    return [
        p
        for p in cable.paragraphs
        if (lvl := mark_level(p.mark or unmarked)) is None or lvl > RANK[above]
    ]


def test_a_real_secret_cable_withheld_above_confidential(sample_dir: Path) -> None:
    cable = next(c for c in _sample_cables(sample_dir) if any(p.mark == "S" for p in c.paragraphs))
    release = redact(
        cable.text,
        cable.paragraphs,
        [],
        withhold_above="C",
        unmarked=classification_mark(cable.classification),
    )
    secret = [p for p in cable.paragraphs if p.mark == "S"]
    assert len([w for w in release.withheld if w.mark == "S"]) == len(secret)
    for p in secret:
        head = f"({p.mark}) [Paragraph withheld: classified S]"
        assert head in release.text
