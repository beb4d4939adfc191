"""Scoring a redaction plan against hand labels, so "finds every mention" is a measured claim.

Labels are JSON Lines, one cable per line (``tests/data/protect_eval/README.md`` has the
format): every person mention with its span, the person (entity) it names, and whether an
editor protects that person. The protect list is the protected entities' names; the plan made
from it is scored mention by mention:

* recall: protected mentions wholly covered by a planned span (a span may name the wrong
  protected person and still hide the right words: that is counted, and reported apart);
* precision: planned spans that overlap a protected mention.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cabledesk.protect.model import PlannedRedaction

__all__ = ["Evaluation", "LabelledCable", "LabelledMention", "evaluate", "read_labels"]


@dataclass(frozen=True, slots=True)
class LabelledMention:
    reference_id: str
    start: int
    end: int
    text: str
    entity: str
    protect: bool
    role: str


@dataclass(slots=True)
class LabelledCable:
    reference_id: str
    mentions: list[LabelledMention]


@dataclass(slots=True)
class Evaluation:
    """How a plan scores against the labels, with every miss and false alarm listed."""

    protected_mentions: int = 0
    found: int = 0
    planned: int = 0
    correct: int = 0
    wrong_entity: int = 0
    misses: list[LabelledMention] = field(default_factory=list)
    false_alarms: list[tuple[PlannedRedaction, str]] = field(default_factory=list)
    """Each planned span that hides no protected mention, with what it did hide."""

    @property
    def recall(self) -> float:
        return self.found / self.protected_mentions if self.protected_mentions else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.planned if self.planned else 1.0


def read_labels(paths: Iterable[Path]) -> list[LabelledCable]:
    """Labelled cables from JSON Lines files, in reference id order."""
    cables: list[LabelledCable] = []
    for path in paths:
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                ref_id = obj["reference_id"]
                mentions = [
                    LabelledMention(
                        ref_id,
                        int(m["start"]),
                        int(m["end"]),
                        m["text"],
                        person["entity"],
                        bool(person["protect"]),
                        person.get("role", "mentioned"),
                    )
                    for person in obj["people"]
                    for m in person["mentions"]
                ]
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{n}: not a labelled cable ({exc})") from exc
            cables.append(LabelledCable(ref_id, sorted(mentions, key=lambda m: m.start)))
    return sorted(cables, key=lambda c: c.reference_id)


def protect_list(cables: Iterable[LabelledCable]) -> list[str]:
    """The protected entities' names: the editor's list the labels imply."""
    return sorted({m.entity for c in cables for m in c.mentions if m.protect})


def evaluate(
    cables: Sequence[LabelledCable], plans: dict[str, list[PlannedRedaction]]
) -> Evaluation:
    """Score ``plans`` (reference id → planned spans) against the labelled cables."""
    ev = Evaluation()
    for cable in cables:
        plan = plans.get(cable.reference_id, [])
        ev.planned += len(plan)
        for m in cable.mentions:
            if not m.protect:
                continue
            ev.protected_mentions += 1
            cover = [p for p in plan if p.start <= m.start and p.end >= m.end]
            if cover:
                ev.found += 1
                if all(p.entity != m.entity for p in cover):
                    ev.wrong_entity += 1
            else:
                ev.misses.append(m)
        for p in plan:
            hit = [m for m in cable.mentions if m.start < p.end and p.start < m.end]
            if any(m.protect for m in hit):
                ev.correct += 1
            else:
                what = ", ".join(f"{m.entity} (not protected)" for m in hit) or "no person"
                ev.false_alarms.append((p, what))
    return ev
