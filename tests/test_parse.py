"""End-to-end parse of real cables in each shape, and the errors parse may raise."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import cabledesk
from cabledesk import ParseError
from cabledesk.telegram.model import Cable

DATA = Path(__file__).parent / "data"
SEED = DATA / "seed" / "07MOSCOW104.txt"
SAMPLE = DATA / "sample"


def _sample(ref: str) -> str:
    return (SAMPLE / f"{ref}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed() -> Cable:
    return cabledesk.parse(SEED.read_text(encoding="utf-8"))


def test_seed_ids_and_dates_come_from_the_text(seed: Cable) -> None:
    assert seed.reference_id == "07MOSCOW104"
    assert seed.canonical_id == "07MOSCOW104"
    assert seed.reference_id_source == "hint"  # the preamble names it
    assert seed.date == dt.datetime(2007, 1, 12, 15, 23, tzinfo=dt.UTC)
    assert seed.date_source == "dtg"
    assert seed.shape == "preamble"
    assert seed.preamble["origin"] == "Embassy Moscow"


def test_seed_header(seed: Cable) -> None:
    h = seed.header
    assert h.transmission_id == "VZCZCXYZ0000"
    assert h.channel == "XYZ"
    assert h.precedence_prosign == "OO"
    assert h.routing_indicators == ["RUEHWEB"]
    assert (h.station, h.station_serial, h.filing_time) == ("RUEHMO", "0104", "0121523")
    assert h.security == "ZNY SSSSS"
    assert h.operating_signals == ["ZZH"]
    assert h.fl5_precedence == ["O"]
    assert h.dtg == "121523Z JAN 07"


def test_seed_addressees(seed: Cable) -> None:
    assert seed.from_ is not None and seed.from_.address == "AMEMBASSY MOSCOW"
    (to,) = seed.to
    assert (to.routing_indicator, to.address, to.precedence, to.mcn) == (
        "RUEHC",
        "SECSTATE WASHDC",
        "IMMEDIATE",
        "6346",
    )
    assert [a.address for a in seed.info] == [
        "AMEMBASSY BANGKOK",
        "AMEMBASSY BEIJING",
        "AMEMBASSY SEOUL",
        "AMCONSUL SHENYANG",
        "USMISSION GENEVA",
    ]
    # The glued "GENEVA 4976S E C R E T" line: the MCN stops where the classification begins.
    assert seed.info[-1].mcn == "4976"
    assert seed.precedence == "IMMEDIATE"


def test_seed_front_matter(seed: Cable) -> None:
    assert seed.classification == "SECRET"
    cls = seed.classification_line
    assert cls is not None and (cls.originator, cls.serial) == ("MOSCOW", "000104")
    assert seed.captions == ["SIPDIS"]
    assert seed.declassify_on == dt.date(2016, 1, 12)
    assert [(t.code, t.kind) for t in seed.tags] == [
        ("PREF", "subject"),
        ("PHUM", "subject"),
        ("PREL", "subject"),
        ("RS", "geographic"),
        ("KN", "geographic"),
    ]
    assert seed.subject == "NORTH KOREAN ASYLUM SEEKERS APPROACH UNHCR"
    kinds = [(r.letter, r.kind, r.cable_id) for r in seed.references]
    assert kinds == [("A", "email", None), ("B", "cable", "07STATE203879")]
    cb = seed.classified_by
    assert cb is not None and cb.name == "Alice G. Wells"
    assert cb.reasons == ["1.4(b)", "1.4(d)"]


def test_seed_body(seed: Cable) -> None:
    assert [(p.number, p.mark) for p in seed.paragraphs] == [(1, "S"), (2, "S"), (3, "S")]
    assert seed.paragraphs[0].text.startswith("XXXXXXXXXXXX told us January 12")
    assert seed.paragraphs[-1].text.endswith("END \nCOMMENT.") or "END" in seed.paragraphs[-1].text
    assert "RUSSELL" not in seed.paragraphs[-1].text
    assert seed.signers == ["RUSSELL"]
    assert len(seed.redactions) == 15
    for span in seed.redactions:
        assert set(seed.text[span.start : span.end]) == {"X"}
    assert len(seed.comments) == 1
    assert seed.text[seed.comments[0].start :].startswith("COMMENT")


def test_offsets_point_into_the_input(seed: Cable) -> None:
    for p in seed.paragraphs:
        assert 0 <= p.start < p.end <= len(seed.text)
    cls = seed.classification_line
    assert cls is not None
    assert seed.text[cls.start : cls.end].startswith("S E C R E T")


def test_json_round_trip(seed: Cable) -> None:
    d = seed.to_dict()
    assert d["text"] == seed.text
    assert d["from"]["address"] == "AMEMBASSY MOSCOW"
    assert d["date"] == "2007-01-12T15:23:00Z"
    assert d["declassify_on"] == "2016-01-12"
    assert Cable.from_dict(d) == seed


def test_bare_telegram_takes_hint_only_for_publication_id() -> None:
    text = _sample("08MANAMA492")
    cable = cabledesk.parse(text)
    assert cable.reference_id == "08MANAMA492"
    assert cable.reference_id_source == "classification_line"
    cable2 = cabledesk.parse(text, hints={"reference_id": "08MANAMA492"})
    assert cable2.reference_id_source == "hint"
    assert cable2.canonical_id == "08MANAMA492"


def test_partial_extract_takes_the_year_from_a_hint() -> None:
    text = _sample("04MADRID827")
    cable = cabledesk.parse(text, hints={"reference_id": "04MADRID827"})
    assert cable.partial
    assert cable.canonical_id == "04MADRID827"
    no_hint = cabledesk.parse(text)
    assert no_hint.partial


def test_header_and_body_disagree_the_header_wins() -> None:
    cable = cabledesk.parse(_sample("10MEXICO614"))
    assert cable.canonical_id == "10MEXICO614"
    assert cable.reference_id_source == "de_line"
    codes = {f.code for f in cabledesk.validate(cable)}
    assert "header-body-conflict" in codes


def test_body_only() -> None:
    text = SEED.read_text(encoding="utf-8")
    body = text[text.index("S E C R E T MOSCOW") :]
    cable = cabledesk.parse(body, hints={"reference_id": "07MOSCOW104", "date": "2007-01-12"})
    assert cable.shape == "body"
    assert cable.subject == "NORTH KOREAN ASYLUM SEEKERS APPROACH UNHCR"
    assert cable.date_source == "hint"
    assert len(cable.paragraphs) == 3


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "empty"),
        ("   \n\n  ", "empty"),
        ("\x00\x01\x02binary\x00" * 20, "binary"),
        ("Dear diary,\nnothing to see here.\n", "no cable structure"),
    ],
)
def test_not_a_cable_raises_parse_error(text: str, reason: str) -> None:
    with pytest.raises(ParseError) as info:
        cabledesk.parse(text)
    assert reason in str(info.value)


def test_parse_error_names_the_line() -> None:
    with pytest.raises(ParseError) as info:
        cabledesk.parse("hello\n\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00")
    assert info.value.line == 2


def test_non_text_raises_parse_error() -> None:
    with pytest.raises(ParseError):
        cabledesk.parse(b"VZCZC" * 10)  # type: ignore[arg-type]
