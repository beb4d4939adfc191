"""Synthetic corpora: every cable parses back to what it was generated with, REFs resolve inside
the corpus, runs are deterministic, and the written layouts read back through the readers."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cabledesk.cli import app
from cabledesk.sources.csvfile import read_cables_csv
from cabledesk.sources.jsonl import read_jsonl
from cabledesk.sources.records import RawCable
from cabledesk.sources.synth_prose import wrap
from cabledesk.sources.synthetic import SynthCable, generate, load_profile, synthesize
from cabledesk.sources.writers import open_writer
from cabledesk.telegram import Cable, parse
from cabledesk.telegram.ids import split_id

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "src" / "cabledesk" / "sources" / "data" / "synth_profile.json"
SAMPLE = Path(__file__).parent / "data" / "sample"


@pytest.fixture(scope="module")
def corpus() -> list[SynthCable]:
    """600 cables of the default span, generated once for the module."""
    return list(generate(600, seed=11))


@pytest.fixture(scope="module")
def parsed(corpus: list[SynthCable]) -> list[Cable]:
    """The same cables parsed without hints: everything must come from the text."""
    return [parse(c.text) for c in corpus]


def test_every_cable_parses_back_to_what_was_generated(
    corpus: list[SynthCable], parsed: list[Cable]
) -> None:
    for c, cable in zip(corpus, parsed, strict=True):
        where = c.reference_id
        assert cable.canonical_id == c.reference_id, where
        assert cable.origin == c.origin, where
        assert cable.classification == c.classification, where
        assert cable.date == c.date, where
        assert [t.code for t in cable.tags] == c.tags, where
        assert cable.subject == c.subject, where
        assert [r.cable_id for r in cable.references if r.kind == "cable"] == c.references, where
        assert sum(p.number is not None for p in cable.paragraphs) == c.paragraphs, where
        assert list(dict.fromkeys(cable.captions)) == c.captions, where
        assert cable.header.precedence_prosign == c.precedence, where
        assert cable.signers[:1] == ([c.signer] if c.signer else []), where


def test_other_year_ranges_parse_back() -> None:
    """Legacy E.O. orders before 1995, E.O. 13526 after mid-2010, years beyond the corpus."""
    for start, end in ((1970, 1994), (2010, 2013)):
        cables = list(generate(150, seed=5, start_year=start, end_year=end))
        assert all(start <= c.date.year <= end for c in cables)
        for c in cables:
            cable = parse(c.text)
            assert cable.canonical_id == c.reference_id
            assert cable.date == c.date
            assert [r.cable_id for r in cable.references if r.kind == "cable"] == c.references
            assert cable.declassification is not None, c.reference_id
    late = [c for c in generate(200, seed=5, start_year=2011, end_year=2011)]
    assert all("E.O. 13526:" in c.text for c in late)


def test_references_resolve_to_earlier_cables_of_the_corpus(
    corpus: list[SynthCable], parsed: list[Cable]
) -> None:
    seen: set[str] = set()
    cited = resolved = 0
    unpublished = {station for station, _ in load_profile()["unpublished"]}
    for c, cable in zip(corpus, parsed, strict=True):
        for ref in cable.references:
            if ref.kind != "cable":
                continue
            assert ref.cable_id is not None
            cited += 1
            if ref.cable_id in seen:
                resolved += 1
            else:  # the external share: cables of posts the corpus has none of
                split = split_id(ref.cable_id)
                assert split is not None and split[1] in unpublished, ref.cable_id
        seen.add(c.reference_id)
    assert cited > 300
    assert resolved / cited >= 0.95


def test_year_less_citations_only_within_the_same_year(
    corpus: list[SynthCable], parsed: list[Cable]
) -> None:
    forms: Counter[bool] = Counter()
    for c, cable in zip(corpus, parsed, strict=True):
        for ref in cable.references:
            if ref.kind == "cable" and ref.cable_id:
                same = ref.cable_id[:2] == c.reference_id[:2]
                explicit = bool(re.match(r"(?:\d{2}|\d{4}) ", ref.text))
                assert same != explicit, (c.reference_id, ref.text)
                forms[explicit] += 1
    assert forms[True] and forms[False]


def test_same_seed_same_corpus_other_seed_other_corpus() -> None:
    a = list(synthesize(200, seed=3))
    assert a == list(synthesize(200, seed=3))
    assert a != list(synthesize(200, seed=4))


def test_ids_unique_and_serials_increase_per_origin_and_year() -> None:
    last: dict[tuple[int, str], int] = {}
    ids = set()
    previous = None
    for c in generate(2500, seed=2, start_year=2009, end_year=2009):
        assert c.reference_id not in ids
        ids.add(c.reference_id)
        split = split_id(c.reference_id)
        assert split is not None and split[0] is not None
        year, station, serial = split[0], split[1], int(split[2])
        assert serial > last.get((year, station), 0)
        last[(year, station)] = serial
        assert previous is None or c.date >= previous  # date order
        previous = c.date


def test_distributions_follow_the_profile() -> None:
    profile = load_profile()
    cables = list(generate(2000, seed=9))
    total = sum(s["n"] for s in profile["stations"])
    top = profile["stations"][0]
    share = sum(c.station == top["station"] for c in cables) / len(cables)
    assert abs(share - top["n"] / total) < 0.03
    levels = profile["levels"]
    for level, weight in levels.items():
        got = sum(c.classification == level for c in cables) / len(cables)
        assert abs(got - weight / sum(levels.values())) < 0.04, level
    years = Counter(c.date.year for c in cables)
    busiest = max(profile["years"], key=lambda y: profile["years"][y])
    assert years.most_common(1)[0][0] == int(busiest)
    refs = [len(c.references) for c in cables]
    assert 0.8 < sum(refs) / len(refs) < 2.0
    mean_chars = sum(len(c.text) for c in cables) / len(cables)
    assert 4000 < mean_chars < 12000


def test_bodies_carry_what_search_and_extractors_look_for(
    corpus: list[SynthCable], parsed: list[Cable]
) -> None:
    assert sum(bool(p.summary) for p in parsed) > len(parsed) * 0.3
    assert sum(bool(p.comments) for p in parsed) > len(parsed) * 0.15
    assert 0.08 < sum(bool(p.redactions) for p in parsed) / len(parsed) < 0.35
    assert sum(bool(p.classified_by) for p in parsed) > len(parsed) * 0.5
    titled_name = re.compile(r"\b(?:Minister|President|Ambassador) [A-Z][a-z]+ [A-Z][A-Za-z]+")
    assert sum(bool(titled_name.search(c.text)) for c in corpus) > len(corpus) * 0.3
    marks = Counter(p.mark for cable in parsed for p in cable.paragraphs if p.number)
    assert {"C", "S", "U", "SBU"} <= set(marks)
    assert any(re.search(r"^[A-Z ]+ 0{2,}\d+ 002 OF 0\d\d$", c.text, re.M) for c in corpus)


def test_wrap_keeps_the_text_and_never_opens_a_line_with_structure() -> None:
    cables = list(generate(80, seed=1))
    wrapped = 0
    for c in cables:
        body = c.text[: c.text.rindex(c.signer)] if c.signer else c.text
        blocks = [b for b in body.split("\n\n") if re.match(r"¶?\d+\. ", b)]
        if not any("\n" in b.strip() for b in blocks):
            continue  # printed unwrapped, as post-2011 releases are
        for block in blocks:
            wrapped += 1
            lines = block.strip().split("\n")
            assert all(len(line) <= 66 for line in lines), c.reference_id
            assert not any(re.match(r"[\d(¶-]", line) for line in lines[1:])
    assert wrapped
    text = "word " * 40 + "x" * 90 + " end"
    assert wrap(text) == text  # a word longer than a line: left unwrapped, nothing lost
    para = " ".join(["alpha", "(C)", "12.", "-- item"] * 20)
    assert wrap(para).replace("\n", " ") == para


def test_arguments_are_checked() -> None:
    assert list(synthesize(0)) == []
    with pytest.raises(ValueError, match="n must be"):
        generate(-1)  # checked at the call, before anything is written
    with pytest.raises(ValueError, match="years"):
        synthesize(5, start_year=2012, end_year=2010)
    with pytest.raises(ValueError, match="external_refs"):
        generate(5, external_refs=1.5)


def test_profile_is_small_package_data() -> None:
    assert PROFILE.stat().st_size < 300 * 1024
    profile = load_profile()  # through importlib.resources
    assert len(profile["stations"]) > 100
    assert {"openers", "middles", "closers"} <= set(profile["text"])


def _read_back(records: list[object]) -> list[RawCable]:
    assert all(isinstance(r, RawCable) for r in records), records[:3]
    return [r for r in records if isinstance(r, RawCable)]


def test_writers_read_back_through_the_readers(tmp_path: Path) -> None:
    cables = list(generate(25, seed=4))
    with open_writer("txt", tmp_path / "tree", per_folder=10) as w:
        for c in cables:
            w.write(c)
    assert sorted(p.name for p in (tmp_path / "tree").iterdir()) == ["000", "001", "002"]
    for i, c in enumerate(cables):
        path = tmp_path / "tree" / f"{i // 10:03d}" / f"{c.reference_id}.txt"
        assert path.read_text("utf-8") == c.text
    for name in ("cables.jsonl", "cables.jsonl.gz"):
        with open_writer("jsonl", tmp_path / name) as w:
            for c in cables:
                w.write(c)
        back = _read_back(list(read_jsonl(tmp_path / name)))
        assert [r.text for r in back] == [c.text for c in cables]
        assert [r.hints["reference_id"] for r in back] == [c.reference_id for c in cables]
    for name in ("cables.csv", "cables.csv.gz"):
        with open_writer("csv", tmp_path / name) as w:
            for c in cables:
                w.write(c)
        back = _read_back(list(read_cables_csv(tmp_path / name)))
        assert [r.text for r in back] == [c.text for c in cables]
        for r, c in zip(back, cables, strict=True):
            assert r.hints["reference_id"] == c.reference_id
            assert r.hints["date"] == c.date.strftime("%Y-%m-%dT%H:%M:00Z")
            assert r.hints.get("referenced_ids", []) == c.references
            assert parse(r.text, r.hints).canonical_id == c.reference_id
    with pytest.raises(ValueError, match="unknown format"):
        open_writer("xml", tmp_path)


def test_cli_synth_writes_the_corpus(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["synth", "--n", "30", "--out", str(tmp_path), "--seed", "7"])
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "000").glob("*.txt"))
    assert [f.stem for f in files] == sorted(rid for rid, _ in synthesize(30, seed=7))
    result = runner.invoke(
        app, ["synth", "--n", "5", "--out", str(tmp_path / "x.jsonl"), "--format", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "x.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line)["reference_id"] for line in lines] == [rid for rid, _ in synthesize(5)]
    bad = runner.invoke(app, ["synth", "--n", "5", "--out", str(tmp_path), "--format", "xml"])
    assert bad.exit_code == 2
    years = runner.invoke(
        app,
        ["synth", "--n", "5", "--out", str(tmp_path / "y.jsonl"), "--format", "jsonl"]
        + ["--start-year", "2012", "--end-year", "1999"],
    )
    assert years.exit_code == 2
    assert "years" in years.output
    assert not (tmp_path / "y.jsonl").exists()


def test_profile_script_builds_from_real_cables(tmp_path: Path) -> None:
    """The build script runs on the bundled sample and writes a profile of the same shape."""
    out = tmp_path / "profile.json"
    script = ROOT / "scripts" / "build_synth_profile.py"
    subprocess.run(
        [sys.executable, str(script), "--corpus", str(SAMPLE), "--out", str(out)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    built = json.loads(out.read_text("utf-8"))
    shipped = json.loads(PROFILE.read_text("utf-8"))
    assert set(built) == set(shipped)
    assert built["stations"] and built["text"]["openers"] and built["subject"]["vocab"]
