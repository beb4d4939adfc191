"""The leak audit (``cabledesk.protect.audit``) and the header officials it keeps apart, on
real cables: the seed, bundled release pairs (tests/data/audit) and, when present, the corpus."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cabledesk.archive import Archive, ingest_records
from cabledesk.cli import app
from cabledesk.protect.audit import audit_archive, audit_cables, rank
from cabledesk.protect.model import AuditFinding
from cabledesk.protect.officials import header_officials, official_names
from cabledesk.protect.shapes import learn_shapes, load_shapes
from cabledesk.sources.text import read_text_file
from cabledesk.telegram import Cable, parse

DATA = Path(__file__).parent / "data"
AUDIT = DATA / "audit"
PAIR = [
    AUDIT / "09STATE68250.txt",
    AUDIT / "09STATE68250__anarchivist+cablegate-data__2010-12-05T1212.txt",
]
ISLAMABAD = [  # a raw cable and an earlier release that printed a name it redacts
    AUDIT / "08ISLAMABAD3418.txt",
    AUDIT / "08ISLAMABAD3418__anarchivist+cablegate-social-graph__2010-11-30T2109.txt",
]
CROSS = [AUDIT / "cross" / "09BOGOTA1412.txt", AUDIT / "cross" / "09BOGOTA1415.txt"]
JSON_FIELDS = {"name", "reference_id", "paragraph", "offset", "rule", "risk", "detail"}
runner = CliRunner()


def _parse(path: Path) -> Cable:
    record = read_text_file(path)
    return parse(record.text, record.hints)


def _assert_offsets(findings: Iterable[AuditFinding], texts: Iterable[str]) -> None:
    """Every finding's offset points at its name in one of the given texts."""
    pool = list(texts)
    for f in findings:
        assert any(t[f.offset : f.offset + len(f.name)] == f.name for t in pool), f


# --- the seed: Done means -------------------------------------------------------------------


def test_seed_reports_chun_and_not_the_officials(seed_text: str) -> None:
    cable = parse(seed_text)
    findings = audit_cables([cable])
    chun = [f for f in findings if f.name == "Chun"]
    assert len(chun) == 1
    (f,) = chun
    assert f.rule == "shape" and f.risk >= 0.7 and f.paragraph == 1
    assert f.detail.startswith("probable leak of a redacted source")
    assert "according to ___" in f.detail
    assert seed_text[f.offset : f.offset + 4] == "Chun"
    named = {w.upper() for g in findings for w in g.name.split()}
    assert not named & {"WELLS", "ALICE", "RUSSELL", "PARKER", "PETTIT"}


def test_cli_json_on_the_seed(tmp_path: Path, seed_text: str) -> None:
    seed = tmp_path / "07MOSCOW104.txt"
    seed.write_text(seed_text, encoding="utf-8")
    result = runner.invoke(app, ["audit", str(seed), "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and all(set(row) == JSON_FIELDS for row in rows)
    assert rows[0]["name"] == "Chun" and rows[0]["reference_id"] == "07MOSCOW104"
    assert rows[0]["paragraph"] == 1 and rows[0]["offset"] == seed_text.index("Chun")
    assert not any(r["name"] in ("Alice G. Wells", "Wells", "RUSSELL") for r in rows)
    table = runner.invoke(app, ["audit", str(seed)])
    assert table.exit_code == 0 and "Chun" in table.stdout


# --- header officials -----------------------------------------------------------------------


def test_seed_officials_are_signer_classifier_and_ref_authors(seed_text: str) -> None:
    cable = parse(seed_text)
    found = {(m.text, m.rule) for m in header_officials(cable)}
    assert found == {
        ("PARKER", "ref-author"),
        ("PETTIT", "ref-author"),
        ("Alice G. Wells", "classified-by"),
        ("RUSSELL", "signer"),
    }
    for m in header_officials(cable):
        assert seed_text[m.start : m.end] == m.text
        assert m.role == "official" and m.kind == "person"
    assert {"WELLS", "RUSSELL", "ALICE G WELLS"} <= official_names(cable)


def test_drafted_approved_and_clearance_lines(sample_dir: Path) -> None:
    cable = _parse(sample_dir / "09STATE29700.txt")
    by_rule: dict[str, set[str]] = {}
    for m in header_officials(cable):
        assert cable.text[m.start : m.end] == m.text
        by_rule.setdefault(m.rule, set()).add(m.text)
    assert by_rule["drafter"] == {"O'SULLIVANSX"}
    assert {"AGOODMAN", "EKAO", "JWINDON"} <= by_rule["approver"]
    assert "CLINTON" in by_rule["signer"]


def test_addressees_named_in_handling_lines(corpus_dir: Path) -> None:
    pytest.importorskip("cabledesk.protect.officials")
    cable = _parse(corpus_dir / "00HARARE5461.txt")
    names = {m.text: m.rule for m in header_officials(cable)}
    assert names["GAYLE SMITH"] == "addressee" and names["ROSA WHITAKER"] == "addressee"
    assert names["EARL IRVING"] == "classified-by"
    cleared = {m.text for m in header_officials(_parse(AUDIT / "03ABUDHABI2641.txt"))}
    assert {"MMWAHBA", "STWILLIAMS", "TEWILLIAMS", "CMCRUMPLER"} <= cleared


def test_officials_agree_with_the_hand_labels() -> None:
    """tests/data/protect_eval: people hand-labelled in 65 real cables. Header officials must
    be labelled officials (precision), and most labelled header officials are found."""
    cables = DATA / "protect_eval" / "cables"
    right = wrong = 0
    for labels in sorted((DATA / "protect_eval").glob("labels-*.jsonl")):
        for line in labels.read_text("utf-8").splitlines():
            row = json.loads(line)
            cable = _parse(cables / f"{row['reference_id']}.txt")
            roles = {
                (m["start"], m["end"]): p["role"] for p in row["people"] for m in p["mentions"]
            }
            for mention in header_officials(cable):
                hit = [r for (s, e), r in roles.items() if s < mention.end and mention.start < e]
                if hit and hit[0] == "official":
                    right += 1
                elif hit:
                    wrong += 1  # labelled as someone who is not an official
    assert right >= 100 and wrong == 0


# --- versions -------------------------------------------------------------------------------


def test_version_leak_from_a_bundled_release_pair() -> None:
    cables = [_parse(p) for p in PAIR]
    assert cables[0].reference_id == cables[1].reference_id
    findings = audit_cables(cables, [p.name for p in PAIR])
    version = [f for f in findings if f.rule == "version"]
    assert {"Voetsch", "Chen"} <= {f.name for f in version if f.risk == 1.0}
    assert all(f.risk >= 0.8 for f in version)
    assert findings[0].rule == "version" and findings[0].risk == 1.0  # ranks first
    _assert_offsets(version, [cables[0].text])  # the release that prints the names
    assert all(PAIR[0].name in f.detail.split(" prints ")[0] for f in version)


def test_version_leak_in_an_archive(tmp_path: Path, seed_text: str) -> None:
    db = tmp_path / "audit.db"
    seed = tmp_path / "07MOSCOW104.txt"
    seed.write_text(seed_text, encoding="utf-8")
    with Archive.open(db) as archive:
        ingest_records([read_text_file(p) for p in [*PAIR, seed]], archive, workers=0)
        findings = audit_archive(archive)
        only_seed = audit_archive(archive, ["07 MOSCOW 104"])
    assert {f.name for f in findings if f.rule == "version"} >= {"Voetsch", "Chen"}
    assert [f.name for f in only_seed] == ["Chun"]
    assert findings == rank(findings)
    result = runner.invoke(
        app, ["audit", "--db", str(db), "--json", "--min-risk", "0.9", "--limit", "3"]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 3 and all(r["risk"] >= 0.9 for r in rows)
    assert rows[0]["rule"] == "version"


@pytest.mark.corpus
def test_version_leaks_across_raw_and_variants(corpus_dir: Path) -> None:
    variants = corpus_dir.parent / "variants"
    pairs = {
        "08ISLAMABAD3418": "08ISLAMABAD3418__anarchivist+cablegate-social-graph__2010-11-30T2109.txt",
        "09TRIPOLI771": "09TRIPOLI771__anarchivist+cablegate-social-graph__2010-11-28T1806.txt",
    }
    for ref, variant in pairs.items():
        cables = [_parse(corpus_dir / f"{ref}.txt"), _parse(variants / variant)]
        found = [f for f in audit_cables(cables) if f.rule == "version"]
        assert found, ref
        _assert_offsets(found, [c.text for c in cables])
    names = {f.name for f in audit_cables([_parse(p) for p in ISLAMABAD])}
    assert "Khalid Babar" in names


# --- cross-cable ----------------------------------------------------------------------------


def test_cross_cable_leak_between_bundled_cables() -> None:
    cables = [_parse(p) for p in CROSS]
    findings = [f for f in audit_cables(cables) if f.rule == "cross-cable"]
    assert [(f.name, f.reference_id) for f in findings] == [("Bedout", "09BOGOTA1415")]
    assert "09BOGOTA1412 redacts" in findings[0].detail and findings[0].risk >= 0.7
    _assert_offsets(findings, [cables[1].text])


# --- shapes, offsets, ranking ---------------------------------------------------------------


def test_shape_table_is_learned_and_shipped(sample_dir: Path) -> None:
    shipped = load_shapes()
    assert ("left", ("according", "to")) in shipped
    assert ("right", ("told", "us")) in shipped
    assert all(0.25 <= s.specificity <= 1 and s.markers >= 8 for s in shipped.values())
    table = Path(__file__).parents[1] / "src/cabledesk/protect/data/audit_shapes.tsv"
    assert "learn_shapes" in table.read_text("utf-8").splitlines()[0]
    learned = learn_shapes(_parse(p) for p in sorted(sample_dir.glob("*.txt")))
    assert ("right", ("said",)) in {(s.side, s.words) for s in learned}


def test_findings_point_at_their_names_and_rank(sample_dir: Path) -> None:
    cables = [_parse(p) for p in sorted(sample_dir.glob("*.txt"))]
    findings = audit_cables(cables)
    assert findings
    by_id: dict[str | None, list[Cable]] = {}
    for c in cables:
        by_id.setdefault(c.canonical_id or c.reference_id, []).append(c)
    for f in findings:
        texts = [c.text for c in by_id[f.reference_id]]
        _assert_offsets([f], texts)
        assert 0.0 <= f.risk <= 1.0
    keys = [(-f.risk, f.reference_id, f.offset) for f in findings]
    assert keys == sorted(keys)
    assert len({(f.reference_id, f.offset, f.name) for f in findings}) == len(findings)


def test_no_redactions_means_low_risk(sample_dir: Path) -> None:
    """A cable nobody redacted has no redacted source to give away: its names rank low."""
    for path in sorted(sample_dir.glob("*.txt"))[:120]:
        cable = _parse(path)
        if cable.redactions:
            continue
        for f in audit_cables([cable]):
            assert f.rule == "shape" and f.risk < 0.9, f


@pytest.mark.corpus
def test_every_header_official_is_spared_across_the_corpus(corpus_dir: Path) -> None:
    for path in sorted(corpus_dir.glob("*.txt"))[::25]:
        cable = _parse(path)
        officials = {(m.start, m.end) for m in header_officials(cable)}
        for m in header_officials(cable):
            assert cable.text[m.start : m.end] == m.text
        for f in audit_cables([cable]):
            assert (f.offset, f.offset + len(f.name)) not in officials
