"""The speed-ups of the paragraph and summary readers must give exactly the plain form's answer.

``drop_rule_lines`` stands in for ``DASH_RULE.sub`` in the paragraph reader, ``_has_rule`` for
three ``in`` tests, and the summary's ``_normalise`` collapses blanks once over the joined lines
instead of per line: each is compared with the plain form (kept here as the specification) on
generated text built from the fragments they care about, and on the sample cables.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from cabledesk.telegram import headings, summary

_FRAGMENTS = [
    " ",
    "  ",
    "\t",
    "\n",
    "\n\n",
    "\xa0",
    "\u2028",
    "¶",
    "¶1.",
    "\\",
    "-",
    "---",
    "----",
    "===",
    "___",
    "=_-",
    "‐‐‐",
    "—",
    "Summary",
    "1. (C)",
    "12.",
    "text",
    "END.",
]
_TEXT = st.lists(st.sampled_from(_FRAGMENTS), max_size=30).map("".join)


def _normalise_per_line(raw: str) -> str:
    """The summary normaliser as first written: every test and the blank collapse per line."""
    if "\n" in raw:
        raw = summary._LINE_PARA.sub("\n", "\n" + raw)
    lines = []
    for ln in raw.split("\n"):
        ln = ln.strip()
        if ln.startswith("¶"):
            ln = summary._PILCROW_NUM.sub("", ln)
        if ln.endswith("\\"):
            ln = ln[:-1].rstrip()
        if not ln or (ln[0] in summary._RULE_CHARS and summary._RULE_ONLY.fullmatch(ln)):
            continue
        if "  " in ln or "\t" in ln or "\u00a0" in ln:
            ln = summary._SPACES.sub(" ", ln)
        lines.append(ln)
    return "\n".join(lines)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_drop_rule_lines_equals_substitution(raw: str) -> None:
    assert headings.drop_rule_lines(raw) == headings.DASH_RULE.sub("", raw)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_has_rule_equals_plain_tests(s: str) -> None:
    assert headings._has_rule(s) == ("---" in s or "===" in s or "___" in s)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_summary_normalise_equals_per_line_form(raw: str) -> None:
    assert summary._normalise(raw) == _normalise_per_line(raw)


def test_fast_paths_agree_on_sample_cables(sample_dir: Path) -> None:
    checked = 0
    for path in sorted(sample_dir.glob("*.txt")):
        text = path.read_text("utf-8")
        # paragraphs as the reader cuts them: blocks between blank lines
        for block in re.split(r"\n[ \t]*\n", text):
            assert headings.drop_rule_lines(block) == headings.DASH_RULE.sub("", block)
            assert summary._normalise(block) == _normalise_per_line(block)
            checked += 1
    assert checked > 1000
