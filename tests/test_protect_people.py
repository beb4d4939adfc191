"""Person extraction and grouping, on the seed cable and the hand-labelled set."""

from __future__ import annotations

from pathlib import Path

import pytest

from cabledesk.archive import Archive, ingest
from cabledesk.protect.entities import EntityIndex
from cabledesk.protect.evaluation import read_labels
from cabledesk.protect.mentions import find_mentions, load_ner, true_case
from cabledesk.protect.people import people
from cabledesk.telegram import parse

EVAL = Path(__file__).parent / "data" / "protect_eval"


def test_seed_officials_apart_and_chun_found(seed_text: str) -> None:
    found = {(m.text, m.role) for m in find_mentions(parse(seed_text))}
    assert ("Chun", "mentioned") in found
    assert ("Alice G. Wells", "official") in found
    assert ("RUSSELL", "official") in found
    assert not any(text.startswith(("AMEMBASSY", "DE RUEH")) for text, _ in found)


def test_rules_find_most_hand_labelled_people() -> None:
    labelled = read_labels(sorted(EVAL.glob("labels-*.jsonl")))
    gold = found = 0
    for lc in labelled:
        cable = parse((EVAL / "cables" / f"{lc.reference_id}.txt").read_text("utf-8"))
        got = find_mentions(cable)
        for g in lc.mentions:
            gold += 1
            found += any(m.start < g.end and g.start < m.end for m in got)
    assert found / gold >= 0.9  # rules alone; bench/protect_people.py prints the figures


def test_true_case_keeps_offsets() -> None:
    text = "THE MINISTER MET KLACKENBERG IN STOCKHOLM."
    cased = true_case(text)
    assert len(cased) == len(text)
    assert "Klackenberg" in cased and " met " in cased


def test_model_is_asked_only_about_doubtful_names() -> None:
    ner = load_ner()
    if ner is None:
        pytest.skip("spaCy's en_core_web_sm is not installed")
    text = "1. (C) THE MINISTER MET KLACKENBERG YESTERDAY. KLACKENBERG SAID NOTHING NEW.\n"
    cable = parse(text)
    rules = {m.start for m in find_mentions(cable)}
    with_model = find_mentions(cable, ner=ner)
    assert {m.rule for m in with_model if m.start not in rules} <= {"ner", "coreference"}
    assert any(m.text == "KLACKENBERG" for m in with_model)


def test_people_of_an_archive_group_surnames_with_full_names(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    ingest([EVAL / "cables"], db)
    with Archive.open(db, readonly=True) as archive:
        entities = people(archive)
    by_name = {e.name: e for e in entities}
    uribe = next(e for e in entities if "Uribe" in e.name)
    assert len(uribe.cables) >= 2 and not uribe.official
    assert any(e.official for e in entities)
    assert all(e.mentions >= len(e.cables) for e in by_name.values())


def test_entity_index_merges_spellings() -> None:
    index = EntityIndex()
    a = parse("1. (C) Muammar Qadhafi met us. Qadhafi said no.\n")
    b = parse("1. (C) Muammar Gaddafi spoke with XXXXXXXXXXXX.\n")
    index.add("A", find_mentions(a))
    index.add("B", find_mentions(b))
    qadhafi = [e for e in index.entities() if "muammar" in e.key]
    assert len(qadhafi) == 1 and qadhafi[0].cables == {"A", "B"}


def test_people_in_worker_processes_match_one_process(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    ingest([EVAL / "cables"], db)
    with Archive.open(db, readonly=True) as archive:
        alone = people(archive)
        parallel = people(archive, workers=2)
    assert [(e.key, e.mentions, e.cables, e.variants) for e in alone] == [
        (e.key, e.mentions, e.cables, e.variants) for e in parallel
    ]
