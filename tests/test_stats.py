"""Archive statistics (``services.stats``), the plot and ``cabledesk stats``, checked against a
brute-force computation over the parsed sample."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cabledesk.archive import Archive, ingest_records
from cabledesk.cli import app
from cabledesk.services.plot import plot_stats
from cabledesk.services.selection import Selection
from cabledesk.services.stats import (
    archive_stats,
    by_origin_month,
    coverage,
    id_parts,
    quarantine,
    top_origins,
)
from cabledesk.sources.records import RawCable, Record
from cabledesk.sources.text import read_text, read_text_file
from cabledesk.telegram import Cable, parse, split_id

runner = CliRunner()


@pytest.fixture(scope="session")
def stats_db(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Path:
    """The sample plus three inputs that must be quarantined: an empty file, a binary file and
    a text with no cable in it."""
    folder = tmp_path_factory.mktemp("stats")
    (folder / "empty.txt").write_text("", "utf-8")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" * 20)
    records: list[Record] = [read_text_file(p) for p in sorted(sample_dir.glob("*.txt"))]
    records.extend(read_text(folder / "empty.txt"))
    records.extend(read_text(folder / "binary.txt"))
    records.append(RawCable("\n\n\x00\x00\x00 nothing here \x00\x00\x00\x00\x00\x00", "junk.txt"))
    db = folder / "sample.db"
    with Archive.open(db) as archive:
        ingest_records(records, archive, workers=0)
    return db


@pytest.fixture(scope="session")
def current_cables(sample_dir: Path) -> dict[str, Cable]:
    """Every sample file parsed; the later file of one cable is its current version."""
    cables: dict[str, Cable] = {}
    for path in sorted(sample_dir.glob("*.txt")):
        raw = read_text_file(path)
        cable = parse(raw.text, raw.hints)
        cables[cable.canonical_id or cable.reference_id or ""] = cable
    return cables


@pytest.fixture()
def archive(stats_db: Path) -> Iterator[Archive]:
    with Archive.open(stats_db, readonly=True) as opened:
        yield opened


def test_fast_id_split_agrees_with_split_id(current_cables: dict[str, Cable]) -> None:
    ids = set(current_cables)
    ids |= {r.cable_id for c in current_cables.values() for r in c.references if r.cable_id}
    assert len(ids) > 800
    for ref_id in ids:
        parts = split_id(ref_id)
        expected = (parts[0], parts[1], int(parts[2])) if parts and parts[2].isdigit() else None
        assert id_parts(ref_id) == expected, ref_id
    assert id_parts("07SOIA828") == (2007, "SOFIA", 828)  # not canonical: split_id repairs it
    assert id_parts("garbage") is None


def _brute_coverage(cables: dict[str, Cable]) -> dict[tuple[str, int], tuple[int, int]]:
    """(station, year) -> (serials held, highest serial held or cited), from the parses."""
    held: dict[tuple[str, int], set[int]] = defaultdict(set)
    for ref_id in cables:
        parts = split_id(ref_id)
        assert parts and parts[0]
        held[parts[1], parts[0]].add(int(parts[2]))
    highest = {key: max(serials) for key, serials in held.items()}
    for cable in cables.values():
        for ref in cable.references:
            parts = split_id(ref.cable_id) if ref.cable_id else None
            if parts and parts[0] and (parts[1], parts[0]) in highest:
                key = (parts[1], parts[0])
                highest[key] = max(highest[key], int(parts[2]))
    return {key: (len(held[key]), highest[key]) for key in held}


def test_coverage_agrees_with_a_brute_force_computation(
    archive: Archive, current_cables: dict[str, Cable]
) -> None:
    expected = _brute_coverage(current_cables)
    rows = coverage(archive)
    got = {(c.station, c.year): (c.held, c.highest_serial) for c in rows}
    assert got == expected
    assert any(c.highest_cited and c.highest_cited > c.highest_held for c in rows)
    for c in rows:
        assert c.coverage == pytest.approx(c.held / c.highest_serial)
        assert split_id(c.highest_id)[2] == str(c.highest_serial)  # type: ignore[index]
    london = {c.year: c for c in rows if c.station == "LONDON"}
    assert london[2009].origin == "Embassy London"


def test_counts_months_and_origins(archive: Archive, current_cables: dict[str, Cable]) -> None:
    stats = archive_stats(archive)
    assert stats.counts == {"cables": 321, "versions": 323, "quarantined": 3}
    by_origin = Counter(c.origin for c in current_cables.values())
    assert dict(stats.origins) == dict(by_origin)
    months: Counter[tuple[str | None, str | None]] = Counter(
        (c.origin, c.date.strftime("%Y-%m") if c.date else None) for c in current_cables.values()
    )
    assert {(o, m): n for o, m, n in stats.by_origin_month} == dict(months)
    data = stats.to_dict()
    assert {"cables", "versions", "quarantined", "by_origin_month", "coverage"} <= set(data)
    assert json.loads(json.dumps(data)) == data
    assert data["coverage"][0].keys() >= {"origin", "year", "held", "highest_serial", "coverage"}


def test_one_origin(archive: Archive, current_cables: dict[str, Cable]) -> None:
    selection = Selection(origins=("the hague",))
    assert top_origins(archive, selection) == [("Embassy The Hague", 9)]
    assert sum(n for _o, _m, n in by_origin_month(archive, selection)) == 9
    rows = coverage(archive, selection)
    assert {c.station for c in rows} == {"THEHAGUE"}
    expected = {k: v for k, v in _brute_coverage(current_cables).items() if k[0] == "THEHAGUE"}
    assert {(c.station, c.year): (c.held, c.highest_serial) for c in rows} == expected
    assert archive_stats(archive, Selection(origins=("Atlantis",))).origins == []


def test_quarantine_lists_file_line_and_reason(archive: Archive, stats_db: Path) -> None:
    entries = quarantine(archive)
    names = sorted(Path(e.source).name for e in entries)
    assert names == ["binary.txt", "empty.txt", "junk.txt"]
    reasons = {Path(e.source).name: e.reason for e in entries}
    assert reasons["empty.txt"] == "empty file"
    assert all(e.line >= 0 and e.quarantined_at for e in entries)
    assert len(quarantine(archive, limit=1)) == 1
    result = runner.invoke(app, ["stats", "--db", str(stats_db), "--quarantine", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"quarantine": [e.to_dict() for e in entries]}
    result = runner.invoke(app, ["stats", "--db", str(stats_db), "--quarantine"])
    assert "empty file" in result.stdout and "junk.txt" in result.stdout


def test_stats_command(archive: Archive, stats_db: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["stats", "--db", str(stats_db), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == archive_stats(archive).to_dict()
    result = runner.invoke(app, ["stats", "--db", str(stats_db), "--origin", "london"])
    assert result.exit_code == 0
    assert "Embassy London" in result.stdout and "Embassy Tripoli" not in result.stdout
    assert "Quarantine" in result.stdout
    plot = tmp_path / "stats.png"
    result = runner.invoke(app, ["stats", "--db", str(stats_db), "--plot", str(plot), "--json"])
    assert result.exit_code == 0
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and plot.stat().st_size > 10_000
    result = runner.invoke(app, ["stats", "--db", str(stats_db), "--origin", "Atlantis"])
    assert result.exit_code == 1 and "--origin 'Atlantis': no post of" in result.stderr
    result = runner.invoke(app, ["stats", "--db", str(tmp_path / "missing.db")])
    assert result.exit_code == 1 and "no such archive" in result.stderr


def test_plot_of_an_empty_archive(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "empty.db") as archive:
        stats = archive_stats(archive)
    assert stats.counts == {"cables": 0, "versions": 0, "quarantined": 0}
    out = plot_stats(stats, tmp_path / "empty.png")
    assert out.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.corpus
def test_fast_id_split_agrees_with_split_id_over_the_corpus(corpus_dir: Path) -> None:
    ids: set[str] = set()
    for path in sorted(corpus_dir.glob("*.txt")):
        raw = read_text_file(path)
        cable = parse(raw.text, raw.hints)
        ids.add(cable.canonical_id or cable.reference_id or "")
        ids.update(r.cable_id for r in cable.references if r.cable_id)
    assert len(ids) > 10_000
    for ref_id in ids:
        parts = split_id(ref_id)
        expected = (parts[0], parts[1], int(parts[2])) if parts and parts[2].isdigit() else None
        assert id_parts(ref_id) == expected, ref_id
