"""The services layer: what the CLI, the HTTP API and the web pages ask of an archive.

Reading one cable (``reading``), its citations (``refs``, ``graph``), statistics (``stats``),
exports (``export``) and search. Names are re-exported lazily, so importing one service does
not load the others' dependencies (networkx, matplotlib, pyarrow).
"""

from __future__ import annotations

import importlib
from typing import Any

# Eager, so that ``cabledesk.services.search`` names the function, not its module of the same
# name (importing a submodule sets the package attribute; this import binds it afterwards).
from cabledesk.services.search import search

__all__ = [
    "CableNotFound",
    "CableReferences",
    "Hit",
    "QueryError",
    "SearchResult",
    "Selection",
    "StoredCable",
    "archive_stats",
    "cable_references",
    "citation_graph",
    "cited_by",
    "coverage",
    "export_cables",
    "export_graph",
    "get_cable",
    "iter_records",
    "neighbourhood",
    "require_cable",
    "search",
    "version_diff",
    "version_text",
]

_LAZY = {
    "CableNotFound": "cabledesk.services.reading",
    "CableReferences": "cabledesk.services.refs",
    "Hit": "cabledesk.services.search",
    "QueryError": "cabledesk.services.query",
    "SearchResult": "cabledesk.services.search",
    "Selection": "cabledesk.services.selection",
    "StoredCable": "cabledesk.services.reading",
    "archive_stats": "cabledesk.services.stats",
    "cable_references": "cabledesk.services.refs",
    "citation_graph": "cabledesk.services.graph",
    "cited_by": "cabledesk.services.refs",
    "coverage": "cabledesk.services.stats",
    "export_cables": "cabledesk.services.export",
    "export_graph": "cabledesk.services.graph",
    "get_cable": "cabledesk.services.reading",
    "iter_records": "cabledesk.services.export",
    "neighbourhood": "cabledesk.services.graph",
    "require_cable": "cabledesk.services.reading",
    "version_diff": "cabledesk.services.reading",
    "version_text": "cabledesk.services.reading",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cabledesk.services' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
