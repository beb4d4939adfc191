"""PDF cables: the text layer of a PDF (WikiLeaks' Cablegate PDFs, released documents).

pypdf reads the text in layout mode, which keeps each printed line whole (``TAGS: PTER TU``
stays one line; the plain mode splits it into a line per word run) but places words with runs
of spaces; those runs are collapsed to one, which is how the telegram was typed. Pages are
joined by line breaks. A PDF without a text layer (a scanned image) is refused with that reason:
OCR is not this reader's job. A file named like a reference id passes it as a hint, as text
files do. Layout extraction is slow (about half a second a page), so PDFs suit small
collections.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path

from cabledesk.sources.files import MAX_CABLE_BYTES, SourceProblem, read_limited
from cabledesk.sources.records import Record
from cabledesk.sources.text import read_one_cable

__all__ = ["MAX_PDF_BYTES", "MAX_PDF_PAGES", "load_pdf", "pdf_text", "read_pdf"]

MAX_PDF_BYTES = 4 * MAX_CABLE_BYTES
"""A PDF holds fonts and layout besides the text: room for the longest cables."""

MAX_PDF_PAGES = 200
"""A cable runs to a few dozen pages at most; a longer PDF is a book or a collection, and its
layout extraction would hold up the whole ingest for minutes. (pypdf bounds decompression.)"""

_SPACES = re.compile(r"[ \t]{2,}")
_PDF_MAGIC = b"%PDF-"


def pdf_text(data: bytes) -> str:
    """The text of a PDF, one printed line per line. Raises :class:`SourceProblem` for a file
    that is not a PDF, cannot be read or decrypted, or has no text layer."""
    if not data.lstrip()[:5] == _PDF_MAGIC:
        raise SourceProblem("not a PDF file (no %PDF- header)")
    from pypdf import PdfReader  # imported here: reading PDFs is rare next to text

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about damaged objects
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise SourceProblem("encrypted PDF: a password is needed to read it")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise SourceProblem(
                f"{len(reader.pages):,} pages: more than one cable (limit {MAX_PDF_PAGES})"
            )
        pages = [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
    except SourceProblem:
        raise
    except Exception as exc:  # pypdf raises many kinds for damaged files
        raise SourceProblem(f"unreadable PDF: {type(exc).__name__}: {exc}") from None
    lines = [_SPACES.sub(" ", line).rstrip() for page in pages for line in page.splitlines()]
    text = "\n".join(lines).strip("\n")
    if not text.strip():
        raise SourceProblem("no text in the PDF (a scanned image? it needs OCR first)")
    return text + "\n"


def load_pdf(path: str | Path) -> str:
    """The text of the PDF file at ``path`` (size-checked, gunzipped when gzip)."""
    return pdf_text(read_limited(path, MAX_PDF_BYTES))


def read_pdf(path: str | Path) -> Iterator[Record]:
    """Yield the one cable of a ``.pdf`` (optionally gzip), or why it was refused."""
    return read_one_cable(path, load_pdf)
