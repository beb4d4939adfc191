"""The speed-ups in front of slow regex scans must give exactly the plain pattern's answer.

Each fast path (a literal test before a case-blind alternation, a ``str.find`` walk instead of a
pattern opening with a look-behind, a skipped no-op substitution) is compared with the pattern it
stands in for, on generated text built from the fragments the patterns care about.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cabledesk.telegram import captions, classified_by, declassification, stations, structure
from cabledesk.telegram import subject as subject_mod
from cabledesk.telegram import tags as tags_mod

_FRAGMENTS = [
    " ",
    "  ",
    "\t",
    "\n",
    "\xa0",
    "¶",
    "ı",
    "ſ",
    "K",
    "1",
    "0",
    "12958",
    "00123",
    "1.4",
    "1, 5",
    "1/4",
    "(b)",
    "d",
    ",",
    ".",
    ":",
    "/",
    "-",
    "\\",
    "REF",
    "ref",
    "Refs:",
    "REFTEL",
    "TAGS",
    "tags:",
    "SUBJ",
    "Subject:",
    "UBJ",
    "DECL",
    "Classified",
    "CLASSIFIED",
    "By",
    "SENSITIVE",
    "Sensitive But",
    "BUT",
    "C O N F",
    "S E C R E T",
    "U N C L",
    "PAGE",
    "page 02",
    "OF",
    " of ",
    "ROME",
    "SIPDIS",
    "NOFORN",
    "NO FORN",
    "nodis",
    "E.O.",
    "E. O. ",
    "ABC",
    "x",
    "UNCLASSIFIED",
    "LIMITED OFFICIAL USE",
    "O,",
    "D,Amato",
    "SECTION 01 OF 02 ",
]
texts = st.lists(st.sampled_from(_FRAGMENTS), max_size=24).map("".join)


def _same(a: re.Match[str] | None, b: re.Match[str] | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.span() == b.span() and a.groups() == b.groups()


@settings(max_examples=400)
@given(texts, st.integers(0, 40), st.integers(0, 60))
def test_literal_gates_equal_plain_search(text: str, pos: int, endpos: int) -> None:
    for gate in (tags_mod._INLINE_GATE, declassification._STOP_GATE, captions._LABEL_GATE):
        assert _same(gate.search(text, pos, endpos), gate.pattern.search(text, pos, endpos))
        assert _same(gate.search(text), gate.pattern.search(text))


@settings(max_examples=400)
@given(texts)
def test_subject_inline_stop_equals_plain_search(line: str) -> None:
    assert _same(subject_mod._inline_stop(line), subject_mod._INLINE_STOP.search(line))


@settings(max_examples=400)
@given(texts, st.integers(-5, 40), st.integers(-5, 60))
def test_first_char_walk_equals_plain_search(text: str, pos: int, endpos: int) -> None:
    for walk in (classified_by._SECTION, declassification._ORDER):
        assert _same(walk.search(text, pos, endpos), walk.pattern.search(text, pos, endpos))
        assert _same(walk.search(text), walk.pattern.search(text))


@settings(max_examples=300)
@given(texts)
def test_trailing_caption_gate_equals_plain_split(line: str) -> None:
    m = captions._TRAILING_RE.search(line)
    expected = (
        (line, [])
        if m is None
        else (
            line[: m.start()].rstrip(" ,;"),
            [captions._canon(x["w"]) for x in captions._CAPTION_RE.finditer(m.group())],
        )
    )
    assert captions._split_trailing(line) == expected


def _tags_label_reference(text: str, start: int, end: int) -> re.Match[str] | None:
    """The earlier walk: next position per literal, advanced one candidate at a time."""
    up = text[start:end].upper()
    nxt = {lit: up.find(lit) for lit in tags_mod._LABEL_LITERALS.literals}
    while True:
        live = [p for p in nxt.values() if p >= 0]
        if not live:
            return None
        p = min(live)
        at = start + p
        line_start = max(start, text.rfind("\n", start, at) + 1)
        m = tags_mod._LABEL.search(text, line_start, min(end, at + 16))
        if m is not None:
            return m
        for lit, q in nxt.items():
            if q == p:
                nxt[lit] = up.find(lit, p + 1)


@settings(max_examples=400)
@given(texts, st.integers(0, 40))
def test_tags_label_walk_equals_reference(text: str, start: int) -> None:
    end = len(text)
    assert _same(tags_mod._search_label(text, start, end), _tags_label_reference(text, start, end))


@settings(max_examples=300)
@given(texts)
def test_originator_lead_strip_equals_substitution(originator: str) -> None:
    expected = stations.canonical_station(stations._SECTION_LEAD.sub("", originator))
    assert stations.station_of_originator(originator) == expected


def test_literal_gate_rejects_lower_case_literals() -> None:
    with pytest.raises(ValueError):
        structure.LiteralGate(re.compile("ref", re.IGNORECASE), ("ref",))


def test_literal_gate_finds_a_glued_label() -> None:
    line = "DEPT FOR WHA/BSC E.O. 12958: N/A"
    m = captions._LABEL_GATE.search(line)
    assert m is not None and line[m.start() :].startswith("E.O. 12958")
    assert captions._LABEL_GATE.search("SIPDIS NOFORN") is None


_PILCROW_FRAGMENTS = ["¶", "1", "12", "٣", "\n", " ", "\t", "x", "¶1", "\n¶", "A.", "  "]


@settings(max_examples=400)
@given(st.lists(st.sampled_from(_PILCROW_FRAGMENTS), max_size=20).map("".join))
def test_pilcrow_walk_equals_line_start_substitution(raw: str) -> None:
    from cabledesk.telegram import body

    assert body._drop_pilcrows(raw) == body._PILCROW_NUM.sub(r"\1", raw)


_RECORD_FRAGMENTS = [
    "\n",
    " ",
    "12345",
    "2003-11-24 16:05",
    "03THEHAGUE2983",
    "Embassy The Hague",
    "CONFIDENTIAL",
    "UNCLASSIFIED//FOUO",
    "03STATE1234",
    "text",
]


@settings(max_examples=300)
@given(
    st.lists(st.sampled_from(_RECORD_FRAGMENTS), max_size=16).map("".join),
    st.integers(0, 30),
    st.integers(0, 200),
)
def test_bare_record_line_start_search_equals_plain_search(
    text: str, pos: int, endpos: int
) -> None:
    pattern = structure._BARE_RECORD.pattern
    assert _same(
        structure._BARE_RECORD.search(text, pos, endpos), pattern.search(text, pos, endpos)
    )
    record = "x\n12\n2003-11-24\n03THEHAGUE2983\nEmbassy The Hague\nCONFIDENTIAL\n" + text
    assert _same(structure._BARE_RECORD.search(record, pos), pattern.search(record, pos))
    assert structure._BARE_RECORD.search(record) is not None
