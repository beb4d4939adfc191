"""The bundled sample: complete, byte-exact, parseable, and agreeing with the publisher's index.

The agreement figures use ``scripts/metadata_agreement.py``'s own comparison functions, so the
test and the script can never measure different things.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from cabledesk.sources.text import read_text_file
from cabledesk.telegram.model import Cable
from cabledesk.telegram.parser import parse

ROOT = Path(__file__).resolve().parents[1]


def _load_script(name: str) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


agreement = _load_script("metadata_agreement")
make_sample = _load_script("make_sample")


def _row(**kw: str) -> dict[str, str]:
    row = {"reference_id": "", "created": "", "classification": "", "origin": "", "subject": ""}
    row.update(kw)
    return row


# --- the sample itself ----------------------------------------------------------------------


def test_index_rows_and_files_match(sample_dir: Path, sample_index: list[dict[str, str]]) -> None:
    files = {p.stem for p in sample_dir.glob("*.txt")}
    rows = [r["reference_id"] for r in sample_index]
    assert len(rows) == len(set(rows))
    assert set(rows) == files
    assert 300 <= len(files) <= 400
    assert sum(p.stat().st_size for p in sample_dir.glob("*.txt")) < 3_000_000
    assert (sample_dir / "README.md").read_text(encoding="utf-8").count("US Government") == 1


def test_sample_covers_years_classifications_and_origins(
    sample_index: list[dict[str, str]],
) -> None:
    years = {r["created"][:4] for r in sample_index}
    assert {"1966", "1972", "1979", "1985", "1990", "2000", "2005", "2010"} <= years
    assert {r["classification"] for r in sample_index} == {
        "CONFIDENTIAL",
        "CONFIDENTIAL//NOFORN",
        "SECRET",
        "SECRET//NOFORN",
        "UNCLASSIFIED",
        "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
    }
    origins = {r["origin"] for r in sample_index}
    for post in (
        "Secretary of State",
        "USUN New York",
        "Mission USNATO",
        "Embassy The Hague",
        "Consulate Sao Paulo",
        "Consulate Rio De Janeiro",
        "American Institute Taiwan, Taipei",
    ):
        assert post in origins


def test_sample_covers_the_shapes(sample_dir: Path) -> None:
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sample_dir.glob("*.txt")}
    partial = [t for t in texts.values() if t.startswith("This record is a partial extract")]
    assert len(partial) >= 15
    starts = {t.split("\n", 1)[1].lstrip()[:3] for t in partial}
    assert {"id:", "Cab"} <= starts  # record preamble, ``Cable dated:`` glued
    assert any("\nPAGE 01 " in t for t in texts.values())
    assert sum("\t" in t for t in texts.values()) >= 3
    assert sum(t.rstrip().endswith("...") for t in texts.values()) >= 3
    assert any("ZNY EEEEE" in t for t in texts.values())
    assert any("\nXMT " in t for t in texts.values())
    for ref in ("10MEXICO614", "88BAGHDAD28", "09BUJUMBURA302", "7575LIBREVILLE1895"):
        assert ref in texts


def test_sample_is_byte_exact_copy_of_corpus(sample_dir: Path, corpus_dir: Path) -> None:
    for path in sample_dir.glob("*.txt"):
        assert path.read_bytes() == (corpus_dir / path.name).read_bytes(), path.name


def test_sample_holds_every_named_cable_in_the_corpus(sample_dir: Path, corpus_dir: Path) -> None:
    named = make_sample.named_ids(corpus_dir.parent.parent, ROOT)
    in_corpus = {ref for ref in named if (corpus_dir / f"{ref}.txt").exists()}
    missing = sorted(ref for ref in in_corpus if not (sample_dir / f"{ref}.txt").exists())
    assert not missing, f"regenerate with scripts/make_sample.py: {missing}"


def test_seed_is_the_moscow_cable(seed_text: str) -> None:
    assert seed_text.startswith("07MOSCOW104")
    assert parse(seed_text).canonical_id == "07MOSCOW104"


# --- parsing the sample -------------------------------------------------------------------


def test_every_sample_cable_parses(sample_dir: Path) -> None:
    failures = []
    for path in sorted(sample_dir.glob("*.txt")):
        raw = read_text_file(path)
        no_hints: dict[str, object] = {}
        for hints in (no_hints, raw.hints):
            try:
                cable = parse(raw.text, hints)
            except Exception as exc:  # noqa: BLE001 - any failure is reported by name
                failures.append(f"{path.name} hints={bool(hints)}: {type(exc).__name__}: {exc}")
                continue
            assert isinstance(cable, Cable)
            assert cable.text == raw.text
    assert not failures, "\n".join(failures)


@pytest.fixture(scope="module")
def sample_report(sample_dir: Path) -> object:
    return agreement.run(sample_dir)


@pytest.mark.parametrize("field", agreement.FIELDS)
def test_sample_agrees_with_the_index(sample_report: object, field: str) -> None:
    stats = sample_report.fields[field]  # type: ignore[attr-defined]
    shown = [f"{ref} ({c.cause}): {c.theirs!r} vs {c.ours!r}" for ref, c in stats.disagreements]
    assert stats.counted >= 250
    assert stats.rate_ours >= 0.99, "\n".join(shown[:30])


def test_sample_run_has_no_parse_errors(sample_report: object) -> None:
    assert sample_report.errors == []  # type: ignore[attr-defined]
    assert sample_report.missing_files == []  # type: ignore[attr-defined]


# --- the comparison rules -----------------------------------------------------------------


@pytest.mark.parametrize(
    "value, level",
    [
        ("SECRET//NOFORN", "SECRET"),
        ("UNCLASSIFIED//FOR OFFICIAL USE ONLY", "UNCLASSIFIED"),
        ("CONFIDENTIAL", "CONFIDENTIAL"),
        ("UNCLAS", "UNCLASSIFIED"),
        ("", None),
        (None, None),
    ],
)
def test_norm_level(value: str | None, level: str | None) -> None:
    assert agreement.norm_level(value) == level


@pytest.mark.parametrize(
    "ours, theirs, agrees",
    [
        (
            "GOC-ELN TALKS TO RESUME IN JANUARY; PARTIES SAID TO BE FAR APART",
            "GOC-ELN TALKS TO RESUME IN JANUARY; PARTIES SAID",
            True,
        ),
        (
            "BRAZIL DEMARCHE ON U/S BURNS & U/S JOSEPH",
            "BRAZIL DEMARCHE ON U/S BURNS &amp; U/S",
            True,
        ),
        (
            "Iceland Appoints First Female\n  Foreign Minister",
            "ICELAND APPOINTS FIRST FEMALE",
            True,
        ),
        ("NETHERLANDS: DUTCH", "NETHERLANDS: DUTCH THINKING ON ISAF III", False),
        (None, "ANYTHING", False),
        ("ANYTHING", "", False),
    ],
)
def test_subject_agrees(ours: str | None, theirs: str, agrees: bool) -> None:
    assert agreement.subject_agrees(ours, theirs) is agrees


def test_id_and_date_count_only_when_the_text_carries_them() -> None:
    row = _row(reference_id="07MOSCOW104", created="2007-01-12 15:23")
    from_text = Cable(
        text="",
        canonical_id="07MOSCOW104",
        reference_id_source="de_line",
        date=dt.datetime(2007, 1, 12, 15, 23, tzinfo=dt.UTC),
        date_source="dtg",
    )
    assert agreement.compare_reference_id(from_text, row).counted
    assert agreement.compare_reference_id(from_text, row).ok
    assert agreement.compare_date(from_text, row).ok
    silent = Cable(text="")
    assert not agreement.compare_reference_id(silent, row).counted
    assert not agreement.compare_date(silent, row).counted
    late = Cable(
        text="",
        date=dt.datetime(2007, 1, 13, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=3))),
        date_source="dtg",
    )
    assert agreement.compare_date(late, row).ok  # 21:30 UTC on the 12th
    other = Cable(text="", canonical_id="09ISLAMABAD416", reference_id_source="classification_line")
    chk = agreement.compare_reference_id(other, _row(reference_id="10MEXICO614"))
    assert chk.counted and not chk.ok and "another cable" in chk.cause


def test_classification_and_origin_compare_what_the_index_means() -> None:
    row = _row(classification="SECRET//NOFORN", origin="Embassy Moscow")
    cable = Cable(text="", classification="SECRET", origin="Embassy Moscow")
    assert agreement.compare_classification(cable, row).ok
    assert agreement.compare_origin(cable, row).ok
    wrong = Cable(text="", classification="CONFIDENTIAL", origin="Embassy moscow")
    assert (
        agreement.compare_classification(wrong, row).cause == "publisher SECRET, ours CONFIDENTIAL"
    )
    assert agreement.compare_origin(wrong, row).cause == "capitalisation only"
