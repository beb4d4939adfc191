"""Cablegate cables.csv: real sample cables written in the MySQL-export layout, plus broken rows.

``write_cables_csv`` writes the layout of the published file: no header row, every field in
double quotes, a backslash before each quote, backslash and line end inside a field.
"""

from __future__ import annotations

import gzip
import io
import tracemalloc
from pathlib import Path

import pytest

from cabledesk.sources import RawCable, Record, Rejected, read_cables_csv, read_sources
from cabledesk.sources.csvfile import read_cables_csv_stream
from cabledesk.telegram import parse

Row = tuple[str, str, str, str, str, str, str, str]


def quote(value: str) -> str:
    """One field as MySQL's ``FIELDS ENCLOSED BY '"' ESCAPED BY '\\\\'`` writes it."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\\n")
    return f'"{escaped}"'


def write_cables_csv(path: Path, rows: list[Row]) -> list[int]:
    """Write ``rows``; returns the line each record starts on."""
    starts, line, out = [], 1, []
    for row in rows:
        record = ",".join(quote(v) for v in row) + "\n"
        starts.append(line)
        line += record.count("\n")
        out.append(record)
    path.write_text("".join(out), encoding="utf-8", newline="")
    return starts


def split_cable(text: str) -> tuple[str, str] | None:
    """Header and body such that the reader's join gives ``text`` back, or None."""
    if not text.endswith("\n") or text[-2:-1].isspace() or text[:1].isspace():
        return None
    i = text.find("\n\n")
    while i >= 0:
        if not text[i - 1].isspace() and not text[i + 2 : i + 3].isspace():
            return text[:i], text[i + 2 : -1]
        i = text.find("\n\n", i + 1)
    return None


def sample_rows(sample_dir: Path, index: list[dict[str, str]], limit: int) -> list[Row]:
    rows: list[Row] = []
    for meta in index:
        text = (sample_dir / f"{meta['reference_id']}.txt").read_text("utf-8")
        parts = split_cable(text)
        if parts is None or not meta["created"]:
            continue
        day, hm = meta["created"].split(" ")
        y, m, d = day.split("-")
        date = f"{int(m)}/{int(d)}/{y} {int(hm[:2])}:{hm[3:]}"
        refs = "09STATE1|08MOSCOW2" if len(rows) % 3 == 0 else ""
        meta_fields = (meta["reference_id"], meta["origin"], meta["classification"], refs)
        rows.append((str(len(rows) + 1), date, *meta_fields, *parts))
        if len(rows) == limit:
            break
    return rows


@pytest.fixture()
def rows(sample_dir: Path, sample_index: list[dict[str, str]]) -> list[Row]:
    return sample_rows(sample_dir, sample_index, 20)


def _cables(records: list[Record]) -> list[RawCable]:
    return [r for r in records if isinstance(r, RawCable)]


def _rejections(records: list[Record]) -> list[tuple[int, str]]:
    return [(r.line, r.reason) for r in records if isinstance(r, Rejected)]


def test_sample_cables_come_back_with_hints_and_lines(
    tmp_path: Path, rows: list[Row], sample_dir: Path
) -> None:
    assert len(rows) == 20
    path = tmp_path / "cables.csv"
    starts = write_cables_csv(path, rows)
    records = list(read_cables_csv(path))
    assert _rejections(records) == []
    assert [r.line for r in records] == starts
    for raw, row in zip(_cables(records), rows, strict=True):
        ref_id = row[2]
        assert raw.text == (sample_dir / f"{ref_id}.txt").read_text("utf-8")
        assert raw.hints["reference_id"] == ref_id
        assert (raw.hints["origin"], raw.hints["classification"]) == (row[3], row[4])
        assert raw.hints.get("referenced_ids", []) == [r for r in row[5].split("|") if r]
        assert parse(raw.text, raw.hints).reference_id == ref_id
    assert records[0].hints["date"] == _iso(rows[0][1])


def _iso(date: str) -> str:
    day, hm = date.split(" ")
    m, d, y = (int(x) for x in day.split("/"))
    h, mi = (int(x) for x in hm.split(":"))
    return f"{y:04d}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:00Z"


def _read(text: str) -> list[Record]:
    return list(read_cables_csv_stream(io.StringIO(text, newline=""), "t.csv"))


GOOD = '"7","12/28/1966 18:48","66BUENOSAIRES2481","Embassy Buenos Aires","UNCLASSIFIED","",'


def test_escapes_commas_and_line_ends_inside_fields() -> None:
    body = 'UNCLAS BUENOS AIRES 2481\nSAID \\"NO, NEVER\\"\nPATH C:\\\\TEMP\\\\\nEND\\\\'
    records = _read(GOOD + '"R 281848Z DEC 66\\\nFM X, Y",' + f'"{body}"\n')
    (raw,) = _cables(records)
    assert raw.text == (
        'R 281848Z DEC 66\nFM X, Y\n\nUNCLAS BUENOS AIRES 2481\nSAID "NO, NEVER"\n'
        "PATH C:\\TEMP\\\nEND\\\n"
    )
    assert raw.hints == {
        "date": "1966-12-28T18:48:00Z",
        "reference_id": "66BUENOSAIRES2481",
        "origin": "Embassy Buenos Aires",
        "classification": "UNCLASSIFIED",
    }


def test_unquoted_fields_null_crlf_and_a_missing_last_line_end() -> None:
    records = _read(
        '1,1/2/2003 4:05,03X1,,SECRET,\\N,"HDR",\r\n"BODY\r\nLINE"\r\n'
        '"2","1/2/2003 4:06","03X2","O","C","","","BODY ONLY"'
    )
    # the trailing comma ends the record with an empty body; the next line is a 1-column row
    assert _rejections(records) == [(2, "1 column, expected 8")]
    assert [(c.text, c.line) for c in _cables(records)] == [("HDR\n", 1), ("BODY ONLY\n", 4)]
    records = _read(
        '1,1/2/2003 4:05,03X1,,SECRET,\\N,"HDR","BODY\r\nLINE"\r\n'
        '"2","1/2/2003 4:06","03X2","O","C","","","BODY ONLY"'
    )
    first, second = _cables(records)
    assert (first.text, first.hints, first.line) == (
        "HDR\n\nBODY\r\nLINE\n",
        {"date": "2003-01-02T04:05:00Z", "reference_id": "03X1", "classification": "SECRET"},
        1,
    )
    assert (second.text, second.line) == ("BODY ONLY\n", 3)


def test_broken_rows_cost_one_record_each(tmp_path: Path, rows: list[Row]) -> None:
    good = [",".join(quote(v) for v in row) + "\n" for row in rows[:6]]
    broken = [
        good[0],
        '"2","1/1/2001 10:00","01X2","O","C","","HEADER ONLY"\n',  # 7 columns
        good[1],
        '"3","13/45/2009 10:00","09X3","O","C","","H","B"\n',  # bad date
        good[2],
        '"4","1/1/2001 10:00","01X4","O","C","","H","BODY ENDS WITH A STRAY \\"\n',  # eats a "
        good[3],
        '"5","1/1/2001 10:00","01X5","O","C","","H","B","EXTRA"\n',  # 9 columns
        good[4],
        'garbage line without quotes\n"6","1/1/2001 10:00","01X6","O","C","","H","B"\n',
        good[5],
        '"7","1/1/2001 10:00","01X7","O","C","","H","UNTERMINATED\\\nTO THE END\n',
    ]
    path = tmp_path / "cables.csv"
    path.write_text("".join(broken), encoding="utf-8")
    starts = [1]
    for part in broken:
        starts.append(starts[-1] + part.count("\n"))
    records = list(read_cables_csv(path))
    assert [r[2] for r in rows[:6]] == [
        c.hints["reference_id"] for c in _cables(records) if c.hints["reference_id"] != "01X6"
    ]
    lines = [starts[i] for i in (0, 2, 4, 6, 8)] + [starts[9] + 1, starts[10]]
    assert [c.line for c in _cables(records)] == lines
    assert _rejections(records) == [
        (starts[1], "7 columns, expected 8"),
        (starts[3], "bad date in column 2: '13/45/2009 10:00' (month must be in 1..12)"),
        (starts[5], f"unexpected {good[3][1:21]!r} after column 8 (a stray quote?)"),
        (starts[7], "9 columns, expected 8"),
        (starts[9], "1 column, expected 8"),
        (starts[11], "unterminated quoted field in column 8 (runs to end of file)"),
    ]


def test_bytes_that_are_not_utf8_cost_only_their_record(tmp_path: Path, rows: list[Row]) -> None:
    path = tmp_path / "cables.csv"
    write_cables_csv(path, rows[:3])
    data = path.read_bytes()
    bad_at = data.index(quote(rows[1][7])[:30].encode("utf-8")) + 5
    path.write_bytes(data[:bad_at] + b"\xe9" + data[bad_at + 1 :])
    records = list(read_cables_csv(path))
    assert [c.hints["reference_id"] for c in _cables(records)] == [rows[0][2], rows[2][2]]
    ((line, reason),) = _rejections(records)
    bad_line = data.count(b"\n", 0, bad_at) + 1
    assert reason == f"not UTF-8: byte 0xe9 on line {bad_line:,} (wrong encoding?)"


def test_a_record_with_no_end_is_refused_and_reading_resumes(
    tmp_path: Path, rows: list[Row]
) -> None:
    path = tmp_path / "cables.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(GOOD + '"H","' + "A" * (12 * 1024 * 1024) + "\n")  # no closing quote
        fh.write(",".join(quote(v) for v in rows[0]) + "\n")
    records = list(read_cables_csv(path))
    assert _rejections(records) == [
        (1, "record too large: no end within 10,485,760 characters (an unterminated quote?)")
    ]
    assert [(c.hints["reference_id"], c.line) for c in _cables(records)] == [(rows[0][2], 2)]


def test_not_a_cables_csv_and_empty_file(tmp_path: Path, sample_dir: Path) -> None:
    assert _rejections(list(read_cables_csv(sample_dir / "index.csv"))) == [
        (
            1,
            "not a Cablegate cables.csv: the first line does not start with a row id and a "
            "m/d/yyyy h:mm date ('reference_id,source_repo,source_path,format,bytes,corpus_fil')",
        )
    ]
    empty = tmp_path / "cables.csv"
    empty.write_text("\n")
    assert _rejections(list(read_cables_csv(empty))) == [(0, "empty file")]


def test_gzip_csv_in_a_folder_next_to_an_index(tmp_path: Path, rows: list[Row]) -> None:
    plain = tmp_path / "plain" / "cables.csv"
    plain.parent.mkdir()
    write_cables_csv(plain, rows)
    folder = tmp_path / "dump"
    folder.mkdir()
    (folder / "cables.csv.gz").write_bytes(gzip.compress(plain.read_bytes()))
    (folder / "index.csv").write_text("reference_id,created\n07MOSCOW104,2007-01-12\n")
    records = list(read_sources([folder]))
    assert {r.source for r in records} == {str(folder / "cables.csv.gz")}
    assert [(c.text, c.hints, c.line) for c in _cables(records)] == [
        (c.text, c.hints, c.line) for c in _cables(list(read_cables_csv(plain)))
    ]


def test_memory_stays_bounded_while_streaming(
    tmp_path: Path, sample_dir: Path, sample_index: list[dict[str, str]]
) -> None:
    rows = sample_rows(sample_dir, sample_index, 300)
    path = tmp_path / "cables.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        for i in range(3000):
            row = rows[i % len(rows)]
            fh.write(",".join(quote(v) for v in (str(i + 1), *row[1:])) + "\n")
    size = path.stat().st_size
    assert size > 15 * 1024 * 1024
    tracemalloc.start()
    try:
        count = sum(isinstance(r, RawCable) for r in read_cables_csv(path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 3000
    assert peak < 8 * 1024 * 1024, f"peak {peak:,} bytes while streaming {size:,}"


@pytest.mark.corpus
def test_the_whole_corpus_through_a_cables_csv(corpus_dir: Path, tmp_path: Path) -> None:
    texts = {p.stem: p.read_text("utf-8") for p in sorted(corpus_dir.glob("*.txt"))}
    rows: list[Row] = []
    for ref_id, text in texts.items():
        parts = split_cable(text)
        if parts is not None:
            rows.append((str(len(rows) + 1), "1/2/2003 4:05", ref_id, "O", "C", "", *parts))
    assert len(rows) > len(texts) // 2
    path = tmp_path / "cables.csv"
    starts = write_cables_csv(path, rows)
    records = list(read_cables_csv(path))
    assert _rejections(records) == []
    assert [r.line for r in records] == starts
    for raw in _cables(records):
        assert raw.text == texts[str(raw.hints["reference_id"])]
