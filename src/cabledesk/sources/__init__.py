"""Readers for the formats users hold cables in; each yields raw text with hints.

Every reader is a generator of ``Record`` (``RawCable`` or ``Rejected``) and never raises for one
bad record: ``read_sources`` walks files and folders and picks the reader by suffix
(docs/sources.md lists the formats, hints and rejection reasons).
"""

from cabledesk.sources.csvfile import read_cables_csv
from cabledesk.sources.files import MAX_CABLE_BYTES, SourceProblem
from cabledesk.sources.html import cable_page, read_html
from cabledesk.sources.jsonl import read_jsonl
from cabledesk.sources.pdf import read_pdf
from cabledesk.sources.records import RawCable, Record, Rejected
from cabledesk.sources.stdin import read_stdin
from cabledesk.sources.text import hints_from_name, read_text, read_text_file
from cabledesk.sources.walk import read_file, read_sources

__all__ = [
    "MAX_CABLE_BYTES",
    "RawCable",
    "Record",
    "Rejected",
    "SourceProblem",
    "cable_page",
    "hints_from_name",
    "read_cables_csv",
    "read_file",
    "read_html",
    "read_jsonl",
    "read_pdf",
    "read_sources",
    "read_stdin",
    "read_text",
    "read_text_file",
]
