"""What reading a header region collects, and the scan state its readers share.

``header.py`` walks the lines before the classification line; ``format_lines.py`` reads FL1-FL5
and the legacy print lines, ``addressees.py`` the FM/TO/INFO/XMT lines, both filing what they
find in one :class:`HeaderScan`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cabledesk.telegram.model import Addressee, TransmissionHeader

__all__ = ["ADDR", "PRE", "HeaderParts", "HeaderScan"]


@dataclass(slots=True)
class HeaderParts:
    """What :func:`header.extract_header` found: FL1-FL5 (plus legacy extras) and the addressees."""

    header: TransmissionHeader = field(default_factory=TransmissionHeader)
    from_: Addressee | None = None
    to: list[Addressee] = field(default_factory=list)
    info: list[Addressee] = field(default_factory=list)
    xmt: list[Addressee] = field(default_factory=list)


# Phases of the scan: before the addressees, in them.
PRE, ADDR = 0, 1


class HeaderScan:
    """Mutable scan state for one header region."""

    __slots__ = ("collectives", "junk", "office", "parts", "phase", "section")

    def __init__(self) -> None:
        self.parts = HeaderParts()
        self.phase = PRE
        self.section: str | None = None
        """The prosign the current addresses are filed under (FM, TO, INFO, XMT)."""
        self.office = False
        """Inside a legacy ``INFO`` office-symbol list that runs over lines."""
        self.collectives: list[Addressee] = []
        self.junk = 0
        """Lines of non-header text seen before the header."""
