"""The shapes source protection passes between its steps: mentions found in a cable, the
entities they group into, the redactions planned for a release and the leaks an audit finds.

Every position is a character offset into the text of the stored cable version the step read
(``cable.text``), so a plan can be reviewed, applied and audited against the same text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "KINDS",
    "ROLES",
    "AuditFinding",
    "Entity",
    "Mention",
    "PlannedRedaction",
]

KINDS = ("person", "organisation", "place")
"""What a mention names."""

ROLES = ("mentioned", "official")
"""``official``: the name fills a header role (signer, Classified By, drafter, a REF's author):
US officers doing their job, known to readers and kept apart from the sources to protect."""


@dataclass(frozen=True, slots=True)
class Mention:
    """One place where a cable names a person, organisation or place."""

    start: int
    end: int
    text: str
    """As written (``Chun``, ``KIM Jong-il``, ``Ambassador Burns's`` minus the possessive)."""
    kind: str
    rule: str
    """The rule that found it (``title``, ``gazetteer``, ``context``, ``name-shape``, ``ner``...)."""
    confidence: float
    name: str
    """The normalised name the mention stands for (``Jong-il Kim`` style keys are not used:
    the name as a reader would write it in Title Case, titles and possessives removed)."""
    role: str = "mentioned"
    title: str | None = None
    """A title written with the name (``Ambassador``, ``Foreign Minister``), if any."""


@dataclass(slots=True)
class Entity:
    """Mentions across a corpus that stand for one person (or organisation, or place)."""

    key: str
    """Stable identifier: kind and the folded tokens of the name (``person:alice wells``)."""
    name: str
    """The fullest spelling seen (``Alice G. Wells``)."""
    kind: str
    variants: set[str] = field(default_factory=set)
    """Every spelling written (``Wells``, ``WELLS``, ``Alice Wells``)."""
    mentions: int = 0
    cables: set[str] = field(default_factory=set)
    official: bool = False
    titles: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class PlannedRedaction:
    """One span a release will hide, with why, for an editor to review before applying."""

    reference_id: str
    start: int
    end: int
    text: str
    entity: str
    """The protected name (as the editor entered it) this span is a mention of."""
    rule: str
    confidence: float
    paragraph: int | None = None
    """The paragraph's printed number, or its position (1-based) when unnumbered."""
    paragraph_numbered: bool = True


@dataclass(frozen=True, slots=True)
class AuditFinding:
    """A name an audit believes a release gives away."""

    name: str
    """As written in the cable."""
    reference_id: str
    paragraph: int | None
    """The printed paragraph number, or its position (1-based) when unnumbered; None outside
    the paragraphs (subject, header)."""
    offset: int
    """Characters into the cable's text."""
    rule: str
    risk: float
    """0..1; findings are ranked by it (highest first)."""
    paragraph_numbered: bool = True
    detail: str = ""
    """Why, in a sentence an editor can act on."""
