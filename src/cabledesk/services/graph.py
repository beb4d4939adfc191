"""The citation graph: cables as nodes, REF entries as edges (citing -> cited).

Whole-archive export goes to GraphML or GEXF through networkx, for Gephi, Cytoscape or
networkx itself; ``neighbourhood`` gives the few hundred nodes around one cable that a web page
can draw. A cable cited but not held is a node too, flagged ``in_archive = False``: the gaps of
a corpus are part of its shape.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import networkx as nx

from cabledesk.archive.store import Archive
from cabledesk.services.reading import CableNotFound, resolve_id
from cabledesk.services.selection import Selection
from cabledesk.telegram import canonical_id, split_id
from cabledesk.telegram.stations import origin_name

__all__ = [
    "FORMATS",
    "GraphEdge",
    "GraphNode",
    "Neighbourhood",
    "citation_graph",
    "export_graph",
    "neighbourhood",
    "write_graph",
]

FORMATS = ("gexf", "graphml")
_CHUNK = 500
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(slots=True, frozen=True)
class GraphNode:
    """A cable in the graph; ``in_archive`` is False for a cable only known by citation."""

    reference_id: str
    date: str | None
    origin: str | None
    classification: str | None
    subject: str | None
    in_archive: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "reference_id": self.reference_id,
            "date": self.date,
            "origin": self.origin,
            "classification": self.classification,
            "subject": self.subject,
            "in_archive": self.in_archive,
        }


@dataclass(slots=True)
class GraphEdge:
    """``source`` cites ``target``; ``letters`` are the REF letters used (one per entry)."""

    source: str
    target: str
    letters: list[str | None] = field(default_factory=list)
    kind: str = "cable"

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "letters": list(self.letters),
            "kind": self.kind,
        }


@dataclass(slots=True)
class Neighbourhood:
    """The cables within ``depth`` citation steps of ``center``, either direction.

    ``truncated`` is True when ``max_nodes`` stopped the walk before ``depth``.
    """

    center: str
    depth: int
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "center": self.center,
            "depth": self.depth,
            "truncated": self.truncated,
            "nodes": [n.to_dict() for n in self.nodes],
            "edges": [e.to_dict() for e in self.edges],
        }


def _clean(value: str | None) -> str:
    """Text safe in XML 1.0: cable text is hostile input and may hold control characters."""
    return _XML_UNSAFE.sub("\ufffd", value) if value else ""


def _held_node(row: tuple[Any, ...]) -> GraphNode:
    """A node from ``reference_id, date, origin, classification, subject``."""
    ref_id, date, origin, classification, subject = row
    return GraphNode(ref_id, date, origin, classification, subject, True)


def _absent(reference_id: str) -> GraphNode:
    """A cited cable the archive lacks: its post comes from the id alone."""
    parts = split_id(reference_id)
    origin = (origin_name(parts[1]) or parts[1]) if parts else None
    return GraphNode(reference_id, None, origin, None, None, False)


def _node_attributes(node: GraphNode) -> dict[str, Any]:
    return {
        "reference_id": _clean(node.reference_id),
        "date": node.date or "",
        "origin": _clean(node.origin),
        "classification": _clean(node.classification),
        "subject": _clean(node.subject),
        "in_archive": node.in_archive,
    }


def _chunks(items: Iterable[str]) -> Iterator[list[str]]:
    chunk: list[str] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= _CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _held_nodes(archive: Archive, ids: Iterable[str]) -> Iterator[GraphNode]:
    for chunk in _chunks(ids):
        marks = ", ".join("?" * len(chunk))
        for row in archive.conn.execute(
            "SELECT reference_id, date, origin, classification, subject FROM cables "
            f"WHERE reference_id IN ({marks})",
            chunk,
        ):
            yield _held_node(row)


def citation_graph(archive: Archive, selection: Selection | None = None) -> nx.DiGraph:
    """The citations made by the selected cables (default: all) as a directed graph.

    Nodes are the selected cables plus every cable they cite, held or not; node attributes
    ``reference_id``, ``date``, ``origin``, ``classification``, ``subject`` (empty string when
    unknown) and ``in_archive``. Edges run citing -> cited with ``letter`` (the REF letters,
    comma-joined when one cable cites another twice) and ``kind``. Rows stream from SQLite
    straight into the graph.
    """
    selection = selection or Selection()
    where, params = selection.where(archive.conn, "c")
    graph: nx.DiGraph = nx.DiGraph()
    for row in archive.conn.execute(
        "SELECT reference_id, date, origin, classification, subject FROM cables c "
        f"WHERE {where} ORDER BY reference_id",
        params,
    ):
        node = _held_node(row)
        graph.add_node(node.reference_id, **_node_attributes(node))
    cited: set[str] = set()
    for source, target, letter, kind in archive.conn.execute(
        "SELECT c.reference_id, r.cited_id, r.letter, r.kind FROM refs r "
        f"JOIN cables c ON c.id = r.cable_id WHERE r.cited_id IS NOT NULL AND {where} "
        "ORDER BY c.reference_id, r.position",
        params,
    ):
        if graph.has_edge(source, target):
            edge = graph.edges[source, target]
            edge["letter"] = ",".join(filter(None, (edge["letter"], letter or "")))
            continue
        if target not in graph:
            cited.add(target)
        graph.add_edge(source, target, letter=letter or "", kind=kind)
    for node in _held_nodes(archive, sorted(cited)):
        graph.add_node(node.reference_id, **_node_attributes(node))
        cited.discard(node.reference_id)
    for ref_id in sorted(cited):
        graph.add_node(ref_id, **_node_attributes(_absent(ref_id)))
    return graph


def write_graph(graph: nx.DiGraph, target: str | Path | IO[bytes], fmt: str) -> None:
    """Write ``graph`` as ``graphml`` or ``gexf`` to a file (which appears whole or not at all)
    or to an open binary stream (standard output: ``--out -``)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown graph format {fmt!r} (expected one of {', '.join(FORMATS)})")
    write = nx.write_graphml if fmt == "graphml" else nx.write_gexf
    if not isinstance(target, str | Path):
        write(graph, target)
        return
    path = Path(target)
    partial = path.with_name(path.name + ".part")
    try:
        write(graph, partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def export_graph(
    archive: Archive,
    target: str | Path | IO[bytes],
    fmt: str,
    selection: Selection | None = None,
) -> tuple[int, int]:
    """Build the citation graph of the selection and write it; returns (nodes, edges)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown graph format {fmt!r} (expected one of {', '.join(FORMATS)})")
    graph = citation_graph(archive, selection)
    write_graph(graph, target, fmt)
    return graph.number_of_nodes(), graph.number_of_edges()


# --- the neighbourhood of one cable ---------------------------------------------------------


def _edges_from(archive: Archive, ids: list[str]) -> Iterator[tuple[str, str, str | None, str]]:
    for chunk in _chunks(ids):
        marks = ", ".join("?" * len(chunk))
        yield from archive.conn.execute(
            "SELECT c.reference_id, r.cited_id, r.letter, r.kind FROM refs r "
            "JOIN cables c ON c.id = r.cable_id "
            f"WHERE c.reference_id IN ({marks}) AND r.cited_id IS NOT NULL "
            "ORDER BY c.reference_id, r.position",
            chunk,
        )


def _edges_to(archive: Archive, ids: list[str]) -> Iterator[tuple[str, str, str | None, str]]:
    for chunk in _chunks(ids):
        marks = ", ".join("?" * len(chunk))
        yield from archive.conn.execute(
            "SELECT c.reference_id, r.cited_id, r.letter, r.kind FROM refs r "
            f"JOIN cables c ON c.id = r.cable_id WHERE r.cited_id IN ({marks}) "
            "ORDER BY c.reference_id, r.position",
            chunk,
        )


def neighbourhood(
    archive: Archive, reference_id: str, depth: int = 2, max_nodes: int = 300
) -> Neighbourhood:
    """Cables within ``depth`` citation steps of ``reference_id`` (citing or cited), at most
    ``max_nodes`` of them, with every citation between them.

    Works for a cable only known by citation too; raises :class:`CableNotFound` when the
    archive neither holds nor cites it.
    """
    found = resolve_id(archive, reference_id)
    center = found[1] if found else canonical_id(reference_id)
    if found is None and next(_edges_to(archive, [center]), None) is None:
        raise CableNotFound(f"{reference_id}: no such cable in {archive.path}")
    seen: dict[str, int] = {center: 0}
    frontier = [center]
    truncated = False
    for level in range(1, depth + 1):
        found_now: list[str] = []
        for source, target, _letter, _kind in (
            *_edges_from(archive, frontier),
            *_edges_to(archive, frontier),
        ):
            for ref_id in (source, target):
                if ref_id in seen:
                    continue
                if len(seen) >= max_nodes:
                    truncated = True
                    continue
                seen[ref_id] = level
                found_now.append(ref_id)
        frontier = found_now
        if not frontier:
            break
    edges: dict[tuple[str, str], GraphEdge] = {}
    for source, target, letter, kind in _edges_from(archive, list(seen)):
        if target in seen:
            edge = edges.setdefault((source, target), GraphEdge(source, target, kind=kind))
            edge.letters.append(letter)
    held = {n.reference_id: n for n in _held_nodes(archive, list(seen))}
    nodes = [held.get(ref_id) or _absent(ref_id) for ref_id in seen]
    return Neighbourhood(center, depth, nodes, list(edges.values()), truncated)
