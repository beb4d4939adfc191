"""Rule ``version``: a name one release hides and another prints.

WikiLeaks re-released cables with redactions added or lifted, and mirrors kept the earlier
texts; any version printing a name its other versions redact has given the name away. Two
versions are aligned with ``difflib`` on their words (lower-cased, punctuation dropped, a
redaction marker as one token) so rewrapping, curly quotes and case changes do not matter;
where one side holds a marker and the other a name at the aligned place, the readable name is
flagged, with risk 1.0 (0.8 when the marker stood for a longer stretch that holds the name).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence

from cabledesk.protect.model import AuditFinding
from cabledesk.protect.name_runs import name_runs
from cabledesk.protect.names import mostly_upper
from cabledesk.protect.positions import finding_at
from cabledesk.protect.shapes import MARKER, body_start, is_marker
from cabledesk.telegram.model import Cable

__all__ = ["version_findings"]

_WORD = re.compile(r"[Xx]{4,}|[A-Za-z0-9](?:[A-Za-z0-9'’-]*[A-Za-z0-9])?")
_MAX_SPAN = 40  # words: a longer replaced stretch is a rewrite, not a redaction
_NAME_SPAN = 6  # words: a stretch this short is the name (with a title or a comma)


def _tokens(cable: Cable) -> tuple[list[str], list[tuple[int, int]]]:
    words: list[str] = []
    spans: list[tuple[int, int]] = []
    previous_marker = False
    for m in _WORD.finditer(cable.text, body_start(cable)):
        marker = is_marker(m.group())
        if marker and previous_marker:
            spans[-1] = (spans[-1][0], m.end())
            continue
        previous_marker = marker
        words.append(MARKER if marker else m.group().lower().replace("’", "'"))
        spans.append((m.start(), m.end()))
    return words, spans


def version_findings(
    reference_id: str, versions: Sequence[tuple[Cable, str]]
) -> Iterator[AuditFinding]:
    """Readable names at the place another version redacts. ``versions`` pairs each parsed
    version with a label for the finding's detail (``version 2``, a file name)."""
    tokenised = [_tokens(cable) for cable, _label in versions]
    for i, (_redacted, redacted_label) in enumerate(versions):
        words_a, _spans_a = tokenised[i]
        if MARKER not in words_a:
            continue
        for j, (readable, readable_label) in enumerate(versions):
            if i == j:
                continue
            words_b, spans_b = tokenised[j]
            matcher = difflib.SequenceMatcher(None, words_a, words_b, autojunk=False)
            for op, a0, a1, b0, b1 in matcher.get_opcodes():
                if op != "replace" or MARKER not in words_a[a0:a1] or MARKER in words_b[b0:b1]:
                    continue
                if b1 - b0 > _MAX_SPAN:
                    continue
                start, end = spans_b[b0][0], spans_b[b1 - 1][1]
                text = readable.text
                upper = mostly_upper(text[body_start(readable) :])
                # the marker's place is the whole stretch: the name itself; a longer stretch
                # is a redacted description that holds the name among other words
                risk = 1.0 if b1 - b0 <= _NAME_SPAN else 0.8
                for run in name_runs(text, start, end, upper):
                    yield finding_at(
                        readable,
                        reference_id,
                        run.text,
                        run.start,
                        rule="version",
                        risk=risk,
                        detail=(
                            f"{readable_label} prints the name {redacted_label} redacts "
                            f'("{" ".join(words_a[max(a0 - 3, 0) : a1 + 3])}"); '
                            f"offset is into {readable_label}"
                        ),
                    )
