"""Exports (``services.export``) read back and compared with the archive they came from."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from cabledesk.archive import Archive, ingest_records
from cabledesk.cli import app
from cabledesk.services.export import (
    COLUMNS,
    export_cables,
    iter_records,
    parquet_schema,
    search_hit_ids,
)
from cabledesk.services.selection import Selection
from cabledesk.sources.records import RawCable
from cabledesk.sources.text import read_text_file

runner = CliRunner()


@pytest.fixture(scope="session")
def export_db(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Path:
    """The sample plus a cable whose subject would be a spreadsheet formula and whose text
    holds quotes, commas, pipes and CR LF line ends."""
    db = tmp_path_factory.mktemp("export") / "sample.db"
    seed = (sample_dir / "09THEHAGUE2.txt").read_text("utf-8")
    awkward = (
        seed.replace("THE HAGUE 000002", "THE HAGUE 000777")
        .replace("#0002/01", "#0777/01")
        .replace("NETHERLANDS: SHELL DISCUSSES", '=HYPERLINK("x","SHELL"), | DISCUSSES')
        .replace("\n", "\r\n")
    )
    records = [read_text_file(p) for p in sorted(sample_dir.glob("*.txt"))]
    records.append(RawCable(awkward, "awkward.txt"))
    with Archive.open(db) as archive:
        ingest_records(records, archive, workers=0)
    return db


@pytest.fixture()
def archive(export_db: Path) -> Iterator[Archive]:
    with Archive.open(export_db, readonly=True) as opened:
        yield opened


def _from_sql(archive: Archive) -> list[dict[str, Any]]:
    """The expected records, read straight from the tables (brute force, no shared code)."""
    records = []
    conn = archive.conn
    for row in conn.execute("SELECT * FROM cables ORDER BY reference_id"):
        names = [d[0] for d in conn.execute("SELECT * FROM cables LIMIT 0").description]
        data = dict(zip(names, row, strict=True))
        cable_id = data.pop("id")
        data["signers"] = json.loads(data["signers"])
        data["partial"], data["truncated"] = bool(data["partial"]), bool(data["truncated"])
        data["tags"] = [
            r[0]
            for r in conn.execute(
                "SELECT code FROM tags WHERE cable_id = ? ORDER BY position", (cable_id,)
            )
        ]
        data["text"] = conn.execute(
            "SELECT text FROM versions WHERE cable_id = ? AND number = ?",
            (cable_id, data["version"]),
        ).fetchone()[0]
        data["captions"] = sorted(
            r[0]
            for r in conn.execute("SELECT caption FROM captions WHERE cable_id = ?", (cable_id,))
        )
        records.append({name: data[name] for name in COLUMNS})
    return records


def test_records_are_the_archive_rows(archive: Archive) -> None:
    expected = _from_sql(archive)
    assert len(expected) == 322
    assert list(iter_records(archive)) == expected
    assert any(r["tags"] for r in expected) and any(r["captions"] for r in expected)


def test_jsonl_round_trip(archive: Archive, tmp_path: Path) -> None:
    path = tmp_path / "cables.jsonl"
    assert export_cables(archive, path, "jsonl") == 322
    lines = path.read_text("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == _from_sql(archive)
    assert not (tmp_path / "cables.jsonl.part").exists()


def _from_csv(value: str, name: str) -> Any:
    if name in ("signers", "tags", "captions"):
        return value.split("|") if value else []
    if name in ("partial", "truncated"):
        return {"true": True, "false": False}[value]
    if name in ("year", "serial", "redaction_count", "version"):
        return int(value) if value else None
    return value or None


def test_csv_round_trip(archive: Archive, tmp_path: Path) -> None:
    path = tmp_path / "cables.csv"
    assert export_cables(archive, path, "csv") == 322
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert tuple(rows[0]) == COLUMNS
    back = [{n: _from_csv(v, n) for n, v in zip(COLUMNS, row, strict=True)} for row in rows[1:]]
    expected = _from_sql(archive)
    for record in expected:  # CSV has no null string and joins lists with |
        for name in ("published_id", "summary", "subject", "declassify_on", "date"):
            record[name] = record[name] or None
    assert back == expected
    awkward = next(r for r in back if r["reference_id"] == "09THEHAGUE777")
    assert awkward["subject"].startswith('=HYPERLINK("x","SHELL"), | DISCUSSES')
    assert "\r\n" in awkward["text"]


def test_parquet_round_trip(archive: Archive, tmp_path: Path) -> None:
    path = tmp_path / "cables.parquet"
    assert export_cables(archive, path, "parquet", chunk=100) == 322
    parquet = pq.ParquetFile(path)
    assert parquet.schema_arrow == parquet_schema()
    assert parquet.metadata.num_row_groups == 4
    assert parquet.read().to_pylist() == _from_sql(archive)


def test_export_ids_in_their_order(archive: Archive, tmp_path: Path) -> None:
    ids = ["09THEHAGUE2", "99NOWHERE1", "08MANAMA492", "09THEHAGUE2", "00HARARE5461"]
    records = list(iter_records(archive, ids=iter(ids)))
    assert [r["reference_id"] for r in records] == ["09THEHAGUE2", "08MANAMA492", "00HARARE5461"]
    path = tmp_path / "three.jsonl"
    assert export_cables(archive, path, "jsonl", ids=ids) == 3
    with pytest.raises(ValueError, match="not both"):
        list(iter_records(archive, Selection(origins=("paris",)), ids=ids))


def test_selection_by_origin_and_dates(archive: Archive) -> None:
    everything = _from_sql(archive)
    paris = list(iter_records(archive, Selection(origins=("Embassy Paris",))))
    assert paris == [r for r in everything if r["origin"] == "Embassy Paris"] and paris
    spring = list(iter_records(archive, Selection(since="2009-03", until="2009-05")))
    assert spring == [
        r for r in everything if r["date"] and "2009-03" <= r["date"][:7] <= "2009-05"
    ]
    assert spring
    year = list(iter_records(archive, Selection(since="2008", until="2008")))
    assert year == [r for r in everything if r["date"] and r["date"].startswith("2008")]
    with pytest.raises(ValueError, match="expected YYYY"):
        Selection(since="May 2008")


def test_a_failed_export_leaves_no_file(archive: Archive, tmp_path: Path) -> None:
    def ids() -> Iterator[str]:
        yield "09THEHAGUE2"
        raise RuntimeError("search went away")

    path = tmp_path / "broken.jsonl"
    with pytest.raises(RuntimeError):
        export_cables(archive, path, "jsonl", ids=ids())
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="unknown export format"):
        export_cables(archive, tmp_path / "x.xml", "xml")
    assert list(tmp_path.iterdir()) == []


def test_export_command(export_db: Path, archive: Archive, tmp_path: Path) -> None:
    out = tmp_path / "london.parquet"
    args = ["export", "--db", str(export_db), "--format", "parquet", "--out", str(out)]
    result = runner.invoke(app, [*args, "--origin", "london", "--since", "2009", "--json"])
    assert result.exit_code == 0, result.output
    expected = [
        r
        for r in _from_sql(archive)
        if r["origin"] == "Embassy London" and (r["date"] or "") >= "2009"
    ]
    assert json.loads(result.stdout)["cables"] == len(expected) > 0
    assert pq.read_table(out).to_pylist() == expected
    result = runner.invoke(app, [*args[:3], "--format", "xml", "--out", str(tmp_path / "x")])
    assert result.exit_code == 1 and "unknown export format" in result.stderr
    result = runner.invoke(app, [*args, "--until", "last week"])
    assert result.exit_code == 1 and "--until 'last week'" in result.stderr


def _fts_ids(archive: Archive, match: str) -> set[str]:
    """Brute force: the cables the full-text index matches, straight from SQL."""
    rows = archive.conn.execute(
        "SELECT reference_id FROM cables WHERE id IN "
        "(SELECT rowid FROM cables_fts WHERE cables_fts MATCH ?)",
        (match,),
    )
    return {r[0] for r in rows}


def test_search_hits_page_by_page(archive: Archive) -> None:
    from cabledesk.services.search import search

    ids = list(search_hit_ids(archive, "embassy", page_size=7))
    assert len(ids) == len(set(ids)) > 100
    assert set(ids) == _fts_ids(archive, "embassy")
    shown = [h.reference_id for h in search(archive, "embassy", per_page=20, facets=False).hits]
    assert ids[:20] == shown
    paris = list(search_hit_ids(archive, "embassy", origin=["Paris"], date_from="2009"))
    everything = {r["reference_id"]: r for r in _from_sql(archive)}
    assert paris and all(
        everything[i]["origin"] == "Embassy Paris" and everything[i]["date"] >= "2009"
        for i in paris
    )
    assert not archive.conn.in_transaction


def test_export_command_with_a_query(export_db: Path, archive: Archive, tmp_path: Path) -> None:
    out = tmp_path / "shell.csv"
    args = ["export", "--db", str(export_db), "--format", "csv", "--out", str(out)]
    result = runner.invoke(app, [*args, "--query", "shell AND iran", "--json"])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as fh:
        exported = [row[0] for row in list(csv.reader(fh))[1:]]
    assert set(exported) == _fts_ids(archive, "shell AND iran") and exported
    assert json.loads(result.stdout)["cables"] == len(exported)
    result = runner.invoke(app, [*args, "--query", "shell AND ("])
    assert result.exit_code == 1 and "never closed" in result.stderr
    assert not out.with_name("shell.csv.part").exists()


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_out_dash_writes_standard_output(
    export_db: Path, archive: Archive, tmp_path: Path, fmt: str
) -> None:
    """``--out -`` streams the same bytes a file export holds, for a pipe; the summary goes to
    stderr so stdout stays data."""
    file = tmp_path / f"all.{fmt}"
    args = ["export", "--db", str(export_db), "--format", fmt, "--origin", "london"]
    to_file = runner.invoke(app, [*args, "--out", str(file), "--json"])
    count = json.loads(to_file.stdout)["cables"]
    assert count > 0
    piped = runner.invoke(app, [*args, "--out", "-", "--json"])
    assert piped.exit_code == 0, piped.output
    assert json.loads(piped.stderr) == {"out": "-", "format": fmt, "cables": count}
    if fmt == "parquet":
        streamed = tmp_path / "streamed.parquet"
        streamed.write_bytes(piped.stdout_bytes)
        assert pq.read_table(streamed).to_pylist() == pq.read_table(file).to_pylist()
    else:
        assert piped.stdout_bytes == file.read_bytes()
    assert not (tmp_path / "-").exists() and not Path("-").exists()
