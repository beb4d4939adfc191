"""Citations both ways (``services.refs``), the citation graph (``services.graph``) and the
``refs`` / ``graph`` commands, checked against a brute-force scan of the parsed sample."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from cabledesk.archive import Archive, ingest_records
from cabledesk.cli import app
from cabledesk.services.graph import citation_graph, export_graph, neighbourhood
from cabledesk.services.reading import CableNotFound
from cabledesk.services.refs import cable_references, cited_by, sentence_around
from cabledesk.services.selection import Selection
from cabledesk.sources.records import RawCable
from cabledesk.sources.text import read_text_file
from cabledesk.telegram import Cable, parse

runner = CliRunner()


@pytest.fixture(scope="session")
def refs_db(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Path:
    db = tmp_path_factory.mktemp("refs") / "sample.db"
    with Archive.open(db) as archive:
        records = (read_text_file(p) for p in sorted(sample_dir.glob("*.txt")))
        ingest_records(records, archive, workers=0)
    return db


@pytest.fixture(scope="session")
def current_cables(sample_dir: Path) -> dict[str, Cable]:
    """Brute force: every sample file parsed; of two files of one cable (no release dates in
    the sample) the later ingested, i.e. the later in file order, is the current version."""
    cables: dict[str, Cable] = {}
    for path in sorted(sample_dir.glob("*.txt")):
        raw = read_text_file(path)
        cable = parse(raw.text, raw.hints)
        cables[cable.canonical_id or cable.reference_id or ""] = cable
    return cables


@pytest.fixture()
def archive(refs_db: Path) -> Iterator[Archive]:
    with Archive.open(refs_db, readonly=True) as opened:
        yield opened


def test_the_hague_2_cites_three_cables_and_leans_on_ref_a(
    archive: Archive, current_cables: dict[str, Cable]
) -> None:
    refs = cable_references(archive, "09 THE HAGUE 2")
    assert refs.held and refs.reference_id == "09THEHAGUE2"
    got = [(r.letter, r.kind, r.cited_id) for r in refs.references]
    assert got == [
        ("A", "cable", "09STATE125579"),
        ("B", "cable", "08THEHAGUE276"),
        ("C", "cable", "07THEHAGUE935"),
    ]
    for ref in refs.references:
        assert ref.in_archive == (ref.cited_id in current_cables)
        assert ref.status == ("held" if ref.in_archive else "not held")
    ref_a = refs.references[0]
    assert [m.text for m in ref_a.mentions] == ["ref A"] * 3
    assert ref_a.mentions[0].context.startswith("2. (C) EconOffs delivered ref A points")
    assert ref_a.mentions[0].context.endswith("at the Foreign Ministry.")
    assert [m.kind for m in refs.untied] == ["septel"]
    assert refs.untied[0].context.endswith("reporting on Philips' reaction will follow septel.")
    assert refs.unresolved == [] and len(refs.missing) == 3


def test_unresolved_references_are_listed(archive: Archive) -> None:
    refs = cable_references(archive, "03THEHAGUE2597")
    unresolved = refs.unresolved
    assert unresolved, "the e-mail reference must be kept"
    assert unresolved[0].kind == "email" and unresolved[0].status == "unresolved"
    assert unresolved[0].text == "RICHARD-WITMER EMAIL 10/9"
    assert [r.position for r in unresolved] == refs.to_dict()["unresolved"]


def test_cited_by_agrees_with_a_brute_force_scan(
    archive: Archive, current_cables: dict[str, Cable]
) -> None:
    citing: dict[str, dict[str, list[str | None]]] = defaultdict(dict)
    for ref_id, cable in current_cables.items():
        for ref in cable.references:
            if ref.cable_id:
                citing[ref.cable_id].setdefault(ref_id, []).append(ref.letter)
    assert sum(len(v) for v in citing.values()) > 500
    for cited_id in set(citing) | set(current_cables):
        got = {c.reference_id: list(c.letters) for c in cited_by(archive, cited_id)}
        assert got == citing.get(cited_id, {}), cited_id
    held_and_cited = [i for i in citing if i in current_cables]
    assert len(held_and_cited) >= 10


def test_a_cable_known_only_by_citation(archive: Archive) -> None:
    refs = cable_references(archive, "08 THE HAGUE 276")
    assert not refs.held and refs.references == [] and refs.untied == []
    assert [(c.reference_id, c.letters) for c in refs.cited_by] == [("09THEHAGUE2", ("B",))]
    with pytest.raises(CableNotFound, match="99NOWHERE1: no such cable"):
        cable_references(archive, "99NOWHERE1")


def test_a_held_cable_cited_by_others(archive: Archive) -> None:
    refs = cable_references(archive, "08PARIS1501")
    assert {c.reference_id for c in refs.cited_by} == {"08PARIS1698", "09PARIS504"}
    dates = [c.date for c in refs.cited_by]
    assert dates == sorted(dates)
    back = cable_references(archive, "09PARIS504")
    held = [r for r in back.references if r.cited_id == "08PARIS1501"]
    assert held and held[0].in_archive and held[0].cited_subject


def test_sentence_around() -> None:
    text = "First point. The U.S. delegation, as Amb. Smith said, accepted ref A. Next one."
    start = text.index("ref A")
    assert sentence_around(text, start, start + 5) == (
        "The U.S. delegation, as Amb. Smith said, accepted ref A."
    )
    text = "Talks ended. Washington will answer ref A. Next sentence."
    start = text.index("ref A")
    assert sentence_around(text, start, start + 5) == "Washington will answer ref A."
    text = "Paragraph one.\n\n2. (C) As reported septel\nthe Minister left"
    start = text.index("septel")
    assert sentence_around(text, start, start + 6) == "2. (C) As reported septel the Minister left"
    long = "word " * 200 + "REFTEL " + "word " * 200
    start = long.index("REFTEL")
    cut = sentence_around(long, start, start + 6, limit=50)
    assert cut.startswith("… word") and cut.endswith("word …") and "REFTEL" in cut
    assert len(cut) < 120


def _brute_edges(cables: dict[str, Cable], origin: str | None = None) -> set[tuple[str, str]]:
    return {
        (ref_id, ref.cable_id)
        for ref_id, cable in cables.items()
        if origin is None or cable.origin == origin
        for ref in cable.references
        if ref.cable_id
    }


def test_graph_has_every_cable_and_citation(
    archive: Archive, current_cables: dict[str, Cable], tmp_path: Path
) -> None:
    graph = citation_graph(archive)
    edges = _brute_edges(current_cables)
    nodes = set(current_cables) | {target for _source, target in edges}
    assert set(graph.nodes) == nodes
    assert set(graph.edges) == edges
    for node, data in graph.nodes(data=True):
        assert data["in_archive"] == (node in current_cables)
    assert graph.nodes["08THEHAGUE276"]["origin"] == "Embassy The Hague"
    assert graph.edges["09THEHAGUE2", "08THEHAGUE276"]["letter"] == "B"
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        path = tmp_path / f"citations.{fmt}"
        assert export_graph(archive, path, fmt) == (len(nodes), len(edges))
        back = read(path)
        assert back.is_directed()
        assert (back.number_of_nodes(), back.number_of_edges()) == (len(nodes), len(edges))
        assert set(back.edges) == edges
        assert back.nodes["09THEHAGUE2"]["subject"] == current_cables["09THEHAGUE2"].subject
        assert back.nodes["08THEHAGUE276"]["in_archive"] in (False, "false")
        assert not (tmp_path / f"citations.{fmt}.part").exists()


def test_graph_of_one_origin(archive: Archive, current_cables: dict[str, Cable]) -> None:
    graph = citation_graph(archive, Selection(origins=("paris",)))
    edges = _brute_edges(current_cables, "Embassy Paris")
    assert set(graph.edges) == edges and edges
    selected = {i for i, c in current_cables.items() if c.origin == "Embassy Paris"}
    assert set(graph.nodes) == selected | {t for _s, t in edges}
    assert citation_graph(archive, Selection(origins=("Atlantis",))).number_of_nodes() == 0


def test_graph_files_survive_hostile_text(tmp_path: Path, sample_dir: Path) -> None:
    text = (sample_dir / "09THEHAGUE2.txt").read_text("utf-8")
    hostile = text.replace("SHELL DISCUSSES", "SHELL \x1b[31m\x01DISCUSSES")
    with Archive.open(tmp_path / "hostile.db") as archive:
        ingest_records([RawCable(hostile, "hostile.txt")], archive, workers=0)
        assert "\x01" in (cable_references(archive, "09THEHAGUE2").subject or "")
        for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
            assert export_graph(archive, tmp_path / f"g.{fmt}", fmt) == (4, 3)
            subject = read(tmp_path / f"g.{fmt}").nodes["09THEHAGUE2"]["subject"]
            assert subject == "NETHERLANDS: SHELL \ufffd[31m\ufffdDISCUSSES BUSINESS IN IRAN"
        with pytest.raises(ValueError, match="unknown graph format"):
            export_graph(archive, tmp_path / "g.dot", "dot")
    assert not (tmp_path / "g.dot").exists()


def test_neighbourhood(archive: Archive) -> None:
    near = neighbourhood(archive, "09THEHAGUE2", depth=1)
    assert [n.reference_id for n in near.nodes][0] == "09THEHAGUE2"
    assert len(near.nodes) == 4 and len(near.edges) == 3 and not near.truncated
    assert {n.reference_id: n.in_archive for n in near.nodes}["08THEHAGUE276"] is False
    # 09PARIS504 cites 08PARIS1698, which cites 08PARIS1501: two steps, every edge between
    two = neighbourhood(archive, "09PARIS504", depth=2)
    ids = {n.reference_id for n in two.nodes}
    assert {"09PARIS504", "08PARIS1698", "08PARIS1501"} <= ids
    pairs = {(e.source, e.target) for e in two.edges}
    assert ("08PARIS1698", "08PARIS1501") in pairs and ("09PARIS504", "08PARIS1501") in pairs
    assert all(e.source in ids and e.target in ids for e in two.edges)
    small = neighbourhood(archive, "09PARIS504", depth=2, max_nodes=2)
    assert len(small.nodes) == 2 and small.truncated
    from_absent = neighbourhood(archive, "08THEHAGUE276", depth=1)
    assert {n.reference_id for n in from_absent.nodes} == {"08THEHAGUE276", "09THEHAGUE2"}
    assert json.loads(json.dumps(two.to_dict()))["center"] == "09PARIS504"
    with pytest.raises(CableNotFound):
        neighbourhood(archive, "99NOWHERE1")


def test_refs_and_graph_commands(refs_db: Path, archive: Archive, tmp_path: Path) -> None:
    result = runner.invoke(app, ["refs", "09THEHAGUE2", "--db", str(refs_db), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == cable_references(archive, "09THEHAGUE2").to_dict()
    result = runner.invoke(app, ["refs", "09THEHAGUE2", "--db", str(refs_db)])
    assert result.exit_code == 0
    assert "08THEHAGUE276  not held" in result.stdout and "septel" in result.stdout
    result = runner.invoke(app, ["refs", "99NOWHERE1", "--db", str(refs_db)])
    assert result.exit_code == 1 and "no such cable" in result.stderr
    out = tmp_path / "paris.gexf"
    args = ["graph", "--db", str(refs_db), "--format", "gexf", "--out", str(out)]
    result = runner.invoke(app, [*args, "--origin", "Paris", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    back = nx.read_gexf(out)
    assert (summary["nodes"], summary["edges"]) == (back.number_of_nodes(), back.number_of_edges())
    piped = runner.invoke(app, [*args[:-1], "-", "--origin", "Paris", "--json"])  # --out -
    assert piped.exit_code == 0 and json.loads(piped.stderr) == {**summary, "out": "-"}
    assert piped.stdout_bytes == out.read_bytes()
    result = runner.invoke(app, [*args[:3], "--format", "dot", "--out", str(tmp_path / "g.dot")])
    assert result.exit_code == 1 and "unknown graph format" in result.stderr
