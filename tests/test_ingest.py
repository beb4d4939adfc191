"""Ingest into a real SQLite archive: idempotent, resumable after SIGKILL, quarantine, versions."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cabledesk.archive import Archive, ingest, ingest_records
from cabledesk.archive.rows import CableRows, prepare
from cabledesk.sources.records import RawCable, Rejected
from cabledesk.sources.text import read_text_file

VOLATILE = {"ingested_at", "quarantined_at"}


def logical_dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, sorted, without the ingest timestamps: the archive's logical content."""
    conn = sqlite3.connect(db)
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'cables_fts%' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    dump: dict[str, list[tuple[object, ...]]] = {}
    for table in tables:
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        keep = ", ".join(f'"{c}"' for c in cols if c not in VOLATILE)
        dump[table] = sorted(conn.execute(f"SELECT {keep} FROM {table}"), key=repr)
    # The full-text index must hold exactly the cables' current texts.
    dump["fts_check"] = [
        conn.execute("INSERT INTO cables_fts (cables_fts) VALUES ('integrity-check')").fetchall()
    ]
    conn.close()
    return dump


def sample_records(sample_dir: Path, limit: int | None = None) -> list[RawCable]:
    paths = sorted(sample_dir.glob("*.txt"))[:limit]
    return [read_text_file(p) for p in paths]


def test_ingest_then_reingest_adds_nothing(sample_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with Archive.open(db) as archive:
        first = ingest_records(sample_records(sample_dir), archive, workers=0)
        counts = archive.counts()
    n = len(list(sample_dir.glob("*.txt")))
    assert first.records == n
    assert first.added + first.new_versions == n
    assert counts["versions"] == n and counts["cables"] == first.added
    before = logical_dump(db)
    with Archive.open(db) as archive:
        again = ingest_records(sample_records(sample_dir), archive, workers=0)
    assert (again.added, again.new_versions, again.unchanged) == (0, 0, n)
    assert logical_dump(db) == before


def test_an_archive_in_a_folder_named_like_a_uri_opens_read_only(
    sample_dir: Path, tmp_path: Path
) -> None:
    """Read-only opening goes through an SQLite URI: "#", "?", "%" and spaces in the path
    must name the file, not a fragment, a query or an escape."""
    folder = tmp_path / "drafts #2? 100%"
    folder.mkdir()
    db = folder / "a.db"
    ingest([sample_dir / "07MOSCOW104.txt"], db, workers=0)
    with Archive.open(db, readonly=True) as archive:
        assert archive.counts()["cables"] == 1


def test_parallel_ingest_builds_the_same_archive(sample_dir: Path, tmp_path: Path) -> None:
    serial, parallel = tmp_path / "serial.db", tmp_path / "parallel.db"
    with Archive.open(serial) as archive:
        ingest_records(sample_records(sample_dir), archive, workers=0, batch_size=50)
    with Archive.open(parallel) as archive:
        ingest_records(sample_records(sample_dir), archive, workers=2, batch_size=37)
    assert logical_dump(parallel) == logical_dump(serial)


def test_rows_match_the_parse(sample_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    raw = read_text_file(sample_dir / "09THEHAGUE2.txt")
    with Archive.open(db) as archive:
        ingest_records([raw], archive, workers=0)
        conn = archive.conn
        row = conn.execute(
            "SELECT reference_id, date, origin, classification, serial, year FROM cables"
        ).fetchone()
        refs = conn.execute("SELECT letter, cited_id FROM refs ORDER BY position").fetchall()
        hits = conn.execute(
            "SELECT count(*) FROM cables_fts WHERE cables_fts MATCH '\"THE HAGUE\"'"
        ).fetchone()[0]
    assert row[0] == "09THEHAGUE2" and row[4] == 2 and row[5] == 2009
    assert row[1].startswith("2009-01-02")
    assert ("B", "08THEHAGUE276") in refs
    assert hits == 1


def test_versions_follow_content_not_whitespace(sample_dir: Path, tmp_path: Path) -> None:
    raw = read_text_file(sample_dir / "07MOSCOW104.txt")
    respaced = RawCable(raw.text.replace("\n", " \n"), "respaced.txt", dict(raw.hints))
    changed = RawCable(
        raw.text.replace("according to Chun", "according to XXXXXXXXXXXX"),
        "release2.txt",
        {**raw.hints, "released": "2011-08-30"},
    )
    assert changed.text != raw.text
    db = tmp_path / "v.db"
    with Archive.open(db) as archive:
        report = ingest_records([raw, respaced, changed], archive, workers=0)
        versions = archive.conn.execute(
            "SELECT number, source, released FROM versions ORDER BY number"
        ).fetchall()
        current = archive.conn.execute("SELECT version, redaction_count FROM cables").fetchone()
        texts = archive.conn.execute("SELECT number, text FROM versions ORDER BY number").fetchall()
        indexed = archive.conn.execute(
            "SELECT count(*) FROM cables_fts WHERE cables_fts MATCH 'Chun'"
        ).fetchone()[0]
    assert (report.added, report.unchanged, report.new_versions) == (1, 1, 1)
    assert [v[0] for v in versions] == [1, 2]
    assert versions[1][1:] == ("release2.txt", "2011-08-30")
    assert current[0] == 2  # the dated, later release is the current text
    assert texts == [(1, raw.text), (2, changed.text)]
    assert indexed == 0  # the index holds the current text only


def test_bad_inputs_are_quarantined_and_good_ones_kept(sample_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    good = sorted(sample_dir.glob("*.txt"))[:5]
    for p in good:
        (folder / p.name).write_bytes(p.read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_bytes(b"   \n\n")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "latin1.txt").write_bytes(
        good[0].read_text("utf-8").replace("E", "É").encode("latin-1", "replace")
    )
    (folder / "notacable.txt").write_text("Dear diary, nothing happened today.\n", "utf-8")
    with (folder / "huge.txt").open("wb") as fh:  # 100 MB of one line, sparse on disk
        fh.write(b"A")
        fh.truncate(100 * 1024 * 1024)
    db = tmp_path / "q.db"
    report = ingest([folder], db, workers=0)
    assert report.added == len(good)
    reasons = {Path(f.source).name: f.reason for f in report.failures}
    assert set(reasons) == {
        "empty.txt",
        "blank.txt",
        "binary.txt",
        "latin1.txt",
        "notacable.txt",
        "huge.txt",
    }
    assert "UTF-8" in reasons["latin1.txt"]
    assert "large" in reasons["huge.txt"]
    with Archive.open(db) as archive:
        assert archive.counts()["quarantined"] == 6
    again = ingest([folder], db, workers=0)
    assert again.added == 0
    with Archive.open(db) as archive:
        assert archive.counts() == {"cables": len(good), "versions": len(good), "quarantined": 6}


def test_failed_batch_leaves_nothing_half_written(sample_dir: Path, tmp_path: Path) -> None:
    raws = sample_records(sample_dir, 3)
    rows = [prepare(r) for r in raws]
    assert all(isinstance(r, CableRows) for r in rows)
    broken = rows[2]
    assert isinstance(broken, CableRows)
    broken.addressees = [("nobody", 0, None, "X", None, None)]  # violates the role CHECK
    db = tmp_path / "h.db"
    with Archive.open(db) as archive:
        with pytest.raises(sqlite3.IntegrityError):
            archive.write_batch(rows)
        assert archive.counts() == {"cables": 0, "versions": 0, "quarantined": 0}
        assert archive.conn.execute("SELECT count(*) FROM cables_fts").fetchone()[0] == 0


def test_reader_rejections_keep_their_place(tmp_path: Path, sample_dir: Path) -> None:
    raws = sample_records(sample_dir, 2)
    records = [raws[0], Rejected("x.csv", 7, "row has 5 columns, expected 8"), raws[1]]
    db = tmp_path / "r.db"
    with Archive.open(db) as archive:
        report = ingest_records(records, archive, workers=0)
        q = archive.conn.execute("SELECT source, line, reason FROM quarantine").fetchall()
    assert report.added == 2 and report.quarantined == 1
    assert q == [("x.csv", 7, "row has 5 columns, expected 8")]


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from cabledesk.cli import main; main()", *args]


def _processes_naming(path: Path) -> list[int]:
    """Live processes whose command line names ``path`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
                state = (entry / "stat").read_text().split(") ", 1)[1][:1]
            except OSError:
                continue
            if str(path).encode() in cmdline and state != "Z":
                found.append(int(entry.name))
    return found


def test_sigkill_halfway_then_resume_equals_uninterrupted(sample_dir: Path, tmp_path: Path) -> None:
    """A run killed with SIGKILL mid-way and started again builds the same logical archive."""
    whole, killed = tmp_path / "whole.db", tmp_path / "killed.db"
    common = ["--workers", "2", "--batch-size", "8"]
    subprocess.run(_cli("ingest", str(sample_dir), "--db", str(whole), *common), check=True)
    n = len(list(sample_dir.glob("*.txt")))
    proc = subprocess.Popen(_cli("ingest", str(sample_dir), "--db", str(killed), *common))
    stored = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if killed.exists():
            try:
                with sqlite3.connect(killed, timeout=1) as conn:
                    stored = conn.execute("SELECT count(*) FROM versions").fetchone()[0]
            except sqlite3.OperationalError:
                stored = 0
            if stored >= n // 3:
                break
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < stored < n, "the run finished before it could be killed halfway"
    if Path("/proc").is_dir():  # its parsing workers do not outlive it
        deadline = time.monotonic() + 10
        while _processes_naming(killed) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _processes_naming(killed) == []
    subprocess.run(_cli("ingest", str(sample_dir), "--db", str(killed), *common), check=True)
    assert logical_dump(killed) == logical_dump(whole)


@pytest.mark.corpus
def test_whole_corpus_ingests(corpus_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "corpus.db"
    report = ingest([corpus_dir], db, workers=2)
    n = len(list(corpus_dir.glob("*.txt")))
    assert report.records == n
    assert report.quarantined == 0, report.failures[:5]
    again = ingest([corpus_dir], db, workers=2)
    assert (again.added, again.new_versions, again.unchanged) == (0, 0, n)
