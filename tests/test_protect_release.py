"""Protect list, releases and their exports on real SQLite archives built from the sample."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from cabledesk.archive import Archive, ingest, ingest_records
from cabledesk.archive.protection import (
    ProtectionError,
    add_protected_name,
    delete_release,
    get_protected_name,
    get_release,
    iter_release_texts,
    list_protected_names,
    list_releases,
    name_key,
    remove_protected_name,
)
from cabledesk.archive.schema import MIGRATIONS, SCHEMA_VERSION
from cabledesk.protect.apply import DEFAULT_MARKER, RedactionError, StalePlanError
from cabledesk.protect.model import PlannedRedaction
from cabledesk.protect.release import ExportError, apply_plan, export_release, plan_digest
from cabledesk.services.reading import CableNotFound, require_cable
from cabledesk.sources.records import RawCable
from cabledesk.sources.text import read_text_file

HAGUE = "09THEHAGUE2"
HOSTILE = "09THEHAGUE99999"
NAMES = {"Crocker": "person", "Smits": "person", "Shell": "organisation"}


def hostile_text(sample_dir: Path) -> str:
    """09THEHAGUE2 renumbered, with markup, entities and a bidi override in subject and body."""
    seed = (sample_dir / f"{HAGUE}.txt").read_text("utf-8")
    return (
        seed.replace("THE HAGUE 000002", "THE HAGUE 099999")
        .replace("#0002/01", "#9999/01")
        .replace("SHELL DISCUSSES", "SHELL <script>alert(1)</script> &amp; DISCUSSES")
        .replace(
            "The Dutch government",
            'The <img src=x onerror="alert(2)"> Dutch &lt;b&gt; gov\u202eernment',
        )
    )


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Path:
    """The sample ingested (``archive.ingest``), plus the hostile cable."""
    folder = tmp_path_factory.mktemp("release")
    (folder / "hostile.txt").write_text(hostile_text(sample_dir), "utf-8")
    db = folder / "sample.db"
    report = ingest([*sorted(sample_dir.glob("*.txt")), folder / "hostile.txt"], db, workers=0)
    assert report.quarantined == 0
    return db


@pytest.fixture()
def archive(sample_db: Path, tmp_path: Path) -> Iterator[Archive]:
    """A private copy of the sample archive, open for writing."""
    db = tmp_path / "archive.db"
    shutil.copy(sample_db, db)
    with Archive.open(db) as opened:
        yield opened


def word_plan(archive: Archive, reference_id: str, names: dict[str, str]) -> list[PlannedRedaction]:
    """Every whole-word occurrence (any case) of each name in the cable's current text."""
    text = require_cable(archive, reference_id).cable.text
    plan = []
    for name in names:
        for m in re.finditer(rf"\b{re.escape(name)}\b", text, re.IGNORECASE):
            plan.append(
                PlannedRedaction(reference_id, m.start(), m.end(), m.group(), name, "test", 1.0)
            )
    return plan


def protect_all(archive: Archive, names: dict[str, str]) -> None:
    for name, kind in names.items():
        add_protected_name(archive, name, kind=kind)


# -- the protect list ------------------------------------------------------------------------


def test_pseudonyms_are_given_in_order_and_kept(archive: Archive) -> None:
    a = add_protected_name(archive, "Alice Crocker", note="source in ¶4")
    b = add_protected_name(archive, "Kim Jong-Il")
    org = add_protected_name(archive, "Shell", kind="organisation")
    chosen = add_protected_name(archive, "Jan Smits", pseudonym="  The  Engineer ")
    assert [a.pseudonym, b.pseudonym, org.pseudonym, chosen.pseudonym] == [
        "Person 1",
        "Person 2",
        "Organisation 1",
        "The Engineer",
    ]
    assert a.note == "source in ¶4" and a.kind == "person" and b.key == "kim jong il"
    with pytest.raises(
        ProtectionError,
        match=r"'KIM JONG IL' is already protected \(as 'Kim Jong-Il', pseudonym 'Person 2'\)",
    ):
        add_protected_name(archive, "KIM JONG IL")
    with pytest.raises(ProtectionError, match="already taken"):
        add_protected_name(archive, "Someone Else", pseudonym="Person 1")
    with pytest.raises(ProtectionError, match="gives the name away"):
        add_protected_name(archive, "Müller", pseudonym="Agent Muller")
    with pytest.raises(ProtectionError, match="kind 'place'"):
        add_protected_name(archive, "Paris", kind="place")
    with pytest.raises(ProtectionError, match="at least one letter"):
        add_protected_name(archive, " -- ")
    # A removed name's number is never given to the next name.
    assert remove_protected_name(archive, "kim jong il") == b
    assert remove_protected_name(archive, "Nobody") is None
    assert add_protected_name(archive, "Lee Min").pseudonym == "Person 3"
    # Stable across runs: the pseudonyms are stored, not recomputed.
    path = archive.path
    archive.close()
    with Archive.open(path, readonly=True) as again:
        listed = list_protected_names(again)
        assert [(e.name, e.pseudonym) for e in listed] == [
            ("Alice Crocker", "Person 1"),
            ("Shell", "Organisation 1"),
            ("Jan Smits", "The Engineer"),
            ("Lee Min", "Person 3"),
        ]
        assert get_protected_name(again, "ALICE  CROCKER") == listed[0]


def test_pseudonyms_are_not_derived_from_the_name(archive: Archive, tmp_path: Path) -> None:
    """The same name gets the pseudonym its turn gives it, not one computed from the name."""
    add_protected_name(archive, "Alice Crocker")
    add_protected_name(archive, "Jan Smits")
    with Archive.open(tmp_path / "other.db") as other:
        add_protected_name(other, "Jan Smits")
        add_protected_name(other, "Alice Crocker")
        assert get_protected_name(other, "Alice Crocker").pseudonym == "Person 2"  # type: ignore[union-attr]
    assert get_protected_name(archive, "Alice Crocker").pseudonym == "Person 1"  # type: ignore[union-attr]
    assert name_key("Ålice  CRÖCKER-Smith") == "alice crocker smith"


def test_migration_two_upgrades_an_archive_of_version_one(tmp_path: Path, sample_dir: Path) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.executescript(MIGRATIONS[0] + "\nPRAGMA user_version = 1;")
    conn.close()
    with Archive.open(db, readonly=True) as old:  # not migrated: nothing protected yet
        assert old.schema_version == 1
        assert list_protected_names(old) == [] and list_releases(old) == []
        assert get_protected_name(old, "x") is None and get_release(old, "x") is None
    with Archive.open(db) as archive:
        ingest_records([read_text_file(sample_dir / f"{HAGUE}.txt")], archive, workers=0)
    with Archive.open(db) as archive:
        assert archive.schema_version == SCHEMA_VERSION >= 2
        tables = {
            r[0]
            for r in archive.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        assert {"protected_names", "pseudonym_counters", "releases", "release_texts"} <= tables
        assert archive.counts()["cables"] == 1


# -- applying a plan ---------------------------------------------------------------------------


def test_apply_plan_stores_a_release_and_leaves_the_originals(archive: Archive) -> None:
    protect_all(archive, NAMES)
    plan = word_plan(archive, HAGUE, NAMES) + word_plan(
        archive, "09PARIS504", {"Sarkozy": "person"}
    )
    add_protected_name(archive, "Sarkozy")
    versions_before = archive.conn.execute("SELECT cable_id, number, text FROM versions").fetchall()
    summary = apply_plan(archive, plan, label="first", style="pseudonym", withhold_above="C")
    assert (
        archive.conn.execute("SELECT cable_id, number, text FROM versions").fetchall()
        == versions_before
    )
    assert (summary.label, summary.cables, summary.planned) == ("first", 2, len(plan))
    assert summary.settings == {
        "style": "pseudonym",
        "withhold_above": "C",
        "plan_digest": plan_digest(plan),
        "planned": len(plan),
    }
    texts = {
        t.reference_id: t for t in iter_release_texts(archive, summary.release_id, chunk_size=1)
    }
    assert set(texts) == {HAGUE, "09PARIS504"}
    hague = texts[HAGUE]
    for name in ("Crocker", "Smits", "Shell", "SHELL"):
        assert not re.search(rf"\b{name}\b", hague.text)
    assert hague.text.count("Person 1") == 20 and "Person 2" in hague.text
    assert "Organisation 1 DISCUSSES" in hague.text
    assert hague.spans_replaced == summary.spans_replaced - texts["09PARIS504"].spans_replaced
    assert hague.version == 1 and hague.paragraphs_withheld == 0  # C/NF paragraphs stay under C
    info = get_release(archive, "first")
    assert info is not None and info.cables == 2 and get_release(archive, info.id) == info
    assert get_release(archive, str(info.id)) == info and get_release(archive, "nope") is None
    # The replacement map leads back to the original text of each replacement.
    original = require_cable(archive, HAGUE).cable.text
    for start, end, ostart, oend in hague.replacements:
        assert hague.text[start:end].startswith(("Person", "Organisation"))
        assert original[ostart:oend].lower() in {"crocker", "smits", "shell"}


def test_withholding_and_markers_on_a_secret_cable(archive: Archive) -> None:
    secret = archive.conn.execute(
        "SELECT c.reference_id FROM cables c JOIN paragraphs p ON p.cable_id = c.id "
        "WHERE p.mark = 'S' ORDER BY c.reference_id LIMIT 1"
    ).fetchone()[0]
    summary = apply_plan(
        archive, [], label="secret", withhold_above="C", reference_ids=[secret, HAGUE]
    )
    texts = {t.reference_id: t for t in iter_release_texts(archive, summary.release_id)}
    assert (
        texts[secret].paragraphs_withheld >= 1
        and "(S) [Paragraph withheld: classified S]" in texts[secret].text
    )
    assert texts[HAGUE].text == require_cable(archive, HAGUE).cable.text  # nothing above C there
    assert summary.settings["marker"] == DEFAULT_MARKER


def test_a_stale_plan_stores_nothing(archive: Archive, sample_dir: Path) -> None:
    protect_all(archive, NAMES)
    plan = word_plan(archive, HAGUE, NAMES) + word_plan(
        archive, "09PARIS504", {"Sarkozy": "person"}
    )
    raw = read_text_file(sample_dir / f"{HAGUE}.txt")
    changed = raw.text.replace("¶1. (C/NF) SUMMARY:", "¶1. (C/NF) SUMMARY (corrected):")
    ingest_records(
        [RawCable(changed, "new.txt", {**raw.hints, "released": "2099-01-01"})], archive, workers=0
    )
    assert require_cable(archive, HAGUE).version == 2
    with pytest.raises(
        StalePlanError,
        match=rf"stale for 1 cable\(s\).*\n{HAGUE} \(version 2\): {HAGUE}: planned span",
    ):
        apply_plan(archive, plan, label="stale")
    assert list_releases(archive) == []
    assert archive.conn.execute("SELECT count(*) FROM release_texts").fetchone()[0] == 0


def test_refusals_store_nothing(archive: Archive) -> None:
    plan = word_plan(archive, HAGUE, NAMES)
    with pytest.raises(RedactionError, match="no pseudonym for 'Crocker', 'Smits', 'Shell'"):
        apply_plan(archive, plan, label="x", style="pseudonym")
    with pytest.raises(CableNotFound, match="09NOWHERE1"):
        apply_plan(archive, plan, label="x", reference_ids=[HAGUE, "09NOWHERE1"])
    with pytest.raises(RedactionError, match="not a portion mark"):
        apply_plan(archive, plan, label="x", withhold_above="secretish")
    with pytest.raises(RedactionError, match="nothing to release"):
        apply_plan(archive, [], label="x")
    assert list_releases(archive) == []
    apply_plan(archive, plan, label="x")
    with pytest.raises(ProtectionError, match="labelled 'x' already exists"):
        apply_plan(archive, plan, label="x")
    assert [r.label for r in list_releases(archive)] == ["x"]
    assert delete_release(archive, list_releases(archive)[0].id)
    assert archive.conn.execute("SELECT count(*) FROM release_texts").fetchone()[0] == 0


def test_reference_ids_choose_the_cables(archive: Archive) -> None:
    plan = word_plan(archive, HAGUE, NAMES) + word_plan(
        archive, "09PARIS504", {"Sarkozy": "person"}
    )
    summary = apply_plan(archive, plan, label="one", reference_ids=["09 PARIS 504"])
    texts = list(iter_release_texts(archive, summary.release_id))
    assert [t.reference_id for t in texts] == ["09PARIS504"] and summary.planned == len(plan) - len(
        word_plan(archive, HAGUE, NAMES)
    )


# -- exports -----------------------------------------------------------------------------------


@pytest.fixture()
def release_id(archive: Archive) -> int:
    protect_all(archive, NAMES)
    plan = word_plan(archive, HAGUE, NAMES) + word_plan(archive, HOSTILE, NAMES)
    return apply_plan(archive, plan, label="public", withhold_above="S").release_id


def test_text_export_writes_one_file_per_cable(
    archive: Archive, release_id: int, tmp_path: Path
) -> None:
    out = tmp_path / "texts"
    summary = export_release(archive, "public", "text", out=out)
    assert summary.cables == 2 and sorted(p.name for p in out.iterdir()) == [
        f"{HAGUE}.txt",
        f"{HOSTILE}.txt",
    ]
    stored = {t.reference_id: t.text for t in iter_release_texts(archive, release_id)}
    for ref, text in stored.items():
        assert (out / f"{ref}.txt").read_bytes() == text.encode("utf-8")
        assert "Crocker" not in text and DEFAULT_MARKER in text
    with pytest.raises(ExportError, match="not an empty folder"):
        export_release(archive, release_id, "text", out=out)
    assert not [p for p in tmp_path.iterdir() if ".partial" in p.name]


def test_jsonl_export_takes_the_subject_from_the_release(
    archive: Archive, release_id: int, tmp_path: Path
) -> None:
    out = tmp_path / "release.jsonl"
    export_release(archive, release_id, "jsonl", out=out)
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["reference_id"] for r in records] == [HAGUE, HOSTILE]
    hague = records[0]
    assert set(hague) == {
        "reference_id",
        "release",
        "version",
        "subject",
        "date",
        "origin",
        "classification",
        "spans_replaced",
        "paragraphs_withheld",
        "text",
    }
    assert hague["subject"].startswith(f"NETHERLANDS: {DEFAULT_MARKER} DISCUSSES")
    assert hague["origin"] == "Embassy The Hague" and hague["classification"] == "CONFIDENTIAL"
    assert hague["spans_replaced"] == hague["text"].count(DEFAULT_MARKER) - require_cable(
        archive, HAGUE
    ).cable.text.count(DEFAULT_MARKER)
    assert "original_start" not in out.read_text("utf-8") and "replacements" not in hague


def test_site_export_escapes_hostile_cables(
    archive: Archive, release_id: int, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    out.mkdir()  # an empty folder is fine
    assert export_release(archive, release_id, "site", out=out).cables == 2
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        f"cables/{HAGUE}.html",
        f"cables/{HOSTILE}.html",
        "index.html",
        "style.css",
    ]
    index = (out / "index.html").read_text("utf-8")
    page = (out / "cables" / f"{HOSTILE}.html").read_text("utf-8")
    for html in (index, page):
        assert "<script" not in html and "<img" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; DISCUSSES" in html
        assert not re.search(r"""(?:src|href)=["']?(?:https?:|//)""", html)  # no external assets
        assert "\u202e" not in html
    assert f'href="cables/{HOSTILE}.html"' in index and "<table" in index
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in page and "&amp;lt;b&amp;gt;" in page
    assert "[U+202E RIGHT-TO-LEFT OVERRIDE]" in page
    assert f'<span class="replaced">{DEFAULT_MARKER}</span>' in page and "Crocker" not in page
    assert 'href="../style.css"' in page


def test_export_refusals(archive: Archive, release_id: int, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown export format 'pdf'"):
        export_release(archive, release_id, "pdf", out=tmp_path / "x")
    with pytest.raises(ExportError, match="no release 'missing'"):
        export_release(archive, "missing", "text", out=tmp_path / "x")
    with pytest.raises(ExportError, match="is a folder"):
        export_release(archive, release_id, "jsonl", out=tmp_path)
    assert sorted(tmp_path.iterdir()) == [
        tmp_path / "archive.db",
        *sorted(tmp_path.glob("archive.db-*")),
    ]
