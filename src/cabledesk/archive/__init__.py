"""The archive layer: one SQLite file holding parsed cables, their versions and their parts.

``ingest`` fills it from any source ``cabledesk.sources`` reads; ``Archive`` opens it for the
services above. Plain SQL tables, so any SQLite tool can read the file too.
"""

from cabledesk.archive.pipeline import IngestReport, ingest, ingest_records
from cabledesk.archive.store import Archive, ArchiveError, BatchResult

__all__ = ["Archive", "ArchiveError", "BatchResult", "IngestReport", "ingest", "ingest_records"]
