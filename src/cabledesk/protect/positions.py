"""Where a finding stands: the paragraph holding an offset, as an editor would cite it."""

from __future__ import annotations

import bisect

from cabledesk.protect.model import AuditFinding
from cabledesk.telegram.model import Cable

__all__ = ["finding_at", "paragraph_at", "paragraph_index"]


def paragraph_index(cable: Cable, offset: int) -> int | None:
    """0-based position of the paragraph holding ``offset``, or None outside the paragraphs."""
    starts = [p.start for p in cable.paragraphs]
    i = bisect.bisect_right(starts, offset) - 1
    if i < 0 or offset >= cable.paragraphs[i].end:
        return None
    return i


def paragraph_at(cable: Cable, offset: int) -> tuple[int | None, bool]:
    """(printed number, True) for a numbered paragraph; (1-based position, False) for an
    unnumbered one; (None, True) outside the paragraphs (header, subject, signature)."""
    i = paragraph_index(cable, offset)
    if i is None:
        return None, True
    number = cable.paragraphs[i].number
    return (number, True) if number is not None else (i + 1, False)


def finding_at(
    cable: Cable,
    reference_id: str,
    name: str,
    offset: int,
    *,
    rule: str,
    risk: float,
    detail: str,
) -> AuditFinding:
    """The audit finding of ``name`` at ``offset`` in ``cable``, cited by its paragraph."""
    number, numbered = paragraph_at(cable, offset)
    return AuditFinding(
        name=name,
        reference_id=reference_id,
        paragraph=number,
        offset=offset,
        rule=rule,
        risk=risk,
        paragraph_numbered=numbered,
        detail=detail,
    )
