"""Round trip: ``parse(render(parse(x)))`` equals ``parse(x)`` in every field but positions.

Positions (``start``/``end``, hence the redaction and comment spans) and the source ``text``
necessarily differ: render writes a paragraph on one line and drops WikiLeaks' pilcrows and
wrapping. Everything else must survive, so render loses nothing the parser found.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cabledesk.errors import ParseError
from cabledesk.telegram.parser import parse
from cabledesk.telegram.render import render

DATA = Path(__file__).parent / "data"
SAMPLES = sorted((DATA / "sample").glob("*.txt")) + sorted((DATA / "seed").glob("*.txt"))
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "raw"

_POSITIONS = frozenset({"start", "end"})
_DROPPED = frozenset({"redactions", "comments"})


def comparable(d: dict[str, Any]) -> dict[str, Any]:
    """``Cable.to_dict()`` without the source text and character positions.

    Drops the top-level ``text``, the Classified By statement as written
    (``classified_by.text``), every ``start``/``end`` key at any depth and the ``redactions``
    and ``comments`` spans (nothing but positions).
    """
    out = {k: _strip(v) for k, v in d.items() if k != "text" and k not in _DROPPED}
    if isinstance(out.get("classified_by"), dict):
        # The statement as written, like the cable's text: render writes the canonical
        # "Classified By: <title> <name>. Reasons ..." form, so only its fields must survive.
        out["classified_by"] = {k: v for k, v in out["classified_by"].items() if k != "text"}
    return out


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in _POSITIONS}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def differences(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """Top-level keys whose comparable values differ, for a readable failure."""
    ca, cb = comparable(a), comparable(b)
    return sorted(k for k in ca.keys() | cb.keys() if ca.get(k) != cb.get(k))


def roundtrip_diff(text: str) -> list[str] | None:
    """Differing fields after a round trip; ``None`` when the input is not a cable."""
    try:
        first = parse(text)
    except ParseError:
        return None
    rendered = render(first)
    try:
        second = parse(rendered)
    except ParseError as exc:
        return [f"re-parse failed: {exc}"]
    return differences(first.to_dict(), second.to_dict())


def test_comparable_drops_text_and_positions_only() -> None:
    d = {
        "text": "x",
        "subject": "S",
        "redactions": [{"start": 1, "end": 2}],
        "comments": [{"start": 3, "end": 9}],
        "paragraphs": [{"text": "p", "number": 1, "mark": "C", "start": 4, "end": 5}],
    }
    assert comparable(d) == {
        "subject": "S",
        "paragraphs": [{"text": "p", "number": 1, "mark": "C"}],
    }
    e = dict(d, paragraphs=[{"text": "q", "number": 1, "mark": "C", "start": 4, "end": 5}])
    assert differences(d, e) == ["paragraphs"]


# Cables whose parse is not stable under re-reading, each with the parser-side cause. Render must
# not add to them; the list is empty: every corpus cable and every bundled sample round-trips
# (6,717 of 6,717 corpus cables on 2026-11-29). A cable listed here must still fail, so a fixed
# one leaves the list.
KNOWN_UNSTABLE: dict[str, str] = {}

# The corpus round trip in shards, so that ``pytest -n 2`` spreads it over the workers.
_SHARDS = 4


def _failures(paths: list[Path]) -> tuple[int, dict[str, list[str]]]:
    total = 0
    failures: dict[str, list[str]] = {}
    for path in paths:
        diff = roundtrip_diff(path.read_text(encoding="utf-8"))
        if diff is None:
            continue
        total += 1
        if diff:
            failures[path.stem] = diff
    return total, failures


def test_seed_roundtrip_is_exact() -> None:
    seed = DATA / "seed" / "07MOSCOW104.txt"
    assert roundtrip_diff(seed.read_text(encoding="utf-8")) == []


def test_seed_rendering_is_a_fixed_point() -> None:
    once = render(parse((DATA / "seed" / "07MOSCOW104.txt").read_text(encoding="utf-8")))
    assert render(parse(once)) == once


@pytest.mark.skipif(not SAMPLES, reason="no sample cables")
def test_sample_roundtrip() -> None:
    total, failures = _failures(SAMPLES)
    assert total > 0
    new = {k: v for k, v in failures.items() if k not in KNOWN_UNSTABLE}
    assert not new, f"{len(new)}/{total}: {new}"


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
@pytest.mark.parametrize("shard", range(_SHARDS))
def test_corpus_roundtrip(shard: int) -> None:
    paths = sorted(CORPUS.glob("*.txt"))[shard::_SHARDS]
    total, failures = _failures(paths)
    assert total == len(paths), "every corpus file parses as a cable"
    new = {k: v for k, v in failures.items() if k not in KNOWN_UNSTABLE}
    assert not new, f"{len(new)}/{total} new failures: {dict(list(new.items())[:25])}"
    # a listed cable that round-trips now should leave the list
    listed = {p.stem for p in paths} & set(KNOWN_UNSTABLE)
    assert set(failures) == listed, sorted(listed - set(failures))


def test_summary_cut_before_a_glued_copy_survives() -> None:
    # 08KYIV1627: a summary cut short (``covera...``), the publisher's glued copy of the front
    # matter as a section break, then the full summary. The paragraph reader joins the two
    # openers with one line feed; the summary still ends before the second opener.
    text = (
        "UNCLAS SECTION 01 OF 03 KYIV 001627\n\nSUBJECT: TFGG01 Ukrainian Media\n\n"
        "1. (SBU) Summary:  Ukrainian media is split on its covera...\n\n"
        "UNCLAS SECTION 01 OF 03 KYIV 001627 SENSITIVE SIPDIS E.O. 12958: N/A TAGS: PBTS UK\n"
        "SUBJECT: TFGG01 Ukrainian Media 1. (SBU)\n\n"
        "Summary: Ukrainian media is split on its coverage of the conflict in Georgia. "
        "2. (SBU) Print Media -------------------- Pro-Western Den stated in an article.\n"
    )
    assert parse(text).summary == "Ukrainian media is split on its covera..."
    assert roundtrip_diff(text) == []
