"""Reading stored cables back (``services.reading``) and ``cabledesk show``, on a real archive
built from the bundled sample."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cabledesk.archive import Archive, ingest_records
from cabledesk.cli import app
from cabledesk.services.reading import (
    CableNotFound,
    StoredCable,
    get_cable,
    require_cable,
    resolve_id,
    version_diff,
    version_text,
)
from cabledesk.sources.records import RawCable
from cabledesk.sources.text import read_text_file
from cabledesk.telegram import canonical_id, parse, validate

runner = CliRunner()


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Path:
    """An archive of the whole sample, plus one cable carrying terminal escape codes."""
    db = tmp_path_factory.mktemp("reading") / "sample.db"
    seed = (sample_dir / "09THEHAGUE2.txt").read_text("utf-8")
    hostile = (
        seed.replace("THE HAGUE 000002", "THE HAGUE 099999")
        .replace("#0002/01", "#9999/01")
        .replace("SHELL DISCUSSES", "SHELL \x1b[31mDISCUSSES")
        .replace("The Dutch government", "The \x1b]8;;http://x\x07Dutch\x9b government")
    )
    records = [read_text_file(p) for p in sorted(sample_dir.glob("*.txt"))]
    records.append(RawCable(hostile, "hostile.txt", {"reference_id": "09THEHAGUE99999"}))
    with Archive.open(db) as archive:
        ingest_records(records, archive, workers=0)
    return db


@pytest.fixture()
def archive(sample_db: Path) -> Iterator[Archive]:
    with Archive.open(sample_db, readonly=True) as opened:
        yield opened


def test_any_spelling_finds_the_cable(archive: Archive) -> None:
    for spelling in ("09THEHAGUE2", "09thehague2", "09 THE HAGUE 2", "09THEHAGUE000002 "):
        stored = get_cable(archive, spelling)
        assert stored is not None, spelling
        assert stored.reference_id == "09THEHAGUE2"
    # the damaged id WikiLeaks printed on one of the two releases of 08MANAMA492
    assert resolve_id(archive, "08ECTION01OF02MANAMA492") is not None
    damaged = get_cable(archive, "08ECTION01OF02MANAMA492")
    assert damaged is not None and damaged.reference_id == "08MANAMA492"
    assert get_cable(archive, "09THEHAGUE3") is None
    assert get_cable(archive, "  ") is None
    with pytest.raises(CableNotFound, match="09THEHAGUE3: no such cable"):
        require_cable(archive, "09THEHAGUE3")


def test_stored_cable_is_the_parse_of_its_current_source(
    archive: Archive, sample_dir: Path
) -> None:
    ids = [row[0] for row in archive.conn.execute("SELECT reference_id FROM cables")]
    assert len(ids) == 322  # 321 sample cables + the hostile one
    for ref_id in ids:
        stored = require_cable(archive, ref_id)
        current = next(v for v in stored.versions if v.current)
        assert current.number == stored.version == stored.current_version
        source = Path(current.source)
        if source.name == "hostile.txt":
            continue
        raw = read_text_file(source)
        expected = parse(raw.text, raw.hints)
        assert stored.cable.to_dict() == expected.to_dict(), ref_id
        assert (expected.canonical_id or expected.reference_id) == ref_id
        assert stored.findings == validate(expected), ref_id


def test_versions_text_and_diff(archive: Archive, sample_dir: Path) -> None:
    stored = require_cable(archive, "08MANAMA492")
    assert [v.number for v in stored.versions] == [1, 2]
    by_number = {v.number: v for v in stored.versions}
    for number, version in by_number.items():
        assert stored.text_of(number) == read_text_file(Path(version.source)).text
    assert {Path(v.source).name for v in stored.versions} == {
        "08ECTION01OF02MANAMA492.txt",
        "08MANAMA492.txt",
    }
    old, new = stored.text_of(1), stored.text_of(2)
    whole = version_diff(archive, "08 MANAMA 492", 1, 2, context=10**6)
    lines = whole.splitlines(keepends=True)
    assert lines[0].startswith("--- 08MANAMA492 version 1")
    assert lines[1].startswith("+++ 08MANAMA492 version 2")
    body = [line for line in lines[2:] if not line.startswith("@@")]
    rebuilt_old = "".join(line[1:] for line in body if line[0] in " -")
    rebuilt_new = "".join(line[1:] for line in body if line[0] in " +")
    assert rebuilt_old.rstrip("\n") == old.rstrip("\n")
    assert rebuilt_new.rstrip("\n") == new.rstrip("\n")
    assert stored.diff(2, 2) == ""
    assert version_text(archive, "08MANAMA492", 1) == old


def test_an_older_version_is_parsed_from_its_own_text(archive: Archive) -> None:
    current = require_cable(archive, "08MANAMA492")
    older_number = next(v.number for v in current.versions if not v.current)
    older = require_cable(archive, "08MANAMA492", older_number)
    assert older.version == older_number != older.current_version
    assert older.cable.text == current.text_of(older_number)
    assert older.findings == validate(older.cable)


def test_unknown_version_names_the_versions_held(archive: Archive) -> None:
    with pytest.raises(CableNotFound, match=r"08MANAMA492: no version 7 \(versions held: 1, 2\)"):
        get_cable(archive, "08MANAMA492", 7)
    with pytest.raises(CableNotFound):
        version_text(archive, "08MANAMA492", 0)
    with pytest.raises(CableNotFound):
        version_diff(archive, "09THEHAGUE3", 1, 2)


def test_to_dict_is_the_cable_plus_findings_and_versions(archive: Archive) -> None:
    stored = require_cable(archive, "09THEHAGUE2")
    data = stored.to_dict()
    cable_keys = set(stored.cable.to_dict())
    assert set(data) == cable_keys | {
        "archive_id",
        "version",
        "current_version",
        "findings",
        "versions",
    }
    assert data["archive_id"] == "09THEHAGUE2"
    assert data["versions"][0]["source"].endswith("09THEHAGUE2.txt")
    assert json.loads(json.dumps(data)) == data


def test_show_json_prints_the_stored_cable(sample_db: Path, archive: Archive) -> None:
    result = runner.invoke(app, ["show", "09 the hague 2", "--db", str(sample_db), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == require_cable(archive, "09THEHAGUE2").to_dict()


def test_show_decodes_the_header_and_lists_references(sample_db: Path) -> None:
    result = runner.invoke(app, ["show", "09THEHAGUE2", "--db", str(sample_db)])
    assert result.exit_code == 0, result.output
    text = result.stdout
    for expected in (
        "RUEHTC (Embassy The Hague) #0002 section 01",
        "RR (ROUTINE)",
        "ZNY CCCCC (CONFIDENTIAL)",
        "020903Z JAN 09 = 2009-01-02 09:03Z",
        "NOFORN — No Foreign Distribution",
        "1.4(b) foreign government information",
        "NL   │ geographic │ The Netherlands",
        "08THEHAGUE276 │ not held",
        "Text (version 1)",
        "EconOffs delivered ref A points",
    ):
        assert expected in text, expected


def test_show_never_passes_control_characters_to_the_terminal(sample_db: Path) -> None:
    result = runner.invoke(app, ["show", "09THEHAGUE99999", "--db", str(sample_db)])
    assert result.exit_code == 0, result.output
    assert "DISCUSSES" in result.stdout
    assert not any(c in result.stdout for c in "\x1b\x07\x9b")
    assert "\ufffd[31mDISCUSSES" in result.stdout


def test_show_diff_and_errors(sample_db: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["show", "08MANAMA492", "--db", str(sample_db), "--diff", "1"])
    assert result.exit_code == 0
    assert result.stdout.startswith("--- 08MANAMA492 version 1\n+++ 08MANAMA492 version 2\n")
    for args, message in (
        (["show", "09THEHAGUE3", "--db", str(sample_db)], "09THEHAGUE3: no such cable"),
        (["show", "08MANAMA492", "--db", str(sample_db), "--version", "9"], "no version 9"),
        (["show", "09THEHAGUE2", "--db", str(tmp_path / "none.db")], "no such archive"),
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 1
        assert message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    not_an_archive = tmp_path / "notes.db"
    not_an_archive.write_text("not sqlite at all " * 100, "utf-8")
    result = runner.invoke(app, ["show", "09THEHAGUE2", "--db", str(not_an_archive)])
    assert result.exit_code == 1 and "not a cabledesk archive" in result.stderr
    empty = tmp_path / "empty.db"  # SQLite reads an empty file as a database without tables
    empty.write_bytes(b"")
    for command in (["show", "09THEHAGUE2"], ["search", "moscow"], ["stats"]):
        result = runner.invoke(app, [*command, "--db", str(empty)])
        assert result.exit_code == 1, command
        assert "an empty file, not a cabledesk archive" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_stored_cable_is_a_plain_record(archive: Archive) -> None:
    stored = require_cable(archive, "09THEHAGUE2")
    assert isinstance(stored, StoredCable)
    assert canonical_id(stored.cable.reference_id or "") == stored.reference_id
