"""Cable body text with the telegram artefacts removed, for search and NLP.

Removed: redaction runs (format.md §8), paragraph numbers with portion marks (5 FAH-1 H-246.2),
rule lines under headings (the line is kept, empty), page/section markers and inserted
``SIPDIS`` lines (§5.7, each with the line break before it), and summary/comment openers and
closers (§5.6).  Everything else, including white space, is kept as it is.
"""

from __future__ import annotations

import re

__all__ = ["clean_content"]

# Runs of three or more x's (see spans.find_redactions for the Roman numeral rule); a
# standalone ``xx`` is a redaction too.
_REDACTION = re.compile(
    r"[Xx]{4,}|(?<![IVLCDM])[Xx]{3}(?![IVLCDM])|(?<![A-Za-z])[Xx]{2}(?![A-Za-z])"
)
_MARK = r"(?:TS|S|C|U|SBU|LOU|FOUO)(?:[ \t]*(?:/{1,2}|-)[ \t]*[A-Z][A-Z0-9]*)*"
_PARA_NUM = re.compile(rf"^([ \t]*)¶?\d{{1,3}}[ \t]?\.(?!\d)[ \t]*(?:\(?{_MARK}\)[ \t]*)?", re.M)
_OPENER = re.compile(
    r"^([ \t]*)(?:Summary(?:[ \t]+and[ \t]+(?:comment|action[ \t]+request|introduction))?"
    r"|Comment)[ \t]*[:.][ \t]*",
    re.M | re.I,
)
_CLOSER = re.compile(
    r"End[ \t\n]+(?:of[ \t\n]+)?(?:Summary(?:[ \t\n]+and[ \t\n]+(?:comment|action[ \t\n]+request"
    r"|introduction))?|Comment)[ \t]*\.?[ \t]*",
    re.I,
)
_RULE = re.compile(r"^[ \t]*[-=_]{3,}[ \t-]*$", re.M)
_MARKER = re.compile(
    r"\n(?:[ \t]*\n)?[ \t]*(?:[A-Z][A-Z .'/-]{0,20}[ \t]+\d{6,8}[ \t]+\d{3}(?:\.\d)?[ \t]+OF[ \t]+\d{1,3}"
    r"|SIPDIS)[ \t]*(?=\n|$)"
)


def clean_content(text: str) -> str:
    """``text`` with cable artefacts removed (conformance: clean_content.json)."""
    text = _MARKER.sub("", text)
    text = _REDACTION.sub("", text)
    text = _PARA_NUM.sub(r"\1", text)
    text = _OPENER.sub(r"\1", text)
    text = _CLOSER.sub("", text)
    text = _RULE.sub("", text)
    return text
