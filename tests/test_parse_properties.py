"""Property tests: arbitrary and mutated cables give a Cable or a ParseError, nothing else.

``parse`` turns an internal crash into a ParseError saying "unexpected structure" so callers
never see anything else; these tests treat that message as a failure, so extractor bugs surface.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cabledesk
from cabledesk import ParseError
from cabledesk.telegram.model import Cable

DATA = Path(__file__).parent / "data"
CABLES = [DATA / "seed" / "07MOSCOW104.txt"] + sorted((DATA / "sample").glob("*.txt"))[:40:4]
TEXTS = [p.read_text(encoding="utf-8") for p in CABLES]

_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(text: str) -> None:
    try:
        cable = cabledesk.parse(text)
    except ParseError as exc:
        assert not exc.reason.startswith("unexpected structure"), exc.reason
        return
    d = cable.to_dict()
    json.dumps(d)
    assert d["text"] == text
    assert Cable.from_dict(d) == cable
    n = len(text)
    for p in cable.paragraphs:
        assert 0 <= p.start <= p.end <= n
    for r in cable.redactions:
        assert 0 <= r.start < r.end <= n


@_SETTINGS
@given(st.text())
def test_arbitrary_text(text: str) -> None:
    _check(text)


_CABLE_ALPHABET = st.sampled_from(
    list("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .:/()-,\n¶")
    + [
        "\n\n",
        "VZCZC",
        "DE RUEH",
        "TAGS: ",
        "SUBJECT: ",
        "REF: ",
        "1. (C) ",
        "XXXXXXXXXXXX",
        "C O N F I D E N T I A L ",
        "SECTION 01 OF 02 ",
        "E.O. 12958: DECL: ",
        "FM ",
        "TO ",
        "INFO ",
        "XMT ",
        "Classified By: ",
        "END COMMENT",
        "PAGE 02 ",
        "\r\n",
        "\t",
    ]
)


@_SETTINGS
@given(st.lists(_CABLE_ALPHABET, max_size=200).map("".join))
def test_cable_shaped_noise(text: str) -> None:
    _check(text)


@st.composite
def mutated_cable(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(TEXTS))
    for _ in range(draw(st.integers(1, 4))):
        n = len(text)
        i = draw(st.integers(0, n))
        j = draw(st.integers(i, min(n, i + 400)))
        op = draw(st.sampled_from(["delete", "duplicate", "insert", "truncate", "swapcase"]))
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        elif op == "insert":
            text = text[:i] + draw(st.text(max_size=30)) + text[i:]
        elif op == "truncate":
            text = text[:i]
        else:
            text = text[:i] + text[i:j].swapcase() + text[j:]
    return text


@_SETTINGS
@given(mutated_cable())
def test_mutated_real_cables(text: str) -> None:
    _check(text)
