"""The CLI through Click's runner, asserted through the Python API."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

import cabledesk
from cabledesk.cli import app

DATA = Path(__file__).parent / "data"
SEED = DATA / "seed" / "07MOSCOW104.txt"
VECTORS = DATA / "conformance" / "cablemap"

runner = CliRunner()


def _sample_files(k: int = 3) -> list[Path]:
    return sorted((DATA / "sample").glob("*.txt"))[:k]


def test_parse_json_lines_in_input_order(tmp_path: Path) -> None:
    files = _sample_files(3)
    result = runner.invoke(app, ["parse", "--json", *map(str, files)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["reference_id"] for d in lines] == [f.stem for f in files]
    for d, f in zip(lines, files, strict=True):
        assert d == cabledesk.parse(f.read_text("utf-8"), {"reference_id": f.stem}).to_dict()


def test_parse_file_name_is_a_hint(tmp_path: Path) -> None:
    text = SEED.read_text("utf-8")
    body = text[text.index("VZCZC") :]
    named = tmp_path / "07MOSCOW104.txt"
    named.write_text(body, "utf-8")
    other = tmp_path / "cable.txt"
    other.write_text(body, "utf-8")
    result = runner.invoke(app, ["parse", "--json", str(named), str(other)])
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["reference_id_source"] == "hint"
    assert second["reference_id_source"] == "classification_line"
    assert first["canonical_id"] == second["canonical_id"] == "07MOSCOW104"


def test_bad_files_are_reported_and_the_rest_printed(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", "utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("TAGS: PREL\nSUBJECT: CAF\xe9\n".encode("latin-1"))
    result = runner.invoke(app, ["parse", "--json", str(empty), str(SEED), str(binary), str(latin)])
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["canonical_id"] for d in out] == ["07MOSCOW104"]
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 3
    assert "empty.txt" in errors[0] and "empty" in errors[0]
    assert "binary.txt" in errors[1]
    assert "latin.txt" in errors[2] and "UTF-8" in errors[2]


def test_readable_view() -> None:
    result = runner.invoke(app, ["parse", str(SEED)])
    assert result.exit_code == 0
    assert "07MOSCOW104" in result.stdout
    assert "NORTH KOREAN ASYLUM SEEKERS" in result.stdout


def test_validate_json() -> None:
    result = runner.invoke(app, ["validate", "--json", str(SEED)])
    assert result.exit_code == 0
    (line,) = result.stdout.splitlines()
    d = json.loads(line)
    cable = cabledesk.parse(SEED.read_text("utf-8"))
    assert [f["code"] for f in d["findings"]] == [f.code for f in cabledesk.validate(cable)]


def test_render_prints_a_telegram_that_parses_back() -> None:
    result = runner.invoke(app, ["render", str(SEED)])
    assert result.exit_code == 0
    again = cabledesk.parse(result.stdout)
    assert again.subject == "NORTH KOREAN ASYLUM SEEKERS APPROACH UNHCR"


def test_conformance_json_counts_every_file() -> None:
    result = runner.invoke(
        app, ["conformance", str(VECTORS), "--corpus", str(DATA / "sample"), "--json"]
    )
    assert result.exit_code == 0, result.output
    d = json.loads(result.stdout)
    assert set(d) == {p.stem for p in VECTORS.glob("*.json")}
    for counts in d.values():
        assert set(counts) == {"passed", "total", "skipped"}
        assert 0 <= counts["passed"] <= counts["total"]
    assert d["reference_id_c14n"]["total"] == 55


def test_summary_of_the_sample() -> None:
    result = runner.invoke(app, ["summary", str(DATA / "sample")])
    assert result.exit_code == 0, result.output
    assert "cables parsed" in result.stdout


def test_an_output_the_system_refuses_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    """The console script (``cabledesk.cli.main``), as a user runs it: writing into a folder
    that does not exist names the file and exits 1."""
    import subprocess
    import sys

    db = tmp_path / "a.db"
    runner.invoke(app, ["ingest", str(SEED), "--db", str(db)])
    missing = tmp_path / "no such folder"
    for args in (
        ["export", "--db", str(db), "--format", "csv", "--out", str(missing / "x.csv")],
        ["stats", "--db", str(db), "--plot", str(missing / "x.png")],
        ["graph", "--db", str(db), "--format", "gexf", "--out", str(missing / "g.gexf")],
    ):
        done = subprocess.run(
            [sys.executable, "-c", "from cabledesk.cli import main; main()", *args],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 1, (args, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error {missing}/"), done.stderr
        assert lines[0].endswith("No such file or directory")


def test_version() -> None:
    done = runner.invoke(app, ["--version"])
    first, second = done.stdout.strip().splitlines()
    assert done.exit_code == 0 and first == f"cabledesk {cabledesk.__version__}"
    assert second.startswith("telegram layer: ") and ("compiled" in second or "pure" in second)
