"""The protection commands through Click's runner, checked against the archive they change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cabledesk.archive import Archive, ingest
from cabledesk.archive.protection import list_protected_names, list_releases
from cabledesk.cli import app

EVAL = Path(__file__).parent / "data" / "protect_eval" / "cables"
runner = CliRunner()


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "a.db"
    ingest([EVAL / "04BAGHDAD4.txt", EVAL / "07MOSCOW104.txt", EVAL / "09LONDON2575.txt"], path)
    return path


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_add_list_plan_apply_export(db: Path, tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text("# sources\nHoshyar Zebari\n\nKaren Pierce\n", "utf-8")
    _run("protect", "add", "--file", str(names), "--db", str(db))
    _run("protect", "add", "Chun", "--pseudonym", "Source C", "--db", str(db))
    listed = [
        json.loads(x) for x in _run("protect", "list", "--json", "--db", str(db)).split("\n") if x
    ]
    assert [e["pseudonym"] for e in listed] == ["Person 1", "Person 2", "Source C"]

    plan = [json.loads(x) for x in _run("protect", "plan", "--json", "--db", str(db)).splitlines()]
    assert sorted(p["text"] for p in plan) == [
        "Chun", "HOSHYAR ZEBARI", "HOSHYAR ZEBARI", "Karen Pierce"
    ]  # fmt: skip
    reviewed = tmp_path / "plan.jsonl"
    kept = [p for p in plan if p["start"] != 2050]  # the editor drops one span
    reviewed.write_text("".join(json.dumps(p) + "\n" for p in kept), "utf-8")

    summary = json.loads(
        _run("protect", "apply", "--label", "r1", "--plan", str(reviewed), "--style",
             "pseudonym", "--json", "--db", str(db))
    )  # fmt: skip
    assert summary["spans_replaced"] == len(kept)
    with Archive.open(db, readonly=True) as archive:
        assert [r.label for r in list_releases(archive)] == ["r1"]
        assert len(list_protected_names(archive)) == 3

    out = tmp_path / "release"
    _run("protect", "export", "r1", "--out", str(out), "--db", str(db))
    moscow = (out / "07MOSCOW104.txt").read_text("utf-8")
    assert "according to Source C" in moscow and "Chun" not in moscow
    assert "Person 2" in (out / "09LONDON2575.txt").read_text("utf-8")
    baghdad = (out / "04BAGHDAD4.txt").read_text("utf-8")
    assert baghdad.count("Person 1") == 1 and baghdad.count("HOSHYAR ZEBARI") == 1  # dropped


def test_people_from_files_and_archive(db: Path) -> None:
    rows = [
        json.loads(x) for x in _run("people", str(EVAL / "07MOSCOW104.txt"), "--json").splitlines()
    ]
    assert {"Chun", "Alice G. Wells"} <= {r["name"] for r in rows}
    wells = next(r for r in rows if r["name"] == "Alice G. Wells")
    assert wells["official"] is True
    rows = [
        json.loads(x)
        for x in _run("people", "--db", str(db), "--no-officials", "--json").splitlines()
    ]
    assert rows and not any(r["official"] for r in rows)


def test_errors_are_one_line_and_exit_1(db: Path, tmp_path: Path) -> None:
    missing = runner.invoke(app, ["protect", "add", "X", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 1 and "no such archive" in missing.stderr
    empty = runner.invoke(app, ["protect", "plan", "--db", str(db)])
    assert empty.exit_code == 1 and "protect list is empty" in empty.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"reference_id": "04BAGHDAD4"}\n', "utf-8")
    stale = runner.invoke(
        app, ["protect", "apply", "--label", "x", "--plan", str(bad), "--db", str(db)]
    )
    assert stale.exit_code == 1 and "bad.jsonl:1" in stale.stderr
    assert runner.invoke(app, ["protect", "remove", "Nobody", "--db", str(db)]).exit_code == 1
