"""The telegram format layer: parse, render and validate one cable. Pure code, no I/O.

``parse`` builds the typed model (``model.py``) from text; ``render`` writes a model back as a
telegram; ``validate`` reports inconsistencies. The field-level functions below are the
extractors ``parse`` uses, exposed for callers (and cablemap's conformance vectors) that hold
only a fragment of a cable.

The modules may run compiled with mypyc (``cabledesk/compiled.py`` decides, before they are
imported).
"""

from cabledesk import compiled

compiled.select()

# ruff: noqa: E402 (the modules are imported after compiled.select() chose how)

from cabledesk.telegram.classified_by import normalize_name, parse_classified_by
from cabledesk.telegram.clean import clean_content
from cabledesk.telegram.declassification import parse_declassify_on
from cabledesk.telegram.header import parse_info_recipients, parse_recipients
from cabledesk.telegram.ids import canonical_id, make_id, split_id
from cabledesk.telegram.model import (
    Addressee,
    BreakLine,
    Cable,
    ClassificationLine,
    ClassifiedBy,
    Declassification,
    Finding,
    Paragraph,
    Reference,
    Span,
    Tag,
    TransmissionHeader,
)
from cabledesk.telegram.parser import parse
from cabledesk.telegram.references import parse_references
from cabledesk.telegram.render import render
from cabledesk.telegram.signers import parse_signers
from cabledesk.telegram.subject import parse_subject, titlefy
from cabledesk.telegram.summary import parse_summary
from cabledesk.telegram.tags import parse_tags, tag_kind
from cabledesk.telegram.validate import validate

__all__ = [
    "Addressee",
    "BreakLine",
    "Cable",
    "ClassificationLine",
    "ClassifiedBy",
    "Declassification",
    "Finding",
    "Paragraph",
    "Reference",
    "Span",
    "Tag",
    "TransmissionHeader",
    "canonical_id",
    "clean_content",
    "make_id",
    "normalize_name",
    "parse",
    "parse_classified_by",
    "parse_declassify_on",
    "parse_info_recipients",
    "parse_recipients",
    "parse_references",
    "parse_signers",
    "parse_subject",
    "parse_summary",
    "parse_tags",
    "render",
    "split_id",
    "tag_kind",
    "titlefy",
    "validate",
]
