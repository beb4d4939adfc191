"""The ACP-127 transmission header (format lines 1-5) and the FM/TO/INFO/XMT addressees (FL6-FL9).

The header region is everything before the classification line. It is read line by line (a
header has some twenty lines, so a line loop is cheap): ``format_lines.py`` matches each line
against the format-line patterns of ACP 127 Annex B as State renders them (format.md §3) and the
legacy print-format extras (format.md §1.4) until the first prosign line; ``addressees.py`` then
reads the FM/TO/INFO/XMT lists. Lines that several renderings glued together (``... /006W ----
O 291359Z NOV 00 FM AMEMBASSY HARARE TO SECSTATE WASHDC ...``) are split at the point where the
next format element starts, so they read as if the line breaks were still there.

Rules of thumb, each from the corpus (format.md §8): lines may end in spaces or a stray ``\\``;
addressee lists may contain a blank line or a ``PAGE 02 STATE 023763 071504Z`` continuation
line; anything after the addressee block that is not an addressee (a WikiLeaks date line, a CSV
record of the same header) ends the header.
"""

from __future__ import annotations

from cabledesk.telegram.addressees import LINE, read_addressees
from cabledesk.telegram.format_lines import dtg_to_datetime, julian_to_date, read_format_line
from cabledesk.telegram.header_scan import ADDR, HeaderParts, HeaderScan
from cabledesk.telegram.model import Addressee

__all__ = [
    "HeaderParts",
    "dtg_to_datetime",
    "extract_header",
    "julian_to_date",
    "parse_info_recipients",
    "parse_recipients",
]

# Lines of non-header text tolerated before the header (a partial-extract notice, a preamble,
# a NARA stamp); past this the region is body text and scanning it is wasted time.
_MAX_JUNK = 40


def extract_header(text: str, start: int, end: int, fast_path: bool = True) -> HeaderParts:
    """Read FL1-FL9 (and the legacy print-format lines) from ``text[start:end]``.

    ``end`` is where the classification line begins; offsets in the result are absolute.
    ``fast_path=False`` reads every address line the careful way (same result).
    """
    st = HeaderScan()
    pos = end
    for lm in LINE.finditer(text, start, end):
        s, e = lm.span(1)
        if s == e:
            st.office = False
            continue
        if read_format_line(text, s, e, st):
            # the line is a plain prosign line: read it in the addressee loop below
            pos = lm.start()
            break
        if st.phase == ADDR:
            pos = lm.end()
            break
        if st.junk > _MAX_JUNK:
            break
    read_addressees(text, pos, end, st, fast_path)
    return st.parts


# --- conformance-facing ------------------------------------------------------------------------


def parse_recipients(header: str) -> list[Addressee]:
    """Action addressees (FL7, ``TO``) of a header text."""
    return extract_header(header, 0, len(header)).to


def parse_info_recipients(header: str) -> list[Addressee]:
    """Information addressees (FL8, ``INFO``) of a header text."""
    return extract_header(header, 0, len(header)).info
