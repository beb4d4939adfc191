"""``-`` reads standard input: the format told by its first bytes, records as from a file."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from cabledesk.archive import Archive
from cabledesk.cli import app
from cabledesk.sources import RawCable, Record, Rejected, read_sources, read_stdin
from cabledesk.sources.stdin import STDIN_SOURCE
from cabledesk.telegram import parse
from test_sources_csv import sample_rows, write_cables_csv

SEED = Path(__file__).parent / "data" / "seed" / "07MOSCOW104.txt"


class _Trickle(io.RawIOBase):
    """A pipe that hands over a few bytes per read, as a slow producer does."""

    def __init__(self, data: bytes, step: int = 7) -> None:
        self._data = memoryview(data)
        self._step = step

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        n = self._step if size < 0 else min(size, self._step)
        piece, self._data = bytes(self._data[:n]), self._data[n:]
        return piece


def _texts(records: list[Record]) -> list[tuple[str, str | None]]:
    return [(r.text, r.hints.get("reference_id")) for r in records if isinstance(r, RawCable)]  # type: ignore[misc]


def _jsonl(sample_dir: Path, k: int = 4) -> bytes:
    lines = []
    for path in sorted(sample_dir.glob("*.txt"))[:k]:
        cable = parse(path.read_text("utf-8"), {"reference_id": path.stem})
        lines.append(json.dumps(cable.to_dict()))
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_json_lines_piped_read_as_from_a_file(sample_dir: Path, tmp_path: Path) -> None:
    data = _jsonl(sample_dir)
    path = tmp_path / "cables.jsonl"
    path.write_bytes(data)
    expected = _texts(list(read_sources([path])))
    assert len(expected) == 4
    for stream in (io.BytesIO(data), _Trickle(data), io.BytesIO(gzip.compress(data))):
        records = list(read_stdin(stream))  # type: ignore[arg-type]
        assert _texts(records) == expected
        assert {r.source for r in records} == {STDIN_SOURCE}


def test_cables_csv_piped_read_as_from_a_file(
    sample_dir: Path, sample_index: list[dict[str, str]], tmp_path: Path
) -> None:
    path = tmp_path / "cables.csv"
    write_cables_csv(path, sample_rows(sample_dir, sample_index, 5))
    expected = _texts(list(read_sources([path])))
    assert len(expected) == 5
    piped = list(read_stdin(_Trickle(path.read_bytes(), 13)))  # type: ignore[arg-type]
    assert _texts(piped) == expected


def test_one_cable_piped_and_what_is_refused() -> None:
    text = SEED.read_text("utf-8")
    for data in (text.encode("utf-8"), text.encode("utf-16"), gzip.compress(text.encode())):
        cable = list(read_stdin(io.BytesIO(data)))
        assert len(cable) == 1 and isinstance(cable[0], RawCable)
        assert cable[0].text == text
    for data, reason in (
        (b"", "empty input"),
        (b" \n\n", "empty input"),
        (b"UNCLAS\x00\x01", "binary file: NUL byte at offset 6"),
        (gzip.compress(text.encode())[:200], "cannot read standard input"),
    ):
        refused = list(read_stdin(io.BytesIO(data)))
        assert len(refused) == 1 and isinstance(refused[0], Rejected), data
        assert refused[0].reason.startswith(reason)


def test_a_cut_gzip_keeps_the_records_before_the_cut(sample_dir: Path) -> None:
    packed = gzip.compress(_jsonl(sample_dir, 30))
    records = list(read_stdin(io.BytesIO(packed[: len(packed) * 2 // 3])))
    assert isinstance(records[-1], Rejected)
    assert records[-1].reason.startswith("cannot read further")
    assert len(_texts(records)) >= 5


def test_cli_ingest_and_parse_read_a_pipe(sample_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    db = tmp_path / "piped.db"
    done = runner.invoke(app, ["ingest", "-", "--db", str(db), "--json"], input=_jsonl(sample_dir))
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["added"] == 4
    with Archive.open(db, readonly=True) as archive:
        assert archive.counts()["cables"] == 4
    shown = runner.invoke(app, ["parse", "--json", "-"], input=SEED.read_bytes())
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["canonical_id"] == "07MOSCOW104"
